package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Aio.timeout;
import static dev.weft.runtime.Aio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Async stack traces: a failure delivered through awaits carries, after its own frames, a
 * {@code weft.async.task(NAME)} boundary and one frame per awaiting coroutine at the line of its
 * await. The lines come from this file's {@code // line:NAME} markers, so a chain that names the
 * wrong line, leaves a frame out or repeats one fails here.
 */
class AsyncTraceTest {
    private static final SourceLines SOURCE = SourceLines.of("AsyncTraceTest.java");

    private final EventLoop loop = new EventLoop(Clock.virtual());

    @AfterEach
    void close() {
        loop.allTasks().forEach(Task::cancel);
        loop.runUntilComplete(Naps.sleepThen(0, ""));
        loop.close();
    }

    @Async
    static Coroutine<Integer> failsAfterSleep(String message) {
        await(sleep(1));
        throw new IllegalStateException(message); // line:throw
    }

    @Async
    static Coroutine<Integer> middle(String message) {
        int v = await(failsAfterSleep(message)); // line:middle
        return result(v);
    }

    @Async
    static Coroutine<Integer> outer(String message) {
        return result(await(middle(message)) + 1); // line:outer
    }

    @Async
    static Coroutine<Integer> awaitsTask(Task<Integer> other) {
        return result(await(other)); // line:awaitsTask
    }

    @Async
    static Coroutine<Integer> recordsChain(Task<Integer> other, List<List<String>> chains) {
        try {
            return result(await(other)); // line:recordsChain
        } catch (IllegalStateException e) {
            chains.add(chain(e));
            throw e;
        }
    }

    @Async
    static Coroutine<List<Integer>> gathers() {
        return result(await(gather(middle("in gather"), Naps.sleepThen(5, 7)))); // line:gathers
    }

    @Async
    static Coroutine<Void> sleepsLong() {
        await(sleep(100)); // line:sleepsLong
        return result(null);
    }

    @Async
    static Coroutine<Void> waitsTooLong() {
        await(waitFor(sleepsLong(), 1)); // line:waitsTooLong
        return result(null);
    }

    @Async
    static Coroutine<Void> scopeTooShort() {
        try (Timeout t = timeout(1)) {
            await(sleepsLong()); // line:scopeTooShort
        }
        return result(null);
    }

    @Async
    static Coroutine<Void> parksInSleeper() {
        await(sleepsLong()); // line:parksInSleeper
        return result(null);
    }

    @Async
    static Coroutine<Void> awaitsVictim(Task<Void> victim) {
        await(victim); // line:awaitsVictim
        return result(null);
    }

    @Async
    static Coroutine<Integer> awaitsDone(Future<Integer> f) {
        return result(await(f)); // line:awaitsDone
    }

    @Async
    static Coroutine<Integer> awaitsDoneTwice(Future<Integer> f, List<Throwable> seen) {
        try {
            await(awaitsDone(f)); // line:first
        } catch (IllegalArgumentException e) {
            seen.add(e);
        }
        return result(await(awaitsDone(f))); // line:second
    }

    @Async
    static Coroutine<Integer> throwsAtOnce() {
        if (SOURCE != null) {
            throw new IllegalStateException("at once"); // line:atOnce
        }
        return result(0);
    }

    @Async
    static Coroutine<Integer> callsThrowsAtOnce() {
        return result(await(throwsAtOnce())); // line:callsAtOnce
    }

    @Async
    static Coroutine<Integer> cleansUp() {
        try {
            return result(await(failsAfterSleep("boom"))); // line:cleansUp
        } finally {
            await(sleep(1));
        }
    }

    @Async
    static Coroutine<Integer> callsCleansUp() {
        return result(await(cleansUp())); // line:callsCleansUp
    }

    @Async
    static Coroutine<Integer> swallows() {
        try {
            return result(await(failsAfterSleep("unrelated")));
        } catch (IllegalStateException e) {
            return result(0);
        }
    }

    @Async
    static Coroutine<Integer> down(int n, Future<Integer> failed) {
        if (n == 0) {
            return result(await(failed)); // line:bottom
        }
        return result(await(down(n - 1, failed))); // line:down
    }

