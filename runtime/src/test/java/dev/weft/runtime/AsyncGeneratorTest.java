package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.emit;
import static dev.weft.runtime.Aio.finish;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Async generators: laziness, emit with and without real suspension, failures, aclose and GeneratorExit. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncGeneratorTest {
    private static <T> T run(Coroutine<T> main) {
        return Aio.run(main, Clock.virtual());
    }

    @Async
    static AsyncGenerator<Integer> count(int n, List<String> log) {
        log.add("started");
        for (int i = 0; i < n; i++) {
            emit(i);
        }
        log.add("finished");
        return finish();
    }

    @Async
    static <T> Coroutine<List<T>> collect(AsyncIterator<T> it) {
        List<T> all = new ArrayList<>();
        while (await(it.hasNext())) {
            all.add(it.next());
        }
        return result(all);
    }

    @Test
    void aGeneratorIsLazyAndHandsOverEveryValueInOrder() {
        List<String> log = new ArrayList<>();
        AsyncGenerator<Integer> g = count(3, log);
        assertEquals(List.of(), log, "nothing runs before the first hasNext");
        assertEquals(List.of(0, 1, 2), run(collect(g)));
        assertEquals(List.of("started", "finished"), log);
    }

    @Async
    static AsyncGenerator<String> ticker(int n, double every) {
        for (int i = 0; i < n; i++) {
            emit("tick " + i + " at " + Aio.getRunningLoop().time());
            await(sleep(every));
        }
        return finish();
    }

    @Test
    void awaitBetweenEmitsSuspendsTheConsumersTask() {
        List<String> got = run(collect(ticker(3, 1.0)));
        assertEquals(List.of("tick 0 at 0.0", "tick 1 at 1.0", "tick 2 at 2.0"), got);
    }

    @Test
    void hasNextMayBeAwaitedAgainWithoutSkippingAndNextWithoutAValueThrows() {
        assertEquals(List.of(0, 1), run(hasNextTwice()));
    }

    @Async
    static Coroutine<List<Integer>> hasNextTwice() {
        AsyncGenerator<Integer> g = count(2, new ArrayList<>());
        assertThrows(NoSuchElementException.class, g::next);
        List<Integer> got = new ArrayList<>();
        assertTrue(await(g.hasNext()));
        assertTrue(await(g.hasNext()));
        got.add(g.next());
        assertThrows(NoSuchElementException.class, g::next);
        assertTrue(await(g.hasNext()));
        got.add(g.next());
        assertFalse(await(g.hasNext()));
        assertFalse(await(g.hasNext()));
        return result(got);
    }

    @Async
    static AsyncGenerator<Integer> failsAfter(int n) {
        for (int i = 0; i < n; i++) {
            emit(i);
        }
        await(sleep(0.5));
        throw new IllegalStateException("broke after " + n);
    }

    @Test
    void aFailureInTheGeneratorIsThrownAtTheConsumersHasNext() {
        List<Integer> got = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(consumeInto(failsAfter(2), got)));
        assertEquals("broke after 2", e.getMessage());
        assertEquals(List.of(0, 1), got);
    }

    @Async
    static Coroutine<Void> consumeInto(AsyncIterator<Integer> it, List<Integer> got) {
        while (await(it.hasNext())) {
            got.add(it.next());
        }
        return done();
    }

    @Async
    static AsyncGenerator<Integer> withCleanup(List<String> log) {
        try {
            for (int i = 0; ; i++) {
                emit(i);
            }
        } finally {
            log.add("finally before");
            await(sleep(1.0));
            log.add("finally after an await");
        }
    }

    @Test
    void acloseResumesTheGeneratorWithGeneratorExitAndItsFinallyRunsAwaitsIncluded() {
        List<String> log = new ArrayList<>();
        assertEquals(List.of(0, 1, 2), run(takeThenClose(withCleanup(log), 3)));
        assertEquals(List.of("finally before", "finally after an await"), log);
    }

    @Async
    static Coroutine<List<Integer>> takeThenClose(AsyncGenerator<Integer> g, int n) {
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < n && await(g.hasNext()); i++) {
            got.add(g.next());
        }
        await(g.aclose());
        assertFalse(await(g.hasNext()), "a closed generator has nothing more");
        return result(got);
    }

    @Test
    void tryWithResourcesClosesTheGenerator() {
        List<String> log = new ArrayList<>();
        assertEquals(List.of(0, 1), run(firstTwo(log)));
        assertEquals(List.of("finally before", "finally after an await"), log);
    }

    @Async
    static Coroutine<List<Integer>> firstTwo(List<String> log) {
        List<Integer> got = new ArrayList<>();
        try (AsyncGenerator<Integer> g = withCleanup(log)) {
            while (await(g.hasNext())) {
                got.add(g.next());
                if (got.size() == 2) {
                    break;
                }
            }
        }
        return result(got);
    }

    @Async
    static AsyncGenerator<Integer> stubborn() {
        while (true) {
            try {
                emit(1);
            } catch (GeneratorExit e) {
                emit(2);
            }
        }
    }

    @Test
    void aGeneratorThatEmitsWhileClosingMakesAcloseFail() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(closeStubborn()));
        assertTrue(e.getMessage().contains("ignored GeneratorExit"), e.getMessage());
    }

    @Async
    static Coroutine<Void> closeStubborn() {
        AsyncGenerator<Integer> g = stubborn();
        assertTrue(await(g.hasNext()));
        await(g.aclose());
        return done();
    }

    @Test
    void closingAGeneratorNeverStartedRunsNothing() {
        List<String> log = new ArrayList<>();
        run(closeUnstarted(count(3, log)));
        assertEquals(List.of(), log);
    }

    @Async
    static Coroutine<Void> closeUnstarted(AsyncGenerator<Integer> g) {
        await(g.aclose());
        assertFalse(await(g.hasNext()));
        return done();
    }

    @Async
    static AsyncGenerator<Integer> doubled(AsyncIterator<Integer> source) {
        while (await(source.hasNext())) {
            emit(source.next() * 2);
        }
        return finish();
    }

    @Test
    void aGeneratorConsumingAnother() {
        assertEquals(List.of(0, 2, 4, 6), run(collect(doubled(count(4, new ArrayList<>())))));
        assertEquals(List.of(0, 4), run(collect(doubled(doubled(count(2, new ArrayList<>()))))));
    }

    @Test
    void nestedGeneratorsWithSuspensionAtEveryLevel() {
        List<String> got = run(collect(prefixed(ticker(2, 0.5))));
        assertEquals(List.of("> tick 0 at 0.0", "> tick 1 at 0.5"), got);
    }

    @Async
    static AsyncGenerator<String> prefixed(AsyncIterator<String> source) {
        while (await(source.hasNext())) {
            String s = source.next();
            await(sleep(0));
            emit("> " + s);
        }
        return finish();
    }

    @Test
    void cancellingTheConsumerReachesTheGeneratorWhereItWaits() {
        List<String> log = new ArrayList<>();
        assertEquals("cancelled", run(cancelConsumer(log)));
        assertEquals(List.of("finally before", "finally after an await"), log);
    }

    @Async
    static AsyncGenerator<Integer> slow(List<String> log) {
        try {
            emit(1);
            await(sleep(100));
            emit(2);
        } finally {
            log.add("finally before");
            await(sleep(0));
            log.add("finally after an await");
        }
        return finish();
    }

    @Async
    static Coroutine<String> cancelConsumer(List<String> log) {
        Task<List<Integer>> consumer = createTask(collect(slow(log)));
        await(sleep(1));
        consumer.cancel();
        try {
            await(consumer);
            return result("not cancelled");
        } catch (CancelledError e) {
            return result("cancelled");
        }
    }

    @Test
    void manyValuesWithLiveLocalsOfEveryType() {
        assertEquals(50_005_000L, (long) run(sum(primitives(10_000))));
    }

    @Async
    static AsyncGenerator<Long> primitives(int n) {
        long l = 0;
        double d = 0.5;
        float f = 1.5f;
        char c = 'a';
        byte b = 1;
        short s = 2;
        boolean z = true;
        for (int i = 1; i <= n; i++) {
            l += i;
            emit((long) i);
            if (i % 1000 == 0) {
                await(sleep(0));
            }
            assertEquals(0.5, d);
            assertEquals(1.5f, f);
            assertEquals('a', c);
            assertEquals(1, b);
            assertEquals(2, s);
            assertTrue(z);
        }
        assertEquals(50_005_000L, l);
        return finish();
    }

    @Async
    static Coroutine<Long> sum(AsyncIterator<Long> it) {
        long total = 0;
        while (await(it.hasNext())) {
            total += it.next();
        }
        return result(total);
    }

    @Test
    void debugModeReportsAGeneratorDroppedUnfinishedAndOneNeverIteratedAndNoEmit() {
        EventLoop loop = Aio.newEventLoop(Clock.virtual());
        List<String> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add(context.message()));
        loop.setDebug(true);
        assertEquals(List.of(0, 1), loop.runUntilComplete(loop.createTask(dropTwo())));
        assertTrue(reported.isEmpty(), reported::toString);
        loop.close();
        assertEquals(List.of(
                "async generator AsyncGeneratorTest.count was dropped unfinished, so its finally blocks never ran: "
                        + "close it (await(g.aclose()), or try-with-resources in an @Async method) when you stop early",
                "async generator AsyncGeneratorTest.count was never iterated: await its hasNext(), or do not call it"),
                reported);
    }

    @Async
    static Coroutine<List<Integer>> dropTwo() {
        AsyncGenerator<Integer> started = count(5, new ArrayList<>());
        AsyncGenerator<Integer> neverIterated = count(5, new ArrayList<>());
        List<Integer> got = new ArrayList<>();
        while (await(started.hasNext()) && got.size() < 2) {
            got.add(started.next());
        }
        assertFalse(neverIterated.toString().isEmpty());
        // A generator run to its end, and one closed early, are not reported.
        await(collect(count(2, new ArrayList<>())));
        AsyncGenerator<Integer> closed = count(5, new ArrayList<>());
        await(closed.hasNext());
        await(closed.aclose());
        return result(got);
    }
}
