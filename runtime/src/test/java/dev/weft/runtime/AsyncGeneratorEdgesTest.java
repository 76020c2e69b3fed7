package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.emit;
import static dev.weft.runtime.Aio.finish;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Aio.timeout;
import static dev.weft.runtime.Aio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Async generators at their edges, with emits woven as {@code Woven.emit}: {@code aclose()} in the
 * middle of an iteration whose nested catch and finally blocks await, {@code aclose()} with a value
 * ready, a body that returns or throws on {@code GeneratorExit}, cancelling a consumer while a
 * generator two levels down sleeps, a generator that another task is iterating (a clear
 * {@link IllegalStateException}) or that another task takes over, a chain of generators deeper than
 * the inline limit, the async trace of a failure thrown after emits and a real wait, an emit in
 * the finally block of a failure, an {@link AsyncCloseable} of the body closed by {@code aclose()},
 * {@code waitFor} and a {@code timeout} scope around {@code hasNext()}, and a body that awaits its
 * own {@code hasNext()}; and the traces of failures in a generator relayed by another and thrown
 * inline right after an emit.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncGeneratorEdgesTest {
    private static final SourceLines SOURCE = SourceLines.of("AsyncGeneratorEdgesTest.java");

    private static <T> T run(Coroutine<T> main) {
        return Aio.run(main, Clock.virtual());
    }

    private static String now() {
        return "" + getRunningLoop().time();
    }

    @Async
    static AsyncGenerator<Integer> nestedCleanup(List<String> log) {
        try {
            try {
                for (int i = 0; ; i++) {
                    emit(i);
                }
            } catch (GeneratorExit e) {
                log.add("exit at " + now());
                await(sleep(1));
                throw e;
            } finally {
                log.add("inner finally at " + now());
                await(sleep(1));
                log.add("inner finally after at " + now());
            }
        } finally {
            await(sleep(1));
            log.add("outer finally at " + now());
        }
    }

    @Async
    static Coroutine<List<Integer>> takeCloseAndProbe(AsyncGenerator<Integer> g, int n, List<String> log) {
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < n && await(g.hasNext()); i++) {
            got.add(g.next());
        }
        await(g.aclose());
        log.add("closed at " + now());
        assertFalse(await(g.hasNext()));
        await(g.aclose());
        assertThrows(NoSuchElementException.class, g::next);
        return result(got);
    }

    @Test
    void acloseMidIterationRunsTheCatchAndBothFinallyBlocksWithTheirAwaitsInOrder() {
        List<String> log = new ArrayList<>();
        assertEquals(List.of(0, 1, 2), run(takeCloseAndProbe(nestedCleanup(log), 3, log)));
        assertEquals(List.of("exit at 0.0", "inner finally at 1.0", "inner finally after at 2.0", "outer finally at 3.0",
                "closed at 3.0"), log);
    }

    @Async
    static Coroutine<String> closeWithValueReady(AsyncGenerator<Integer> g) {
        assertTrue(await(g.hasNext()));
        await(g.aclose());
        assertThrows(NoSuchElementException.class, g::next, "the value that was ready is dropped by the close");
        return result(g.toString());
    }

    @Test
    void acloseWithAValueReadyDropsTheValueAndFinishesTheGenerator() {
        List<String> log = new ArrayList<>();
        String state = run(closeWithValueReady(nestedCleanup(log)));
        assertTrue(state.endsWith("finished]"), state);
        assertEquals(List.of("exit at 0.0", "inner finally at 1.0", "inner finally after at 2.0", "outer finally at 3.0"),
                log);
    }

    @Async
    static AsyncGenerator<String> returnsOnExit(List<String> log) {
        try {
            emit("a");
            emit("b");
        } catch (GeneratorExit e) {
            await(sleep(1));
            log.add("returned on exit");
            return finish();
        }
        log.add("not closed");
        return finish();
    }

    @Async
    static AsyncGenerator<String> throwsOnExit() {
        try {
            emit("a");
        } catch (GeneratorExit e) {
            await(sleep(1));
            throw new IllegalArgumentException("refused to close");
        }
        return finish();
    }

    @Async
    static Coroutine<String> firstThenClose(AsyncGenerator<String> g) {
        assertTrue(await(g.hasNext()));
        String first = g.next();
        await(g.aclose());
        assertFalse(await(g.hasNext()));
        return result(first + " at " + now());
    }

    @Test
    void aBodyThatReturnsOnGeneratorExitClosesNormallyAndOneThatThrowsMakesAcloseThrowIt() {
        List<String> log = new ArrayList<>();
        assertEquals("a at 1.0", run(firstThenClose(returnsOnExit(log))));
        assertEquals(List.of("returned on exit"), log);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(firstThenClose(throwsOnExit())));
        assertEquals("refused to close", e.getMessage());
    }

    @Async
    static AsyncGenerator<Integer> sleepyInner(List<String> log) {
        try {
            emit(1);
            await(sleep(100));
            emit(2);
        } finally {
            log.add("inner finally at " + now());
        }
        return finish();
    }

    @Async
    static AsyncGenerator<String> wrapping(AsyncGenerator<Integer> inner, List<String> log) {
        try {
            while (await(inner.hasNext())) {
                emit("w" + inner.next());
            }
        } finally {
            await(sleep(0));
            log.add("outer finally at " + now());
        }
        return finish();
    }

    @Async
    static Coroutine<List<String>> collectStrings(AsyncIterator<String> it, List<String> into) {
        while (await(it.hasNext())) {
            into.add(it.next());
        }
        return result(into);
    }

    @Async
    static Coroutine<String> cancelDeep(List<String> log) {
        AsyncGenerator<Integer> inner = sleepyInner(log);
        AsyncGenerator<String> outer = wrapping(inner, log);
        List<String> got = new ArrayList<>();
        Task<List<String>> consumer = createTask(collectStrings(outer, got));
        await(sleep(1));
        consumer.cancel();
        String how;
        try {
            await(consumer);
            how = "not cancelled";
        } catch (CancelledError e) {
            how = "cancelled";
        }
        return result(how + " " + got + " " + await(inner.hasNext()) + " " + await(outer.hasNext()));
    }

    @Test
    void cancellingTheConsumerWhileAGeneratorTwoLevelsDownSleepsRunsBothFinallyBlocksInnerFirst() {
        List<String> log = new ArrayList<>();
        assertEquals("cancelled [w1] false false", run(cancelDeep(log)));
        assertEquals(List.of("inner finally at 1.0", "outer finally at 1.0"), log);
    }

    @Async
    static AsyncGenerator<Integer> slowCounter(int n) {
        for (int i = 0; i < n; i++) {
            await(sleep(10));
            emit(i);
        }
        return finish();
    }

    @Async
    static Coroutine<List<Integer>> collectInts(AsyncIterator<Integer> it, int max) {
        List<Integer> got = new ArrayList<>();
        while (got.size() < max && await(it.hasNext())) {
            got.add(it.next());
        }
        return result(got);
    }

    @Async
    static Coroutine<String> hasNextWhileAnotherTaskIterates() {
        AsyncGenerator<Integer> g = slowCounter(3);
        Task<List<Integer>> owner = createTask(collectInts(g, 10));
        await(sleep(1));
        String onHasNext;
        try {
            await(g.hasNext());
            onHasNext = "no failure";
        } catch (IllegalStateException e) {
            onHasNext = e.getMessage();
        }
        String onClose;
        try {
            await(g.aclose());
            onClose = "no failure";
        } catch (IllegalStateException e) {
            onClose = e.getMessage();
        }
        return result(await(owner) + " | " + onHasNext + " | " + onClose);
    }

    @Test
    void hasNextOrAcloseFromASecondTaskWhileTheFirstIteratesIsAClearIllegalStateException() {
        String s = run(hasNextWhileAnotherTaskIterates());
        String[] parts = s.split(" \\| ");
        assertEquals("[0, 1, 2]", parts[0], s);
        assertTrue(parts[1].startsWith("hasNext() of ") && parts[1].contains("another task iterates it"), s);
        assertTrue(parts[2].startsWith("aclose() of ") && parts[2].contains("another task iterates it"), s);
    }

    @Async
    static Coroutine<String> handOver() {
        AsyncGenerator<Integer> g = slowCounter(4);
        List<Integer> first = await(createTask(collectInts(g, 2)));
        List<Integer> rest = await(createTask(collectInts(g, 10)));
        return result(first + " " + rest + " at " + now());
    }

    @Test
    void aPausedGeneratorMayBeTakenOverByAnotherTask() {
        assertEquals("[0, 1] [2, 3] at 40.0", run(handOver()));
    }

    @Async
    static AsyncGenerator<Integer> plusOne(AsyncIterator<Integer> source) {
        while (await(source.hasNext())) {
            emit(source.next() + 1);
        }
        return finish();
    }

    @Async
    static AsyncGenerator<Integer> values(int n, double pause) {
        for (int i = 0; i < n; i++) {
            emit(i * 1000);
            if (pause > 0) {
                await(sleep(pause));
            }
        }
        return finish();
    }

    @Test
    void aChainOfGeneratorsDeeperThanTheInlineLimitHandsOverEveryValue() {
        for (double pause : new double[] {0, 1}) {
            AsyncIterator<Integer> it = values(4, pause);
            int depth = Task.MAX_INLINE_DEPTH * 3;
            for (int i = 0; i < depth; i++) {
                it = plusOne(it);
            }
            assertEquals(List.of(depth, 1000 + depth, 2000 + depth, 3000 + depth), run(collectInts(it, 100)),
                    "pause " + pause);
        }
    }

    @Async
    static AsyncGenerator<Integer> failsAfterWait() {
        emit(1);
        emit(2);
        await(sleep(1));
        throw new IllegalStateException("after two emits"); // line:genThrow
    }

    @Async
    static Coroutine<Integer> sumAll(AsyncIterator<Integer> it) {
        int sum = 0;
        while (await(it.hasNext())) { // line:sumAwait
            sum += it.next();
        }
        return result(sum);
    }

    @Async
    static Coroutine<Integer> sumOuter() {
        return result(await(sumAll(failsAfterWait()))); // line:sumOuter
    }

    @Test
    void aFailureAfterEmitsAndARealWaitCarriesTheBodyThenTheConsumersAwaits() {
        EventLoop loop = new EventLoop(Clock.virtual());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> loop.runUntilComplete(loop.createTask(sumOuter(), "summing")));
            List<String> trace = Arrays.stream(e.getStackTrace()).map(StackTraceElement::toString).collect(Collectors.toList());
            String thrownAt = "dev.weft.runtime.AsyncGeneratorEdgesTest.failsAfterWait(AsyncGeneratorEdgesTest.java:"
                    + SOURCE.line("genThrow") + ")";
            assertTrue(trace.get(0).endsWith(thrownAt), trace.toString());
            int boundary = trace.indexOf("weft.async.task(summing)");
            assertTrue(boundary > 0, trace.toString());
            assertEquals(List.of(
                    "weft.async.task(summing)",
                    "dev.weft.runtime.AsyncGeneratorEdgesTest.sumAll(AsyncGeneratorEdgesTest.java:" + SOURCE.line("sumAwait") + ")",
                    "dev.weft.runtime.AsyncGeneratorEdgesTest.sumOuter(AsyncGeneratorEdgesTest.java:" + SOURCE.line("sumOuter") + ")"),
                    trace.subList(boundary, trace.size()), trace.toString());
        } finally {
            loop.close();
        }
    }
    @Async
    static AsyncGenerator<String> emitsInAFinallyOfAFailure(List<String> log) {
        try {
            emit("before");
            throw new IllegalStateException("pending failure");
        } finally {
            emit("in finally");
            log.add("after the emit in finally");
        }
    }

    @Async
    static Coroutine<String> takeOneInFinallyThenClose(AsyncGenerator<String> g) {
        assertTrue(await(g.hasNext()));
        String a = g.next();
        assertTrue(await(g.hasNext()));
        String b = g.next();
        await(g.aclose());
        return result(a + ", " + b + ", " + g);
    }

    @Async
    static Coroutine<String> drainFailing(AsyncGenerator<String> g) {
        List<String> got = new ArrayList<>();
        try {
            while (await(g.hasNext())) {
                got.add(g.next());
            }
            return result(got + " no failure");
        } catch (IllegalStateException e) {
            return result(got + " " + e.getMessage() + " then " + await(g.hasNext()));
        }
    }

    @Test
    void anEmitInAFinallyBlockOfAFailureHandsItsValueOverAndACloseThereEndsTheGeneratorWithoutTheFailure() {
        List<String> log = new ArrayList<>();
        String closed = run(takeOneInFinallyThenClose(emitsInAFinallyOfAFailure(log)));
        assertTrue(closed.startsWith("before, in finally, AsyncGenerator["), closed);
        assertTrue(closed.endsWith("finished]"), closed);
        assertEquals(List.of(), log, "GeneratorExit at the emit replaced the pending failure");
        assertEquals("[before, in finally] pending failure then false", run(drainFailing(emitsInAFinallyOfAFailure(log))));
        assertEquals(List.of("after the emit in finally"), log);
    }

    /** A resource whose close awaits and records what the block threw. */
    static final class Resource implements AsyncCloseable {
        final List<String> log;

        Resource(List<String> log) {
            this.log = log;
        }

        @Override
        public Awaitable<Void> aclose() {
            return closing(null);
        }

        @Override
        public Awaitable<Void> aclose(Throwable failure) {
            return closing(failure);
        }

        @Async
        Coroutine<Void> closing(Throwable failure) {
            await(sleep(1));
            log.add("resource closed at " + now() + " after " + (failure == null ? "nothing" : failure.getClass().getSimpleName()));
            return done();
        }

        @Override
        public void close() {
            throw new AssertionError("the woven block awaits aclose()");
        }
    }

    @Async
    static AsyncGenerator<Integer> withResource(List<String> log) {
        try (Resource r = new Resource(log)) {
            for (int i = 0; i < 5; i++) {
                emit(i);
            }
        }
        log.add("after the block");
        return finish();
    }

    @Test
    void acloseMidIterationClosesAnAsyncResourceOfTheBodyWithTheGeneratorExit() {
        List<String> log = new ArrayList<>();
        assertEquals(List.of(0, 1), run(takeCloseAndProbe(withResource(log), 2, log)));
        assertEquals(List.of("resource closed at 1.0 after GeneratorExit", "closed at 1.0"), log);
        log.clear();
        assertEquals(List.of(0, 1, 2, 3, 4), run(collectInts(withResource(log), 10)));
        assertEquals(List.of("resource closed at 1.0 after nothing", "after the block"), log);
    }

    @Async
    static AsyncGenerator<Integer> pacedWithCleanup(List<String> log) {
        try {
            await(sleep(1));
            emit(1);
            await(sleep(5));
            emit(2);
        } finally {
            log.add("finally at " + now());
        }
        return finish();
    }

    @Async
    static Coroutine<String> waitForEachValue(AsyncGenerator<Integer> g) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            try {
                assertTrue(await(waitFor(g.hasNext(), 2)));
                out.append(g.next()).append(" at ").append(now()).append("; ");
            } catch (TimeoutError e) {
                out.append("timed out at ").append(now()).append("; ");
            }
        }
        return result(out.append("more: ").append(await(g.hasNext())).toString());
    }

    @Test
    void waitForOnHasNextTimesOutTheBodyWhereItSleepsAndFinishesTheGenerator() {
        List<String> log = new ArrayList<>();
        assertEquals("1 at 1.0; timed out at 3.0; more: false", run(waitForEachValue(pacedWithCleanup(log))));
        assertEquals(List.of("finally at 3.0"), log);
    }

    @Async
    static Coroutine<String> timeoutScopeAroundHasNext(AsyncGenerator<Integer> g) {
        StringBuilder out = new StringBuilder();
        assertTrue(await(g.hasNext()));
        out.append(g.next()).append(" at ").append(now()).append("; ");
        try (dev.weft.runtime.Timeout t = timeout(2)) {
            await(g.hasNext());
            out.append("no timeout; ");
        } catch (TimeoutError e) {
            out.append("timed out at ").append(now()).append("; ");
        }
        return result(out.append("more: ").append(await(g.hasNext())).toString());
    }

    @Test
    void aTimeoutScopeAroundHasNextCancelsTheBodyInTheConsumersTask() {
        List<String> log = new ArrayList<>();
        assertEquals("1 at 1.0; timed out at 3.0; more: false", run(timeoutScopeAroundHasNext(pacedWithCleanup(log))));
        assertEquals(List.of("finally at 3.0"), log);
    }

    static final List<AsyncGenerator<Integer>> SELF = new ArrayList<>();

    @Async
    static AsyncGenerator<Integer> iteratesItself() {
        emit(1);
        String failure;
        try {
            await(SELF.get(0).hasNext());
            failure = "none";
        } catch (IllegalStateException e) {
            failure = e.getMessage();
        }
        emit(failure.contains("while it runs") ? 2 : -1);
        return finish();
    }

    @Test
    void aBodyAwaitingItsOwnHasNextGetsAnIllegalStateExceptionAndGoesOn() {
        SELF.clear();
        SELF.add(iteratesItself());
        assertEquals(List.of(1, 2), run(collectInts(SELF.get(0), 10)));
    }
    @Async
    static AsyncGenerator<Integer> relays(AsyncIterator<Integer> source) {
        while (await(source.hasNext())) { // line:relayAwait
            emit(source.next());
        }
        return finish();
    }

    @Async
    static Coroutine<Integer> sumRelayed() {
        return result(await(sumAll(relays(failsAfterWait())))); // line:sumRelayed
    }

    @Test
    void aFailureInAGeneratorConsumedByAnotherCarriesBothGeneratorsAndTheConsumerButNoStep() {
        EventLoop loop = new EventLoop(Clock.virtual());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> loop.runUntilComplete(loop.createTask(sumRelayed(), "relayed")));
            List<String> trace = Arrays.stream(e.getStackTrace()).map(StackTraceElement::toString).collect(Collectors.toList());
            int boundary = trace.indexOf("weft.async.task(relayed)");
            assertTrue(boundary > 0, trace.toString());
            assertEquals(List.of(
                    "weft.async.task(relayed)",
                    "dev.weft.runtime.AsyncGeneratorEdgesTest.relays(AsyncGeneratorEdgesTest.java:" + SOURCE.line("relayAwait") + ")",
                    "dev.weft.runtime.AsyncGeneratorEdgesTest.sumAll(AsyncGeneratorEdgesTest.java:" + SOURCE.line("sumAwait") + ")",
                    "dev.weft.runtime.AsyncGeneratorEdgesTest.sumRelayed(AsyncGeneratorEdgesTest.java:" + SOURCE.line("sumRelayed") + ")"),
                    trace.subList(boundary, trace.size()), trace.toString());
        } finally {
            loop.close();
        }
    }
    @Async
    static AsyncGenerator<Integer> failsInline() {
        emit(1);
        throw new IllegalStateException("inline after an emit"); // line:inlineThrow
    }

    @Async
    static Coroutine<Integer> sumAfterSleep(AsyncIterator<Integer> it) {
        await(sleep(1));
        int sum = 0;
        while (await(it.hasNext())) { // line:sumAfterSleepAwait
            sum += it.next();
        }
        return result(sum);
    }

    @Async
    static Coroutine<Integer> sumInlineOuter() {
        return result(await(sumAfterSleep(failsInline()))); // line:sumInlineOuter
    }

    @Test
    void aFailureThrownInlineAfterAnEmitShowsTheBodyTheConsumerAndTheAwaitsOutFromIt() {
        EventLoop loop = new EventLoop(Clock.virtual());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> loop.runUntilComplete(loop.createTask(sumInlineOuter(), "inline")));
            List<String> trace = Arrays.stream(e.getStackTrace()).map(StackTraceElement::toString).collect(Collectors.toList());
            List<String> methods = List.of("failsInline", "sumAfterSleep", "sumInlineOuter");
            // The real frames of the body and the consumer, then the boundary and the awaits out from the consumer.
            List<String> user = Arrays.stream(e.getStackTrace())
                    .filter(f -> f.getClassName().startsWith(AsyncTrace.BOUNDARY_CLASS)
                            || f.getClassName().equals(AsyncGeneratorEdgesTest.class.getName()) && methods.contains(f.getMethodName()))
                    .map(f -> new StackTraceElement(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber()).toString())
                    .collect(Collectors.toList());
            assertEquals(List.of(
                    "dev.weft.runtime.AsyncGeneratorEdgesTest.failsInline(AsyncGeneratorEdgesTest.java:" + SOURCE.line("inlineThrow") + ")",
                    "dev.weft.runtime.AsyncGeneratorEdgesTest.sumAfterSleep(AsyncGeneratorEdgesTest.java:" + SOURCE.line("sumAfterSleepAwait") + ")",
                    "weft.async.task(inline)",
                    "dev.weft.runtime.AsyncGeneratorEdgesTest.sumInlineOuter(AsyncGeneratorEdgesTest.java:" + SOURCE.line("sumInlineOuter") + ")"),
                    user, trace.toString());
        } finally {
            loop.close();
        }
    }
}
