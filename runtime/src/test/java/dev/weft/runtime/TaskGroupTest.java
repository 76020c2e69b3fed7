package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskGroup}, with cases of CPython's Lib/test/test_asyncio/test_taskgroups.py, each group used as
 * {@code async with} is: try-with-resources in an {@code @Async} method, whose close the weaver awaits
 * ({@code aclose()}, or {@code aclose(thrown)} after the body threw).
 */
class TaskGroupTest {
    private final List<String> log = new ArrayList<>();
    private final VirtualClock clock = Clock.virtual();

    private <T> T run(Coroutine<T> main) {
        return Aio.run(main, clock);
    }

    @Async
    Coroutine<String> child(String name, double seconds) {
        try {
            await(sleep(seconds));
        } catch (CancelledError e) {
            log.add(name + " cancelled at " + getLoopTime());
            throw e;
        }
        log.add(name + " done at " + getLoopTime());
        return result(name);
    }

    @Async
    Coroutine<String> failing(String name, double seconds) {
        await(sleep(seconds));
        log.add(name + " fails at " + getLoopTime());
        throw new IllegalArgumentException(name);
    }

    private double getLoopTime() {
        return Aio.getRunningLoop().time();
    }

    @Async
    Coroutine<Void> sleepingBody(double seconds) {
        try {
            await(sleep(seconds));
        } catch (CancelledError e) {
            log.add("body cancelled at " + getLoopTime());
            throw e;
        }
        log.add("body done at " + getLoopTime());
        return done();
    }

    @Async
    Coroutine<List<String>> twoChildren() {
        Task<String> a;
        Task<String> b;
        try (TaskGroup tg = new TaskGroup()) {
            a = tg.createTask(child("a", 1));
            b = tg.createTask(child("b", 2), "b-task");
            await(sleepingBody(0.5));
        }
        log.add("exited at " + getLoopTime());
        return result(List.of(a.result(), b.result(), b.getName()));
    }

    @Test
    void leavingTheBlockWaitsForEveryChild() {
        assertEquals(List.of("a", "b", "b-task"), run(twoChildren()));
        assertEquals(List.of("body done at 0.5", "a done at 1.0", "b done at 2.0", "exited at 2.0"), log);
    }

    @Async
    Coroutine<String> childFailsThenCodeAfterTheBlockRuns() {
        TaskGroup tg = new TaskGroup();
        Task<String> sibling = tg.createTask(child("sibling", 10));
        tg.createTask(failing("bad", 1));
        try (tg) {
            await(sleepingBody(100));
        } catch (ExceptionGroup eg) {
            log.add("caught " + eg.getMessage());
            assertEquals(1, eg.exceptions().size());
            assertEquals("bad", eg.exceptions().get(0).getMessage());
            assertInstanceOf(CancelledError.class, eg.getCause(), "the cancellation the group caused in the body");
            assertTrue(sibling.isCancelled());
        }
        assertEquals(0, Aio.currentTask().cancelling(), "the group took back the cancellation it asked for");
        await(sleep(1));
        return result("went on at " + getLoopTime());
    }

    @Test
    void aChildFailureCancelsTheSiblingsAndTheBodyAndTheTaskGoesOnAfterTheBlock() {
        assertEquals("went on at 2.0", run(childFailsThenCodeAfterTheBlockRuns()));
        assertEquals(List.of("bad fails at 1.0", "sibling cancelled at 1.0", "body cancelled at 1.0",
                "caught unhandled errors in a TaskGroup (1 sub-exception)"), log);
    }

    @Async
    Coroutine<Void> throwingBody() {
        await(sleep(1));
        throw new IllegalStateException("body broke");
    }

    @Async
    Coroutine<List<Throwable>> bodyFails() {
        try (TaskGroup tg = new TaskGroup()) {
            tg.createTask(child("c1", 5));
            tg.createTask(child("c2", 6));
            await(throwingBody());
        } catch (ExceptionGroup eg) {
            return result(eg.exceptions());
        }
        return result(List.of());
    }