    @Async
    static Coroutine<Integer> awaitsStage(java.util.concurrent.CompletableFuture<Integer> stage) {
        return result(await(stage)); // line:awaitsStage
    }

    @Async
    static Coroutine<Integer> recordsStage(java.util.concurrent.CompletableFuture<Integer> stage, List<List<String>> chains) {
        try {
            return result(await(awaitsStage(stage))); // line:recordsStage
        } catch (IllegalArgumentException e) {
            chains.add(chain(e));
            return result(0);
        }
    }

    @Async
    static Coroutine<Integer> viaResult() {
        Task<Integer> t = createTask(failsAfterSleep("stored"), "stored");
        await(Aio.wait(List.of(t))); // line:viaResult
        return result(t.result());
    }

    @Async
    static Coroutine<Integer> callsViaResult() {
        return result(await(viaResult())); // line:callsViaResult
    }

    @Async
    static Coroutine<Object> awaitsCombined(Task<Void> victim, boolean viaGather) {
        Awaitable<?> what = viaGather ? gather(victim) : Aio.shield(victim);
        return result(await(what)); // line:awaitsCombined
    }

    @Async
    static Coroutine<Integer> rethrowsAfterSleep(RuntimeException e) {
        await(sleep(1));
        throw e;
    }

    @Async
    static Coroutine<Integer> rethrowsToo(RuntimeException e) {
        await(sleep(1));
        throw e;
    }

    @Async
    static Coroutine<Integer> catchesOdd(RuntimeException e) {
        return result(await(catchesOdd(e, false)));
    }

    @Async
    static Coroutine<Integer> catchesOdd(RuntimeException e, boolean other) {
        try {
            return result(await(other ? rethrowsToo(e) : rethrowsAfterSleep(e)));
        } catch (RuntimeException caught) {
            return result(caught == e ? 1 : 2);
        }
    }

    @Async
    static Coroutine<Integer> recurse(int n) {
        if (n == 0) {
            await(sleep(1));
            throw new IllegalStateException("bottom");
        }
        return result(await(recurse(n - 1))); // line:recurse
    }

    @Async
    static Coroutine<Integer> recurseFrom() {
        return result(await(recurse(3))); // line:recurseFrom
    }

    @Test
    void aRecursiveChainShowsEveryLevelThoughItsMethodIsAmongTheRealFrames() {
        Task<Integer> t = loop.createTask(recurseFrom(), "recursive");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        assertEquals(List.of(boundary("recursive"), at("recurse"), at("recurse"), at("recurse"), at("recurseFrom")), chain(e));
    }

    @Test
    void aFailureAfterASuspensionCarriesItsOwnFramesThenTheAwaitChainOfItsTask() {
        Task<Integer> t = loop.createTask(outer("boom"), "deep");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        StackTraceElement[] trace = e.getStackTrace();
        assertEquals(at("failsAfterSleep", "throw"), plain(trace[0]), "the real frame where it was thrown comes first");
        assertEquals(List.of(boundary("deep"), at("middle"), at("outer")), chain(e));
    }

