package dev.weft.runtime.sync;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Aio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Clock;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;
import dev.weft.runtime.TimeoutError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.util.function.Supplier;

/** CPython's BarrierTests, ported; reset and abort are plain calls here (see docs/runtime.md). */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BarrierTest {
    private int n = 5;
    private Barrier barrier;
    private final List<Object> results1 = new ArrayList<>();
    private final List<Object> results2 = new ArrayList<>();
    private final List<Object> results3 = new ArrayList<>();
    private int count;
    private int rewait;

    private static void run(Coroutine<?> main) {
        Aio.run(main, Clock.virtual());
    }

    @Async
    static <T> Coroutine<List<T>> gatherTasks(int n, Supplier<Coroutine<T>> coro) {
        List<Task<T>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(createTask(coro.get()));
        }
        return result(await(gather(tasks)));
    }

    @Test
    void aBarrierNeedsAtLeastOneParty() {
        assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertThrows(IllegalArgumentException.class, () -> new Barrier(-4));
        assertEquals(5, new Barrier(5).parties());
        assertEquals("Barrier[filling, waiters:0/5]", new Barrier(5).toString());
    }

    @Async
    Coroutine<Integer> arriveAndRecord() {
        int i = await(barrier.arrive());
        results1.add(i);
        return result(i);
    }

    @Test
    void eachTaskGetsItsOwnArrivalIndex() {
        n = 3;
        barrier = new Barrier(n);
        run(gatherTasks(n, this::arriveAndRecord));
        List<Object> sorted = new ArrayList<>(results1);
        sorted.sort(null);
        assertEquals(List.of(0, 1, 2), sorted);
        assertEquals(0, barrier.waiting());
        assertFalse(barrier.isBroken());
    }

    @Test
    void aBarrierOfOnePartyLetsItsTaskThroughAtOnce() {
        barrier = new Barrier(1);
        assertEquals(0, run1(barrier.arrive()));
        assertEquals(0, barrier.waiting());
        assertFalse(barrier.isBroken());
    }

    private static <T> T run1(Coroutine<T> c) {
        return Aio.run(c, Clock.virtual());
    }

    @Test
    void aBarrierOfOnePartyReleasesEachArrivalOnItsOwn() {
        barrier = new Barrier(1);
        run(aBarrierOfOnePartyReleasesEachArrivalOnItsOwn(0));
    }

    @Async
    Coroutine<Void> aBarrierOfOnePartyReleasesEachArrivalOnItsOwn(int unused) {
        Task<Integer> t1 = createTask(barrier.arrive());
        await(sleep(0));
        assertEquals(0, barrier.waiting());
        Task<Integer> t2 = createTask(barrier.arrive());
        await(sleep(0));
        assertEquals(t1.result(), t2.result());
        assertEquals(t1.isDone(), t2.isDone());
        assertEquals(0, barrier.waiting());
        assertFalse(barrier.isBroken());
        return done();
    }

    @Test
    void waitingCountsTheTasksAsTheyArrive() {
        barrier = new Barrier(3);
        run(waitingCountsTheTasksAsTheyArrive(0));
    }

    @Async
    Coroutine<Void> waitingCountsTheTasksAsTheyArrive(int unused) {
        Task<Integer> t1 = createTask(barrier.arrive());
        await(sleep(0));
        assertEquals(1, barrier.waiting());
        assertTrue(barrier.toString().contains("filling"));
        Task<Integer> t2 = createTask(barrier.arrive());
        await(sleep(0));
        assertEquals(2, barrier.waiting());
        assertEquals("Barrier[filling, waiters:2/3]", barrier.toString());
        Task<Integer> t3 = createTask(barrier.arrive());
        await(sleep(0));
        await(gather(t1, t2, t3));
        assertEquals(0, barrier.waiting());
        assertFalse(barrier.isBroken());
        return done();
    }

    @Async
    Coroutine<Integer> passTwice() {
        await(barrier.arrive());
        results1.add(true);
        int i = await(barrier.arrive());
        results2.add(true);
        return result(i);
    }

    @Test
    void tasksPassTheBarrierTwiceWithAnIndexEachTime() {
        barrier = new Barrier(n);
        List<Integer> res = run1(gatherTasks(n, this::passTwice));
        assertEquals(n, results1.size());
        assertEquals(n, results2.size());
        List<Integer> sorted = new ArrayList<>(res);
        sorted.sort(null);
        assertEquals(List.of(0, 1, 2, 3, 4), sorted);
        assertEquals(0, barrier.waiting());
        assertFalse(barrier.isBroken());
    }

    @Async
    Coroutine<Void> recordDraining() {
        await(barrier.arrive());
        results1.add(barrier.toString().contains("draining"));
        return done();
    }

    @Test
    void everyReleasedTaskButTheLastSeesTheBarrierDraining() {
        barrier = new Barrier(n);
        run(gatherTasks(n, this::recordDraining));
        assertEquals(List.of(true, true, true, true, false), results1);
        assertEquals(0, barrier.waiting());
    }

    private Barrier noWaiting;

    @Async
    Coroutine<Void> rewaitOrWaitForTheDraining() {
        await(barrier.arrive());
        if (rewait > 0) {
            rewait--;
            await(barrier.arrive());
        } else {
            await(noWaiting.arrive());
            await(barrier.arrive());
        }
        return done();
    }

    @Test
    void tasksArrivingWhileTheBarrierDrainsWaitForTheNextRound() {
        rewait = 2;
        barrier = new Barrier(n);
        noWaiting = new Barrier(n - rewait);
        run(gatherTasks(n, this::rewaitOrWaitForTheDraining));
        assertEquals(0, barrier.waiting());
        assertEquals(0, noWaiting.waiting());
    }

    @Async
    Coroutine<Void> arriveThenRecord() {
        await(barrier.arrive());
        results1.add(true);
        return done();
    }

    @Test
    void aCancelledWaiterLeavesTheBarrier() {
        barrier = new Barrier(3);
        run(aCancelledWaiterLeavesTheBarrier(0));
    }

    @Async
    Coroutine<Void> aCancelledWaiterLeavesTheBarrier(int unused) {
        Task<Void> t1 = createTask(arriveThenRecord());
        await(sleep(0));
        assertEquals(1, barrier.waiting());
        Task<Void> t2 = createTask(arriveThenRecord());
        await(sleep(0));
        assertEquals(2, barrier.waiting());

        t1.cancel();
        await(sleep(0));
        assertEquals(1, barrier.waiting());
        try {
            await(t1);
            fail("t1 was not cancelled");
        } catch (CancelledError expected) {
            assertTrue(t1.isCancelled());
        }
        Task<Void> t3 = createTask(arriveThenRecord());
        await(sleep(0));
        assertEquals(2, barrier.waiting());
        Task<Void> t4 = createTask(arriveThenRecord());
        await(gather(t2, t3, t4));
        assertEquals(3, results1.size());
        assertEquals(0, barrier.waiting());
        assertFalse(barrier.isBroken());
        return done();
    }

    @Test
    void resettingAnIdleBarrierLeavesItFilling() {
        barrier = new Barrier(1);
        barrier.reset();
        assertEquals(0, barrier.waiting());
        assertFalse(barrier.isBroken());
        assertEquals("Barrier[filling, waiters:0/1]", barrier.toString());
    }

    @Async
    Coroutine<Void> arriveOrRecordTheBreak() {
        try {
            await(barrier.arrive());
        } catch (BrokenBarrierError e) {
            results1.add(true);
        }
        return done();
    }

    @Test
    void resetThrowsBrokenBarrierErrorAtTheWaitingTasks() {
        barrier = new Barrier(n);
        run(resetThrowsBrokenBarrierErrorAtTheWaitingTasks(0));
        assertEquals(n - 1, results1.size());
        assertEquals(0, barrier.waiting());
        assertFalse(barrier.toString().contains("resetting"));
        assertFalse(barrier.isBroken());
    }

    @Async
    Coroutine<Void> resetThrowsBrokenBarrierErrorAtTheWaitingTasks(int unused) {
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            tasks.add(createTask(arriveOrRecordTheBreak()));
        }
        await(sleep(0));
        assertEquals(n - 1, barrier.waiting());
        barrier.reset();
        assertEquals("Barrier[resetting, waiters:0/5]", barrier.toString());
        await(gather(tasks));
        return done();
    }

    private final int restOfTasks = 2;

    @Async
    Coroutine<Void> resetWhenHalfHaveLeft() {
        try {
            await(barrier.arrive());
        } catch (BrokenBarrierError e) {
            results1.add(true);
            return done();
        }
        if (restOfTasks == barrier.count()) {
            barrier.reset();
        }
        return done();
    }

    @Test
    void aResetWhileTheBarrierDrainsBreaksTheTasksNotOutYet() {
        barrier = new Barrier(n);
        run(gatherTasks(n, this::resetWhenHalfHaveLeft));
        assertEquals(List.of(true, true), results1);
        assertEquals(0, barrier.waiting());
        assertFalse(barrier.toString().contains("resetting"));
        assertFalse(barrier.isBroken());
    }

    @Async
    Coroutine<Void> halfDrainingHalfBlocking(int blockingTasks) {
        try {
            await(barrier.arrive());
        } catch (BrokenBarrierError e) {
            results1.add(true);
            await(barrier.arrive());
            return done();
        }
        count++;
        if (count > blockingTasks) {
            barrier.reset();
            await(barrier.arrive());
        } else {
            try {
                await(barrier.arrive());
            } catch (BrokenBarrierError e) {
                results2.add(true);
            }
        }
        return done();
    }

    @Test
    void aResetWhenHalfTheTasksDrainAndHalfWaitAgainBreaksTheWaitingOnes() {
        barrier = new Barrier(n);
        int blocking = n / 2;
        run(gatherTasks(n, () -> halfDrainingHalfBlocking(blocking)));
        assertEquals(List.of(true, true), results1);
        assertEquals(List.of(), results2);
        assertEquals(0, barrier.waiting());
        assertFalse(barrier.toString().contains("resetting"));
        assertFalse(barrier.isBroken());
    }

    @Async
    Coroutine<Void> breakThenArriveAgain() {
        try {
            await(barrier.arrive());
        } catch (BrokenBarrierError e) {
            results1.add(true);
        } finally {
            await(barrier.arrive());
            results2.add(true);
        }
        return done();
    }

    @Async
    Coroutine<Void> arriveAndRecordSecond() {
        await(barrier.arrive());
        results2.add(true);
        return done();
    }

    @Test
    void tasksBrokenByAResetCanArriveAgain() {
        barrier = new Barrier(n);
        run(tasksBrokenByAResetCanArriveAgain(0));
        assertFalse(barrier.isBroken());
        assertEquals(n - 1, results1.size());
        assertEquals(n, results2.size());
        assertEquals(0, barrier.waiting());
    }

    @Async
    Coroutine<Void> tasksBrokenByAResetCanArriveAgain(int unused) {
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            tasks.add(createTask(breakThenArriveAgain()));
        }
        await(sleep(0));
        barrier.reset();
        await(sleep(0));
        createTask(arriveAndRecordSecond());
        await(gather(tasks));
        return done();
    }

    @Async
    Coroutine<Void> resetByTheLastToLeave() {
        await(barrier.arrive());
        count++;
        if (count == n) {
            barrier.reset();
            await(barrier.arrive());
        } else {
            try {
                await(barrier.arrive());
                results1.add(true);
            } catch (BrokenBarrierError e) {
                results2.add(true);
            }
        }
        await(barrier.arrive());
        results3.add(true);
        return done();
    }

    @Test
    void aResetByTheLastTaskToLeaveBreaksNoTaskOfTheNextRound() {
        barrier = new Barrier(n);
        run(gatherTasks(n, this::resetByTheLastToLeave));
        assertFalse(barrier.isBroken());
        assertEquals(n - 1, results1.size());
        assertEquals(0, results2.size());
        assertEquals(n, results3.size());
        assertEquals(0, barrier.waiting());
    }

    @Test
    void abortBreaksTheBarrier() {
        barrier = new Barrier(1);
        barrier.abort();
        assertEquals(0, barrier.waiting());
        assertTrue(barrier.isBroken());
        assertEquals("Barrier[broken]", barrier.toString());
        BrokenBarrierError e = assertThrows(BrokenBarrierError.class, () -> run1(barrier.arrive()));
        assertEquals("Barrier aborted", e.getMessage());
    }

    @Async
    Coroutine<Void> abortWhenHalfHaveLeft(int blockingTasks) {
        try {
            await(barrier.arrive());
        } catch (BrokenBarrierError e) {
            results1.add(true);
            return done();
        }
        count++;
        if (count > blockingTasks) {
            barrier.abort();
        } else {
            try {
                await(barrier.arrive());
            } catch (BrokenBarrierError e) {
                results2.add(true);
            }
        }
        return done();
    }

    @Test
    void anAbortWhenHalfTheTasksDrainBreaksTheWaitingAndTheArrivingOnes() {
        barrier = new Barrier(n);
        int blocking = n / 2;
        run(gatherTasks(n, () -> abortWhenHalfHaveLeft(blocking)));
        assertTrue(barrier.isBroken());
        assertEquals(List.of(true, true), results1);
        assertEquals(List.of(true, true), results2);
        assertEquals(0, barrier.waiting());
        assertFalse(barrier.toString().contains("resetting"));
    }

    @Async
    Coroutine<Void> failingParty() {
        try {
            int i = await(barrier.arrive());
            if (i == n / 2) {
                throw new IllegalArgumentException("one party fails");
            }
            await(barrier.arrive());
            results1.add(true);
        } catch (BrokenBarrierError e) {
            results2.add(true);
        } catch (IllegalArgumentException e) {
            barrier.abort();
        }
        return done();
    }

    @Test
    void aPartyThatFailsAbortsTheBarrierForTheOthers() {
        barrier = new Barrier(n);
        run(gatherTasks(n, this::failingParty));
        assertTrue(barrier.isBroken());
        assertEquals(0, results1.size());
        assertEquals(n - 1, results2.size());
        assertEquals(0, barrier.waiting());
    }

    private Barrier barrier2;

    @Async
    Coroutine<Void> failAbortAndReset() {
        try {
            int i = await(barrier.arrive());
            if (i == n / 2) {
                throw new IllegalArgumentException("one party fails");
            }
            await(barrier.arrive());
            results1.add(true);
        } catch (BrokenBarrierError e) {
            results2.add(true);
        } catch (IllegalArgumentException e) {
            barrier.abort();
        }
        int i = await(barrier2.arrive());
        if (i == n / 2) {
            barrier.reset();
        }
        await(barrier2.arrive());
        await(barrier.arrive());
        results3.add(true);
        return done();
    }

    @Test
    void anAbortedBarrierIsUsableAgainAfterAReset() {
        barrier = new Barrier(n);
        barrier2 = new Barrier(n);
        run(gatherTasks(n, this::failAbortAndReset));
        assertFalse(barrier.isBroken());
        assertEquals(0, results1.size());
        assertEquals(n - 1, results2.size());
        assertEquals(n, results3.size());
        assertEquals(0, barrier.waiting());
    }

    @Test
    void arriveIsLazy() {
        barrier = new Barrier(2);
        run(arriveIsLazy(0));
    }

    @Async
    Coroutine<Void> arriveIsLazy(int unused) {
        Coroutine<Integer> arriving = barrier.arrive();
        await(sleep(0));
        assertEquals(0, barrier.waiting());
        Task<Integer> other = createTask(barrier.arrive());
        int mine = await(arriving);
        assertEquals(0, mine, "the coroutine arrived when it was awaited, before the task ran");
        assertEquals(1, (int) await(other));
        return done();
    }
}