    @Test
    void aFailureOfTheBodyCancelsTheChildrenAndIsAMemberOfTheGroup() {
        List<Throwable> errors = run(bodyFails());
        assertEquals(1, errors.size());
        assertEquals("body broke", errors.get(0).getMessage());
        assertEquals(List.of("c1 cancelled at 1.0", "c2 cancelled at 1.0"), log);
    }

    @Async
    Coroutine<List<String>> twoFail() {
        try (TaskGroup tg = new TaskGroup()) {
            tg.createTask(failing("first", 1));
            tg.createTask(failing("second", 1));
            await(sleepingBody(10));
        } catch (ExceptionGroup eg) {
            List<String> names = new ArrayList<>();
            for (Throwable t : eg.exceptions()) {
                names.add(t.getMessage());
            }
            return result(names);
        }
        return result(List.of());
    }

    @Test
    void childrenThatFailInTheSameIterationAreAllInTheGroupInOrder() {
        assertEquals(List.of("first", "second"), run(twoFail()));
    }

    @Async
    Coroutine<Void> groupWithSleepers() {
        try (TaskGroup tg = new TaskGroup()) {
            tg.createTask(child("s1", 10));
            tg.createTask(child("s2", 20));
            await(sleepingBody(30));
        }
        return done();
    }

    @Async
    Coroutine<String> cancelFromOutside() {
        Task<Void> task = Aio.createTask(groupWithSleepers());
        await(sleep(1));
        task.cancel("stop");
        try {
            await(task);
        } catch (CancelledError e) {
            return result("cancelled: " + e.getMessage() + " at " + getLoopTime());
        }
        return result("not cancelled");
    }

    @Test
    void cancellingTheTaskFromOutsideCancelsTheChildrenWaitsForThemAndPropagates() {
        assertEquals("cancelled: stop at 1.0", run(cancelFromOutside()));
        assertEquals(List.of("body cancelled at 1.0", "s1 cancelled at 1.0", "s2 cancelled at 1.0"), log);
    }

    @Async
    Coroutine<String> waitForAroundAGroup() {
        try {
            await(Aio.waitFor(groupWithSleepers(), 2));
        } catch (TimeoutError e) {
            return result("timed out at " + getLoopTime());
        }
        return result("no timeout");
    }

    @Test
    void aTimeoutAroundTheGroupStillTimesOut() {
        assertEquals("timed out at 2.0", run(waitForAroundAGroup()));
    }

    @Async
    Coroutine<String> timeoutScopeAroundTheGroup(double bodySeconds) {
        try (Timeout scope = Aio.timeout(2)) {
            try (TaskGroup tg = new TaskGroup()) {
                tg.createTask(child("s1", 10));
                tg.createTask(child("s2", 20));
                await(sleepingBody(bodySeconds));
            }
            return result("no timeout");
        } catch (TimeoutError e) {
            return result("timed out at " + getLoopTime() + ", cancelling " + Aio.currentTask().cancelling());
        }
    }

    @Test
    void aTimeoutScopeThatExpiresInTheBodyCancelsTheChildrenAndComesOutAsTheTimeoutError() {
        assertEquals("timed out at 2.0, cancelling 0", run(timeoutScopeAroundTheGroup(30)));
        // the body's await got the scope's TimeoutError itself, which its catch of CancelledError lets by
        assertEquals(List.of("s1 cancelled at 2.0", "s2 cancelled at 2.0"), log);
    }

    @Test
    void aTimeoutScopeThatExpiresWhileTheExitWaitsCancelsTheChildrenAndComesOutAsTheTimeoutError() {
        assertEquals("timed out at 2.0, cancelling 0", run(timeoutScopeAroundTheGroup(1)));
        assertEquals(List.of("body done at 1.0", "s1 cancelled at 2.0", "s2 cancelled at 2.0"), log);
    }

    @Async
    Coroutine<Throwable> nested() {
        try (TaskGroup outer = new TaskGroup()) {
            outer.createTask(child("outer child", 10));
            try (var inner = new TaskGroup()) {
                inner.createTask(failing("deep", 1));
                await(sleepingBody(10));
            }
        } catch (ExceptionGroup eg) {
            return result(eg);
        }
        return result(null);
    }