    @Test
    void aFailureAwaitedByAnotherTaskAddsThatTasksBoundaryAndChain() {
        Task<Integer> failing = loop.createTask(outer("boom"), "failing");
        Task<Integer> waiter = loop.createTask(awaitsTask(failing), "waiter");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(waiter));
        assertEquals(List.of(boundary("failing"), at("middle"), at("outer"), boundary("waiter"), at("awaitsTask")), chain(e));
    }

    @Test
    void twoTasksAwaitingOneFailedTaskEachSeeTheirOwnChainNotTheOthers() {
        Task<Integer> failing = loop.createTask(outer("boom"), "failing");
        List<List<String>> chains = new ArrayList<>();
        loop.createTask(recordsChain(failing, chains), "one");
        loop.createTask(recordsChain(failing, chains), "two");
        loop.runUntilComplete(Naps.sleepThen(2, ""));
        // One exception object serves both, as in CPython: each awaiter sees the trace the task
        // failed with and its own chain, not the chain of the awaiter before it.
        assertEquals(List.of(
                List.of(boundary("failing"), at("middle"), at("outer"), boundary("one"), at("recordsChain")),
                List.of(boundary("failing"), at("middle"), at("outer"), boundary("two"), at("recordsChain"))), chains);
    }

    @Test
    void aFailureThroughGatherShowsTheChildsTaskThenTheGatheringOne() {
        Task<List<Integer>> t = loop.createTask(gathers(), "gathering");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        List<String> chain = chain(e);
        assertEquals(4, chain.size(), chain::toString);
        assertTrue(chain.get(0).startsWith("weft.async.task(Task-"), chain::toString);
        assertEquals(List.of(at("middle"), boundary("gathering"), at("gathers")), chain.subList(1, 4));
        assertEquals(at("failsAfterSleep", "throw"), plain(e.getStackTrace()[0]));
    }

    @Test
    void aTimeoutErrorOfWaitForShowsTheAwaitThatTimedOut() {
        Task<Void> t = loop.createTask(waitsTooLong(), "impatient");
        TimeoutError e = assertThrows(TimeoutError.class, () -> loop.runUntilComplete(t));
        assertEquals(List.of(boundary("impatient"), at("waitsTooLong")), chain(e));
        // Its cause, as CPython's "from": the inner cancellation, showing where the inner task was stopped.
        CancelledError cause = assertInstanceOf(CancelledError.class, e.getCause());
        List<String> inner = chain(cause);
        assertEquals(at("sleepsLong"), inner.get(1), inner::toString);
    }

    @Test
    void aTimeoutErrorOfATimeoutScopeShowsWhereTheTaskWasStoppedWhenItExpired() {
        Task<Void> t = loop.createTask(scopeTooShort(), "scoped");
        TimeoutError e = assertThrows(TimeoutError.class, () -> loop.runUntilComplete(t));
        List<String> chain = chain(e);
        assertTrue(chain.containsAll(List.of(at("sleepsLong"), at("scopeTooShort"))), chain::toString);
        assertEquals(boundary("scoped"), chain.get(0), chain::toString);
    }

    @Test
    void aCancelledErrorKeepsItsMessageAndShowsTheVictimsChainThenTheAwaiters() {
        Task<Void> victim = loop.createTask(parksInSleeper(), "victim");
        Task<Void> awaiter = loop.createTask(awaitsVictim(victim), "awaiter");
        loop.runUntilComplete(Naps.sleepThen(1, ""));
        victim.cancel("enough");
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(awaiter));
        assertEquals("enough", e.getMessage());
        assertEquals(List.of(boundary("victim"), at("sleepsLong"), at("parksInSleeper"), boundary("awaiter"),
                at("awaitsVictim")), chain(e));
        assertEquals(chain(e), strings(e.getStackTrace()), "a delivered cancellation has no frames of the loop's own");
    }

    @Test
    void aDoneFutureFailingAtOnceShowsTheAwaitsOnTheJavaStackAndEachAwaitGetsItsOwn() {
        Future<Integer> f = loop.createFuture();
        IllegalArgumentException early = new IllegalArgumentException("early");
        f.setException(early);
        List<Throwable> seen = new ArrayList<>();
        Task<Integer> t = loop.createTask(awaitsDoneTwice(f, seen), "twice");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(t));
        assertEquals(early, e);
        assertEquals(List.of(boundary("twice"), at("awaitsDone"), at("awaitsDoneTwice", "second")), chain(e));
    }

    @Test
    void aFailureThrownWithoutSuspendingHasOnlyItsRealFramesWhichAlreadyShowEveryAwait() {
        Task<Integer> t = loop.createTask(callsThrowsAtOnce(), "sync");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        List<String> trace = strings(e.getStackTrace());
        assertTrue(chain(e).isEmpty(), trace::toString);
        assertTrue(trace.contains(at("throwsAtOnce", "atOnce")), trace::toString);
        assertTrue(trace.contains(at("callsThrowsAtOnce", "callsAtOnce")), trace::toString);
    }

    @Test
    void javasOwnPrintingShowsTheBoundaryAndTheChain() {
        Task<Integer> t = loop.createTask(outer("printed"), "printed");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        String text = out.toString();
        int boundary = text.indexOf("\tat weft.async.task(printed)");
        assertTrue(boundary > 0, text);
        assertTrue(text.indexOf("\tat " + at("middle")) > boundary, text);
        assertTrue(text.indexOf("\tat " + at("outer")) > text.indexOf("\tat " + at("middle")), text);
    }

    @Test
    void aFailureWithoutAWritableStackTraceIsDeliveredUnchanged() {
        RuntimeException quiet = new RuntimeException("quiet", null, false, false) { };
        Task<Integer> failing = loop.createTask(Naps.sleepThenFail(1, quiet), "failing");
        Task<Integer> waiter = loop.createTask(awaitsTask(failing), "waiter");
        RuntimeException e = assertThrows(RuntimeException.class, () -> loop.runUntilComplete(waiter));
        assertEquals(quiet, e);
        assertEquals(0, e.getStackTrace().length);
    }

    @Test
    void anIndirectAwaiterSeesTheFailedTasksChainThenItsAwaitersNotAnotherAwaitersOfTheSameTask() {
        Task<Integer> failing = loop.createTask(outer("boom"), "F");
        Task<Integer> a = loop.createTask(awaitsTask(failing), "A");
        List<List<String>> chains = new ArrayList<>();
        loop.createTask(recordsChain(failing, chains), "B");
        Task<Integer> c = loop.createTask(awaitsTask(a), "C");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(c));
        assertEquals(List.of(boundary("F"), at("middle"), at("outer"), boundary("A"), at("awaitsTask"), boundary("C"),
                at("awaitsTask")), chain(e));
        assertEquals(List.of(List.of(boundary("F"), at("middle"), at("outer"), boundary("B"), at("recordsChain"))), chains);
    }

    @Test
    void aFrameThatAwaitsInFinallyWhileAnotherTasksFailureIsTracedThrowsOnWithOneChain() {
        loop.createTask(swallows(), "other");
        Task<Integer> t = loop.createTask(callsCleansUp(), "cleaning");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        assertEquals(List.of(boundary("cleaning"), at("cleansUp"), at("callsCleansUp")), chain(e));
    }

    @Test
    void aDoneFailureAwaitedDeeperThanTheInlineLimitShowsEveryLevel() {
        Future<Integer> failed = loop.createFuture();
        failed.setException(new IllegalStateException("done"));
        Task<Integer> t = loop.createTask(down(200, failed), "deep");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        List<String> chain = chain(e);
        assertEquals(202, chain.size(), chain::toString);
        assertEquals(boundary("deep"), chain.get(0));
        assertEquals(at("down", "bottom"), chain.get(1));
        assertEquals(200, chain.stream().filter(at("down")::equals).count(), chain::toString);
    }

    @Test
    void aFailedStageAwaitedByOneTaskAfterAnotherGivesEachOnlyItsOwnChain() {
        java.util.concurrent.CompletableFuture<Integer> done = new java.util.concurrent.CompletableFuture<>();
        done.completeExceptionally(new IllegalStateException("done stage"));
        for (String name : List.of("first", "second", "third")) {
            Task<Integer> t = loop.createTask(awaitsStage(done), name);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
            assertEquals(List.of(boundary(name), at("awaitsStage")), chain(e));
        }
        java.util.concurrent.CompletableFuture<Integer> later = new java.util.concurrent.CompletableFuture<>();
        List<List<String>> chains = new ArrayList<>();
        loop.createTask(recordsStage(later, chains), "one");
        Task<Integer> two = loop.createTask(recordsStage(later, chains), "two");
        loop.runUntilComplete(Naps.sleepThen(1, ""));
        later.completeExceptionally(new IllegalArgumentException("later stage"));
        loop.runUntilComplete(two);
        assertEquals(2, chains.size());
        for (List<String> chain : chains) {
            assertEquals(List.of(at("awaitsStage"), at("recordsStage")), chain.subList(1, chain.size()), chains::toString);
        }
        // A CompletableFuture runs its dependents in no promised order: each awaiter's own boundary, in either.
        assertEquals(java.util.Set.of(boundary("one"), boundary("two")), java.util.Set.of(chains.get(0).get(0), chains.get(1).get(0)));
    }

    @Test
    void aCancelledTaskSeenThroughGatherOrShieldStillShowsWhereItWasStopped() {
        for (boolean viaGather : new boolean[] {true, false}) {
            Task<Void> victim = loop.createTask(parksInSleeper(), "victim");
            Task<Object> awaiter = loop.createTask(awaitsCombined(victim, viaGather), "awaiter");
            loop.runUntilComplete(Naps.sleepThen(1, ""));
            victim.cancel("stop");
            CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(awaiter));
            assertEquals(List.of(boundary("victim"), at("sleepsLong"), at("parksInSleeper"), boundary("awaiter"),
                    at("awaitsCombined")), chain(e), viaGather ? "gather" : "shield");
        }
    }

    @Test
    void aFrameRethrowingAFailureMadeElsewhereIsInTheChain() {
        Task<Integer> t = loop.createTask(callsViaResult(), "rethrows");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        assertEquals(List.of(boundary("rethrows"), at("viaResult"), at("callsViaResult")), chain(e));
    }

    @Test
    void aFailureWhoseTraceCannotBeReadOrWrittenIsStillDeliveredToTheAwait() {
        RuntimeException nullTrace = new RuntimeException("null trace") {
            @Override
            public StackTraceElement[] getStackTrace() {
                return null;
            }
        };
        RuntimeException frozen = new RuntimeException("frozen") {
            @Override
            public void setStackTrace(StackTraceElement[] trace) {
                throw new UnsupportedOperationException("frozen trace");
            }
        };
        assertEquals(1, loop.runUntilComplete(catchesOdd(nullTrace)));
        assertEquals(1, loop.runUntilComplete(catchesOdd(frozen)));
    }

    @Test
    void oneFailureInstanceThrownAgainAndAgainThroughNewAwaitsStopsGrowingAtTheCap() {
        IllegalStateException reused = new IllegalStateException("reused");
        int longest = 0;
        for (int i = 0; i < 1500; i++) {
            // Two ways in turn, so that each throw's chain differs from the one the failure carries.
            Task<Integer> t = loop.createTask(catchesOdd(reused, i % 2 == 0), "again");
            loop.runUntilComplete(t);
            longest = Math.max(longest, reused.getStackTrace().length);
        }
        assertTrue(longest <= AsyncTrace.MAX_TRACE + 3, "trace grew to " + longest);
        assertTrue(longest >= AsyncTrace.MAX_TRACE, "trace stopped early at " + longest);
    }

    /** The elements from the first boundary on, as strings. */
    private static List<String> chain(Throwable e) {
        List<String> all = strings(e.getStackTrace());
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).startsWith(AsyncTrace.BOUNDARY_CLASS + "." + AsyncTrace.BOUNDARY_METHOD + "(")) {
                return all.subList(i, all.size());
            }
        }
        return List.of();
    }

    private static String boundary(String task) {
        return "weft.async.task(" + task + ")";
    }

    /** The elements as strings, without the module and loader prefix that real frames carry. */
    private static List<String> strings(StackTraceElement[] stack) {
        return Arrays.stream(stack).map(AsyncTraceTest::plain).collect(Collectors.toList());
    }

    private static String plain(StackTraceElement e) {
        return new StackTraceElement(e.getClassName(), e.getMethodName(), e.getFileName(), e.getLineNumber()).toString();
    }

    private static String at(String method) {
        return at(method, method);
    }

    private static String at(String method, String marker) {
        return "dev.weft.runtime.AsyncTraceTest." + method + "(AsyncTraceTest.java:" + line(marker) + ")";
    }

    private static int line(String name) {
        return SOURCE.line(name);
    }

}
