package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.currentTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoroutineTest {
    private final List<String> log = new ArrayList<>();
    private int runs;
    private boolean loopRanACallback;

    @Test
    void aCoroutineIsLazyAndReportsItsState() {
        Coroutine<String> c = lazy();
        assertEquals(0, runs);
        assertFalse(c.isDone());
        assertEquals("Coroutine[CoroutineTest.lazy, not started]", c.toString());
        EventLoop loop = new EventLoop(Clock.virtual());
        Task<String> t = loop.createTask(c);
        loop.callLater(0.5, () -> log.add(c.toString()));
        assertEquals("done", loop.runUntilComplete(t));
        assertEquals(List.of("Coroutine[CoroutineTest.lazy, running]"), log);
        assertEquals(1, runs);
        assertTrue(c.isDone());
        assertEquals("Coroutine[CoroutineTest.lazy, done]", c.toString());
    }

    @Async
    Coroutine<String> lazy() {
        runs++;
        await(sleep(1));
        return result("done");
    }

    @Test
    void describeDefaultsToTheClassName() {
        Coroutine<Object> c = new Coroutine<>() {
            @Override
            protected Object resume(Object value, Throwable failure) {
                return "x";
            }
        };
        assertEquals(c.getClass().getName(), c.describe());
    }

    @Test
    void aCoroutineSuspendsOnceAtEachAwaitOfAPendingFuture() {
        // Woven code keeps no count of its suspensions (the hand-written Script of these tests did), so
        // the loop runs one iteration at a time instead: a suspension ends the task's step, and a
        // resume takes exactly one iteration once the awaited future is done. Three iterations: the
        // start, and one resume after each of the two suspensions.
        EventLoop loop = new EventLoop(Clock.virtual());
        Future<String> first = loop.createFuture();
        Future<String> second = loop.createFuture();
        Task<String> t = loop.createTask(awaitBoth(first, second));
        runOnce(loop);
        runOnce(loop);
        assertEquals(List.of("awaits the first"), log, "suspended at the first await, not running on");
        first.setResult("a");
        runOnce(loop);
        assertEquals(List.of("awaits the first", "awaits the second"), log);
        assertFalse(t.isDone());
        second.setResult("b");
        runOnce(loop);
        assertEquals("ab", t.result());
        loop.close();
    }

    @Async
    Coroutine<String> awaitBoth(Future<String> first, Future<String> second) {
        log.add("awaits the first");
        String a = await(first);
        log.add("awaits the second");
        String b = await(second);
        return result(a + b);
    }

    private static void runOnce(EventLoop loop) {
        loop.stop();
        loop.runForever();
    }

    @Test
    void awaitingACoroutineOutsideATaskIsRefused() {
        Coroutine<Void> orphan = orphan();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> orphan.resume(null, null));
        assertTrue(e.getMessage().contains("not driven by a task"), e.getMessage());
    }

    @Async
    static Coroutine<Void> orphan() {
        await(done());
        return done();
    }

    @Test
    void anInstanceMethodKeepsItsReceiverInTheStateMachine() {
        Counter counter = new Counter();
        assertEquals(5, Aio.run(counter.addSlowly(2, 3), Clock.virtual()));
        assertEquals(5, counter.total);
    }

    static final class Counter {
        int total;

        @Async
        Coroutine<Integer> addSlowly(int a, int b) {
            await(sleep(1));
            total = a + b;
            return result(total);
        }
    }

    @Test
    void aNestedCoroutineStartsInlineInTheAwaitingTaskWithNoLoopHop() {
        assertEquals("inner 1 inline", Aio.run(outerInline(), Clock.virtual()));
        assertEquals(List.of("outer starts", "inner runs in the outer's task", "outer resumed"), log);
    }

    @Async
    Coroutine<String> outerInline() {
        log.add("outer starts");
        // Runs at the loop's next iteration: if it ran before the outer resumes, the await hopped.
        getRunningLoop().callSoon(() -> loopRanACallback = true);
        String s = await(inner(currentTask()));
        log.add(loopRanACallback ? "outer resumed after a loop hop" : "outer resumed");
        return result(s + " inline");
    }

    @Async
    Coroutine<String> inner(Task<?> outerTask) {
        log.add(currentTask() == outerTask ? "inner runs in the outer's task" : "inner runs elsewhere");
        return result("inner 1");
    }

    @Test
    void aNestedCoroutineThatSuspendsResumesItsCallerWhenItCompletes() {
        VirtualClock clock = Clock.virtual();
        assertEquals(11, Aio.run(outerSuspending(), clock));
        assertEquals(1.0, clock.nanoTime() / 1e9);
    }

    @Async
    static Coroutine<Integer> innerSleeping() {
        await(sleep(1));
        return result(10);
    }

    @Async
    static Coroutine<Integer> outerSuspending() {
        int v = await(innerSleeping());
        return result(v + 1);
    }

    @Test
    void aCoroutineAwaitedTwiceFailsAtTheSecondAwait() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Aio.run(awaitTwice(), Clock.virtual()));
        assertTrue(e.getMessage().contains("CoroutineTest.atOnce was awaited already"), e.getMessage());
    }

    @Async
    static Coroutine<String> atOnce() {
        return result("at once");
    }

    @Async
    static Coroutine<String> awaitTwice() {
        Coroutine<String> c = atOnce();
        await(c);
        return result(await(c));
    }

    @Test
    void returningAnotherAwaitableCompletesWithItsResult() {
        assertEquals("Data from 4", Aio.run(forward(), Clock.virtual()));
    }

    @Async
    static Coroutine<String> fetchData(int id, double seconds) {
        await(sleep(seconds));
        return result("Data from " + id);
    }

    @Async
    static Coroutine<String> forward() {
        return fetchData(4, 1);
    }
}