    @Test
    void aFailedInnerGroupIsAMemberOfTheOuterGroupsFailure() {
        ExceptionGroup outer = assertInstanceOf(ExceptionGroup.class, run(nested()));
        assertEquals(1, outer.exceptions().size());
        ExceptionGroup inner = assertInstanceOf(ExceptionGroup.class, outer.exceptions().get(0));
        assertEquals("deep", inner.exceptions().get(0).getMessage());
        assertTrue(log.contains("outer child cancelled at 1.0"), log::toString);
    }

    @Async
    Coroutine<String> createAfterExit() {
        TaskGroup tg = new TaskGroup();
        try (tg) {
            await(sleepingBody(0));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tg.createTask(child("late", 1)));
        return result(e.getMessage());
    }

    @Test
    void createTaskOnAGroupThatHasExitedFails() {
        assertEquals("TaskGroup[0 tasks, exiting] is finished: it takes no new task once its block has exited",
                run(createAfterExit()));
    }

    @Async
    Coroutine<String> createWhileAborting() {
        TaskGroup tg = new TaskGroup();
        tg.createTask(failing("bad", 0));
        try {
            await(sleep(1));
        } catch (CancelledError e) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> tg.createTask(child("x", 1)));
            log.add(refused.getMessage());
            try {
                await(tg.aclose(e));
            } catch (ExceptionGroup eg) {
                return result("group of " + eg.exceptions().size());
            }
        }
        return result("no failure");
    }

    @Test
    void createTaskOnAGroupShuttingDownAfterAFailureFails() {
        assertEquals("group of 1", run(createWhileAborting()));
        assertEquals(List.of("bad fails at 0.0",
                "TaskGroup[0 tasks, 1 error, cancelling] is shutting down after a failure: it takes no new task"), log);
    }

    @Test
    void aTaskGroupMadeOutsideATaskFailsAtOnce() {
        IllegalStateException e = assertThrows(IllegalStateException.class, TaskGroup::new);
        assertTrue(e.getMessage().startsWith("a TaskGroup is made inside a running task"), e.getMessage());
    }

    @Async
    Coroutine<String> closeOutsideAsync() {
        TaskGroup tg = new TaskGroup();
        IllegalStateException e = assertThrows(IllegalStateException.class, tg::close);
        await(tg.aclose());
        return result(e.getMessage());
    }

    @Test
    void closeThatCannotWaitRefusesAndSaysWhatToDo() {
        assertTrue(run(closeOutsideAsync()).startsWith("TaskGroup.close() cannot wait for the group's tasks outside "
                + "an @Async method"));
    }

    @Async
    Coroutine<Void> bodyCancelledByGroupOnly(TaskGroup[] made) {
        try (TaskGroup tg = new TaskGroup()) {
            made[0] = tg;
            tg.createTask(failing("only", 1));
            await(sleepingBody(5));
        }
        return done();
    }

    @Test
    void theGroupSupersedesTheCancellationItCausedInTheBody() {
        ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> run(bodyCancelledByGroupOnly(new TaskGroup[1])));
        CancelledError cause = assertInstanceOf(CancelledError.class, eg.getCause());
        assertTrue(eg.holds(cause));
        assertEquals("only", eg.exceptions().get(0).getMessage());
    }

    @Async
    Coroutine<String> catchesAroundTheBlock() {
        try {
            try (TaskGroup tg = new TaskGroup()) {
                tg.createTask(failing("child", 1));
                await(sleepingBody(5));
            }
        } catch (CancelledError e) {
            return result("caught the cancellation the group caused");
        } catch (ExceptionGroup eg) {
            return result("caught the group of " + eg.exceptions().get(0).getMessage() + ", caused by "
                    + eg.getCause().getClass().getSimpleName());
        }
        return result("caught nothing");
    }

    @Test
    void theCallerCatchesTheGroupInPlaceOfTheCancellationItCausedInTheBody() {
        assertEquals("caught the group of child, caused by CancelledError", run(catchesAroundTheBlock()));
        assertEquals(List.of("child fails at 1.0", "body cancelled at 1.0"), log);
    }
}
