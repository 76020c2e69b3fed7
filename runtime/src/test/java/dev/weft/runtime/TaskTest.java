package dev.weft.runtime;

import static dev.weft.runtime.Aio.allTasks;
import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.currentTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Naps.sleepThen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskTest {
    private final VirtualClock clock = Clock.virtual();
    private final EventLoop loop = new EventLoop(clock);
    private final List<String> log = new ArrayList<>();

    @Test
    void cancelDeliversCancelledErrorAtTheAwaitAndTheTaskMayCatchItAndGoOn() {
        Task<String> t = loop.createTask(stubborn());
        loop.callLater(2, () -> t.cancel("stop it"));
        assertEquals("went on to 3.0", loop.runUntilComplete(t));
        assertEquals(List.of("CancelledError 'stop it' at 2.0"), log);
        assertFalse(t.isCancelled());
        assertEquals(1, t.cancelling());
    }

    @Async
    Coroutine<String> stubborn() {
        try {
            await(sleep(10));
        } catch (CancelledError e) {
            log.add(e.getClass().getSimpleName() + " '" + e.getMessage() + "' at " + loop.time());
            await(sleep(1));
        }
        return result("went on to " + loop.time());
    }

    @Test
    void aCancelledTaskGetsCancelledErrorAtItsAwaitAndMayGoOn() {
        assertEquals("cancelled at 1.0, then slept to 3.0", Aio.run(cancelMe(), Clock.virtual()));
    }

    @Async
    static Coroutine<String> cancelMe() {
        Task<?> me = currentTask();
        getRunningLoop().callLater(1, me::cancel);
        String how;
        try {
            await(sleep(10));
            how = "not cancelled";
        } catch (CancelledError e) {
            how = "cancelled at " + getRunningLoop().time();
        }
        await(sleep(2));
        return result(how + ", then slept to " + getRunningLoop().time());
    }

    @Test
    void aTaskThatDoesNotCatchTheCancellationEndsCancelled() {
        Task<String> t = loop.createTask(sleepThen(10, "never"));
        loop.callLater(1, () -> assertTrue(t.cancel("enough")));
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("enough", e.getMessage());
        assertTrue(t.isCancelled());
        assertFalse(t.cancel(), "cancelling a done task does nothing");
        assertEquals(1.0, loop.time());
    }

    @Test
    void aTaskCancelledBeforeItsFirstStepNeverRunsItsBody() {
        Task<Void> t = loop.createTask(body());
        t.cancel();
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertTrue(log.isEmpty());
    }

    @Async
    Coroutine<Void> body() {
        log.add("body ran");
        return done();
    }

    @Test
    void cancellingATaskThatAwaitsAnotherTaskCancelsTheInnerOne() {
        Task<?>[] inner = new Task<?>[1];
        Task<String> outer = loop.createTask(outer(inner));
        loop.callLater(1, outer::cancel);
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(outer));
        assertTrue(inner[0].isCancelled());
        assertTrue(outer.isCancelled());
    }

    @Async
    static Coroutine<String> outer(Task<?>[] inner) {
        Task<String> t = createTask(sleepThen(10, "inner"));
        inner[0] = t;
        return result(await(t));
    }

    @Test
    void aCancelRequestedWhileTheTaskRunsLandsOnItsNextAwait() {
        Task<String> t = loop.createTask(cancelItselfThenSleep());
        assertEquals("caught", loop.runUntilComplete(t));
        assertEquals(List.of("still running after cancel()", "CancelledError at 0.0"), log);
    }

    @Async
    Coroutine<String> cancelItselfThenSleep() {
        currentTask().cancel();
        log.add("still running after cancel()");
        try {
            await(sleep(5));
        } catch (CancelledError e) {
            log.add(e.getClass().getSimpleName() + " at " + loop.time());
            return result("caught");
        }
        return result("not cancelled");
    }

    @Test
    void aTaskCancelledAfterItsLastAwaitEndsCancelledEvenIfItReturns() {
        Task<String> t = loop.createTask(cancelItselfThenReturn());
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertTrue(t.isCancelled());
    }

    @Async
    static Coroutine<String> cancelItselfThenReturn() {
        currentTask().cancel();
        return result("a value");
    }

    @Test
    void cancellingCountsRequestsAndUncancelTakesThemBack() {
        Task<String> t = loop.createTask(surviveTwoCancellations());
        loop.callLater(1, t::cancel);
        loop.callLater(2, t::cancel);
        assertEquals("survived twice", loop.runUntilComplete(t));
        assertEquals(2, t.cancelling());
        assertEquals(1, t.uncancel());
        assertEquals(0, t.uncancel());
        assertEquals(0, t.uncancel());
    }

    @Async
    static Coroutine<String> surviveTwoCancellations() {
        String outcome = "not cancelled";
        try {
            await(sleep(10));
        } catch (CancelledError e) {
            outcome = "survived once";
        }
        try {
            await(sleep(10));
        } catch (CancelledError e) {
            outcome = "survived twice";
        }
        return result(outcome);
    }

    @Test
    void uncancelToZeroDropsACancellationNotYetDelivered() {
        Task<String> t = loop.createTask(cancelAndUncancelItself());
        assertEquals("not cancelled", loop.runUntilComplete(t));
    }

    @Async
    static Coroutine<String> cancelAndUncancelItself() {
        Task<?> me = currentTask();
        me.cancel();
        me.uncancel();
        await(sleep(1));
        return result("not cancelled");
    }

    @Test
    void tasksAreNamedTaskNUnlessNamed() {
        Task<String> first = loop.createTask(sleepThen(1, "a"));
        Task<String> named = loop.createTask(sleepThen(1, "b"), "fetcher");
        assertEquals("Task-1", first.getName());
        assertEquals("fetcher", named.getName());
        named.setName("renamed");
        assertEquals("renamed", named.getName());
        named.setName(null);
        assertEquals("Task-2", named.getName());
        assertTrue(first.toString().startsWith("Task[Task-1, pending awaiting in Naps.sleepThen]"),
                first.toString());
        loop.runUntilComplete(named);
        assertEquals("Task[Task-2, finished result=b]", named.toString());
    }

    @Test
    void aTaskNamedInDebugModeKeepsItsNameAndCreationSite() {
        loop.setDebug(true);
        Task<String> t = loop.createTask(sleepThen(1, "a"), "debugged");
        assertEquals("debugged", t.getName());
        t.setName("renamed");
        assertEquals("renamed", t.getName());
        assertEquals("task created here", t.creationSite().getMessage());
    }

    @Test
    void currentTaskAndAllTasksSeeTheRunningTasks() {
        Task<?>[] seen = new Task<?>[1];
        Set<?>[] all = new Set<?>[1];
        Task<String> sleeper = loop.createTask(sleepThen(5, "z"), "sleeper");
        Task<Void> main = loop.createTask(seeTheTasks(seen, all), "main");
        loop.runUntilComplete(main);
        assertSame(main, seen[0]);
        assertEquals(Set.of(sleeper, main), all[0]);
        assertEquals(Set.of(sleeper), loop.allTasks());
        assertNull(Aio.currentTask(), "no task outside a running loop");
        assertSame(sleeper.getCoroutine(), sleeper.getCoroutine());
        loop.runUntilComplete(sleeper);
        assertTrue(loop.allTasks().isEmpty());
        assertNull(sleeper.getCoroutine());
    }

    @Async
    static Coroutine<Void> seeTheTasks(Task<?>[] seen, Set<?>[] all) {
        seen[0] = currentTask();
        all[0] = allTasks();
        return done();
    }

    @Test
    void aTaskThatAwaitsItselfFails() {
        Task<?>[] me = new Task<?>[1];
        Task<Object> t = loop.createTask(narcissus(me));
        me[0] = t;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        assertTrue(e.getMessage().contains("awaits itself"), e.getMessage());
    }

    @Async
    static Coroutine<Object> narcissus(Task<?>[] me) {
        Object v = await(me[0]);
        return result(v);
    }

    @Test
    void aCoroutineGivenToTwoTasksIsRefused() {
        Coroutine<String> c = sleepThen(1, "once");
        loop.createTask(c);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.createTask(c));
        assertTrue(e.getMessage().contains("a coroutine runs once"), e.getMessage());
    }

    @Test
    void aResumeBodyThatReturnsSuspendedWithoutAwaitingFailsItsTask() {
        Coroutine<Object> broken = new Coroutine<>() {
            @Override
            protected Object resume(Object value, Throwable failure) {
                return dev.weft.runtime.internal.Woven.SUSPENDED;
            }
        };
        Task<Object> t = loop.createTask(broken);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        assertTrue(e.getMessage().contains("returned SUSPENDED without awaiting"), e.getMessage());
    }

    @Test
    void awaitingAFutureOfAnotherLoopFails() {
        EventLoop other = new EventLoop(Clock.virtual());
        Future<String> foreign = other.createFuture();
        Task<String> t = loop.createTask(crosser(foreign));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        assertTrue(e.getMessage().contains("of another event loop"), e.getMessage());
    }

    @Async
    static Coroutine<String> crosser(Future<String> foreign) {
        return result(await(foreign));
    }

    @Test
    void aTaskRefusesToBeCompletedFromOutside() {
        Task<String> t = loop.createTask(fromCoroutine());
        IllegalStateException set = assertThrows(IllegalStateException.class, () -> t.setResult("injected"));
        assertTrue(set.getMessage().startsWith("Task does not support setResult"), set.getMessage());
        assertThrows(IllegalStateException.class, () -> t.setException(new RuntimeException("injected")));
        assertEquals("from coroutine", loop.runUntilComplete(t));
        loop.close();
    }

    @Async
    static Coroutine<String> fromCoroutine() {
        return result("from coroutine");
    }

    @Test
    void cancellingAFailedTaskRetrievesItsFailure() {
        // CPython's Task.cancel clears _log_traceback before it looks at the state.
        List<EventLoop.ExceptionContext> reported = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> reported.add(c));
        Task<Object> t = loop.createTask(Naps.sleepThenFail(1, new IllegalStateException("seen by cancel")));
        loop.callLater(2, loop::stop);
        loop.runForever();
        assertTrue(t.isDone());
        assertFalse(t.cancel());
        loop.close();
        assertTrue(reported.isEmpty(), reported::toString);
    }
}
