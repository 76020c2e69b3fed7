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

/** CPython 3.13's SemaphoreTests, ported: fairness, cancellation and the hold form. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@SuppressWarnings("try") // The resource of an async-with block is the held permit or scope itself; the body never names it.
class SemaphoreTest {
    private final List<Object> result = new ArrayList<>();

    private static void run(Coroutine<?> main) {
        Aio.run(main, Clock.virtual());
    }

    @Test
    void aSemaphoreOfZeroIsLocked() {
        assertTrue(new Semaphore(0).locked());
        assertFalse(new Semaphore(1).locked());
    }

    @Test
    void aNegativeStartValueIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
    }

    @Async
    Coroutine<Boolean> appendWhenAcquired(Semaphore sem, int tag) {
        await(sem.acquire());
        result.add(tag);
        return result(true);
    }

    @Test
    void permitsAreTakenAtOnceAndReleasedOnesGoToTheWaiters() {
        run(permitsAreTakenAtOnceAndReleasedOnesGoToTheWaiters(new Semaphore(3)));
    }

    @Async
    Coroutine<Void> permitsAreTakenAtOnceAndReleasedOnesGoToTheWaiters(Semaphore sem) {
        assertTrue(await(sem.acquire()));
        assertTrue(await(sem.acquire()));
        assertFalse(sem.locked());

        Task<Boolean> t1 = createTask(appendWhenAcquired(sem, 1));
        Task<Boolean> t2 = createTask(appendWhenAcquired(sem, 2));
        Task<Boolean> t3 = createTask(appendWhenAcquired(sem, 3));
        await(sleep(0));
        assertEquals(List.of(1), result);
        assertTrue(sem.locked());
        assertEquals(2, sem.waiterCount());
        assertEquals(0, sem.value);

        Task<Boolean> t4 = createTask(appendWhenAcquired(sem, 4));
        sem.release();
        sem.release();
        assertEquals(0, sem.value, "the permits went to the two waiters");

        await(sleep(0));
        assertEquals(0, sem.value);
        assertEquals(3, result.size());
        assertTrue(sem.locked());
        assertEquals(1, sem.waiterCount());
        assertTrue(t1.isDone() && t1.result());
        int finished = 0;
        for (Task<Boolean> t : List.of(t2, t3, t4)) {
            if (t.isDone() && t.result()) {
                finished++;
            }
        }
        assertEquals(2, finished);
        assertEquals(List.of(1, 2, 3), result, "first in, first out: t4 came last");

        sem.release();
        await(gather(t2, t3, t4));
        return done();
    }

    @Test
    void aCancelledAcquireLeavesNoPendingWaiter() {
        run(aCancelledAcquireLeavesNoPendingWaiter(new Semaphore(1)));
    }

    @Async
    Coroutine<Void> aCancelledAcquireLeavesNoPendingWaiter(Semaphore sem) {
        await(sem.acquire());
        Task<Boolean> acquiring = createTask(sem.acquire());
        getRunningLoop().callSoon(acquiring::cancel);
        try {
            await(acquiring);
            fail("the acquire was not cancelled");
        } catch (CancelledError expected) {
            // as CPython
        }
        assertEquals(0, sem.waiterCount());
        return done();
    }

    @Test
    void waitersCancelledBeforeTheyWokeDoNotTakeTheReleasedPermit() {
        run(waitersCancelledBeforeTheyWokeDoNotTakeTheReleasedPermit(new Semaphore(0)));
    }

    @Async
    Coroutine<Void> waitersCancelledBeforeTheyWokeDoNotTakeTheReleasedPermit(Semaphore sem) {
        Task<Boolean> t1 = createTask(sem.acquire());
        Task<Boolean> t2 = createTask(sem.acquire());
        Task<Boolean> t3 = createTask(sem.acquire());
        Task<Boolean> t4 = createTask(sem.acquire());
        await(sleep(0));

        t1.cancel();
        t2.cancel();
        sem.release();
        await(sleep(0));
        await(sleep(0));
        assertTrue(t3.isDone());
        assertFalse(t4.isDone());

        t3.cancel();
        t4.cancel();
        await(sleep(0));
        return done();
    }

    @Test
    void aWaiterCancelledWhenThePermitCameDoesNotHangTheNext() {
        run(aWaiterCancelledWhenThePermitCameDoesNotHangTheNext(new Semaphore(0)));
    }

    @Async
    Coroutine<Void> aWaiterCancelledWhenThePermitCameDoesNotHangTheNext(Semaphore sem) {
        Task<Boolean> t1 = createTask(sem.acquire());
        Task<Boolean> t2 = createTask(sem.acquire());
        await(sleep(0));

        t1.cancel();
        sem.release();
        await(sleep(0));
        await(sleep(0));
        assertTrue(sem.locked());
        assertTrue(t2.isDone());
        return done();
    }

    private Task<Void> second;

    @Async
    Coroutine<Void> holdBrieflyThenCancelTheSecond(Semaphore sem) {
        try (Held held = await(sem.hold())) {
            await(sleep(0));
        }
        second.cancel();
        return done();
    }

    @Async
    Coroutine<Void> holdAndFail(Semaphore sem) {
        try (Held held = await(sem.hold())) {
            fail("the second task must be cancelled before it gets the permit");
        }
        return done();
    }

    @Test
    void aWaiterCancelledAfterItWasWokenGivesThePermitBack() {
        run(aWaiterCancelledAfterItWasWokenGivesThePermitBack(new Semaphore(1)));
    }

    @Async
    Coroutine<Void> aWaiterCancelledAfterItWasWokenGivesThePermitBack(Semaphore sem) {
        Task<Void> t1 = createTask(holdBrieflyThenCancelTheSecond(sem));
        second = createTask(holdAndFail(sem));
        List<Object> outcomes = await(gather(List.of(t1, second), true));
        assertNull(outcomes.get(0));
        assertTrue(outcomes.get(1) instanceof CancelledError);
        await(waitFor(sem.acquire(), 1.0));
        return done();
    }

    @Test
    void releaseWithoutWaitersUnlocks() {
        run(releaseWithoutWaitersUnlocks(new Semaphore(1)));
    }

    @Async
    Coroutine<Void> releaseWithoutWaitersUnlocks(Semaphore sem) {
        await(sem.acquire());
        assertTrue(sem.locked());
        sem.release();
        assertFalse(sem.locked());
        return done();
    }

    @Async
    Coroutine<Void> twice(Semaphore sem, String tag) {
        await(sem.acquire());
        result.add(tag + "_1");
        await(sleep(0.01));
        sem.release();

        await(sem.acquire());
        result.add(tag + "_2");
        await(sleep(0.01));
        sem.release();
        return done();
    }

    @Test
    void acquiresAreServedFirstInFirstOut() {
        run(acquiresAreServedFirstInFirstOut(new Semaphore(1)));
    }

    @Async
    Coroutine<Void> acquiresAreServedFirstInFirstOut(Semaphore sem) {
        await(gather(createTask(twice(sem, "c1")), createTask(twice(sem, "c2")), createTask(twice(sem, "c3"))));
        assertEquals(List.of("c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"), result);
        return done();
    }

    @Async
    Coroutine<Boolean> releaseAndAcquireAgain(Semaphore sem) {
        await(sem.acquire());
        result.add(2);
        sem.release();
        await(sem.acquire());
        result.add(4);
        return result(true);
    }

    @Test
    void aTaskThatReleasesAndAcquiresAgainQueuesBehindTheWaiters() {
        run(aTaskThatReleasesAndAcquiresAgainQueuesBehindTheWaiters(new Semaphore(1)));
    }

    @Async
    Coroutine<Void> aTaskThatReleasesAndAcquiresAgainQueuesBehindTheWaiters(Semaphore sem) {
        Task<Boolean> t1 = createTask(appendWhenAcquired(sem, 1));
        Task<Boolean> t2 = createTask(releaseAndAcquireAgain(sem));
        Task<Boolean> t3 = createTask(appendWhenAcquired(sem, 3));
        await(sleep(0));
        sem.release();
        sem.release();
        await(gather(t1, t2, t3));
        assertEquals(List.of(1, 2, 3, 4), result);
        return done();
    }

    @Test
    void aCancelledWaiterIsSkipped() {
        run(aCancelledWaiterIsSkipped(new Semaphore(0)));
    }

    @Async
    Coroutine<Void> aCancelledWaiterIsSkipped(Semaphore sem) {
        Task<Boolean> t1 = createTask(appendWhenAcquired(sem, 1));
        Task<Boolean> t2 = createTask(appendWhenAcquired(sem, 2));
        Task<Boolean> t3 = createTask(appendWhenAcquired(sem, 3));
        await(sleep(0));
        t1.cancel();
        await(sleep(0));
        sem.release();
        sem.release();
        await(gather(List.of(t1, t2, t3), true));
        assertEquals(List.of(2, 3), result);
        return done();
    }

    @Test
    void holdGivesThePermitBackWhenTheBodyThrows() {
        run(holdGivesThePermitBackWhenTheBodyThrows(new Semaphore(1)));
    }

    @Async
    Coroutine<Void> holdGivesThePermitBackWhenTheBodyThrows(Semaphore sem) {
        try (Held held = await(sem.hold())) {
            assertTrue(sem.locked());
            throw new IllegalArgumentException("the body fails");
        } catch (IllegalArgumentException e) {
            assertFalse(sem.locked());
        }
        assertEquals(1, sem.value);
        return done();
    }

    @Test
    void releaseMayRaiseTheCountAboveItsStartValue() {
        Semaphore sem = new Semaphore(1);
        sem.release();
        assertEquals(2, sem.value);
    }

    @Test
    void toStringShowsTheValueAndTheWaiters() {
        run(toStringShowsTheValueAndTheWaiters(new Semaphore(1)));
    }

    @Async
    Coroutine<Void> toStringShowsTheValueAndTheWaiters(Semaphore sem) {
        assertEquals("Semaphore[unlocked, value:1]", sem.toString());
        await(sem.acquire());
        assertEquals("Semaphore[locked]", sem.toString());
        Task<Boolean> waiting = createTask(sem.acquire());
        await(sleep(0));
        assertEquals("Semaphore[locked, waiters:1]", sem.toString());
        sem.release();
        await(waiting);
        return done();
    }
}
