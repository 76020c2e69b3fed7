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

/** CPython's ConditionTests, ported, and 3.13's hand-over of a notification by a cancelled waiter. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@SuppressWarnings("try") // The resource of an async-with block is the held permit or scope itself; the body never names it.
class ConditionTest {
    private final Condition cond = new Condition();
    private final List<Object> result = new ArrayList<>();
    private boolean presult;

    private static void run(Coroutine<?> main) {
        Aio.run(main, Clock.virtual());
    }

    /** CPython's c1, c2, c3 of test_wait: waits and keeps the lock. */
    @Async
    Coroutine<Boolean> waitAndKeep(int tag) {
        await(cond.acquire());
        if (await(cond.whenNotified())) {
            result.add(tag);
        }
        return result(true);
    }

    /** The c1, c2, c3 of test_notify: waits, then releases. */
    @Async
    Coroutine<Boolean> waitAndRelease(int tag) {
        await(cond.acquire());
        if (await(cond.whenNotified())) {
            result.add(tag);
            cond.release();
        }
        return result(true);
    }

    @Test
    void notifiedWaitersReturnInOrderEachOnceItHasTheLockBack() {
        run(notifiedWaitersReturnInOrderEachOnceItHasTheLockBack(0));
    }

    @Async
    Coroutine<Void> notifiedWaitersReturnInOrderEachOnceItHasTheLockBack(int unused) {
        Task<Boolean> t1 = createTask(waitAndKeep(1));
        Task<Boolean> t2 = createTask(waitAndKeep(2));
        Task<Boolean> t3 = createTask(waitAndKeep(3));
        await(sleep(0));
        assertEquals(List.of(), result);
        assertFalse(cond.locked());

        assertTrue(await(cond.acquire()));
        cond.signal();
        await(sleep(0));
        assertEquals(List.of(), result);
        assertTrue(cond.locked());

        cond.release();
        await(sleep(0));
        assertEquals(List.of(1), result);
        assertTrue(cond.locked());

        cond.signal(2);
        await(sleep(0));
        assertEquals(List.of(1), result);
        assertTrue(cond.locked());

        cond.release();
        await(sleep(0));
        assertEquals(List.of(1, 2), result);
        assertTrue(cond.locked());

        cond.release();
        await(sleep(0));
        assertEquals(List.of(1, 2, 3), result);
        assertTrue(cond.locked());
        assertTrue(t1.result() && t2.result() && t3.result());
        return done();
    }

    @Test
    void aCancelledWaitTakesTheLockBackAndLeavesNoWaiter() {
        run(aCancelledWaitTakesTheLockBackAndLeavesNoWaiter(0));
    }

    @Async
    Coroutine<Void> aCancelledWaitTakesTheLockBackAndLeavesNoWaiter(int unused) {
        await(cond.acquire());
        Task<Boolean> waiting = createTask(cond.whenNotified());
        getRunningLoop().callSoon(waiting::cancel);
        try {
            await(waiting);
            fail("the wait was not cancelled");
        } catch (CancelledError expected) {
            // as CPython
        }
        assertEquals(0, cond.waiterCount());
        assertTrue(cond.locked());
        return done();
    }

    @Test
    void aNotifiedWaitCancelledWhileTheLockIsContestedEndsWithTheLock() {
        run(aNotifiedWaitCancelledWhileTheLockIsContestedEndsWithTheLock(0));
    }

    @Async
    Coroutine<Void> aNotifiedWaitCancelledWhileTheLockIsContestedEndsWithTheLock(int unused) {
        await(cond.acquire());
        assertTrue(cond.locked());
        Task<Boolean> waitTask = createTask(cond.whenNotified());
        await(sleep(0));
        assertFalse(cond.locked());

        await(cond.acquire());
        assertTrue(cond.locked());
        cond.signal();
        getRunningLoop().callSoon(waitTask::cancel);
        getRunningLoop().callSoon(cond::release);
        try {
            await(waitTask);
        } catch (CancelledError possible) {
            // CPython allows either outcome here; what matters is the lock
        }
        assertTrue(cond.locked());
        return done();
    }

    private boolean waited;

    @Async
    Coroutine<Void> waitOnCond() {
        try (Held held = await(cond.hold())) {
            waited = true;
            await(cond.whenNotified());
        }
        return done();
    }

    @Test
    void aWaiterCancelledAfterItWasNotifiedEndsCancelled() {
        run(aWaiterCancelledAfterItWasNotifiedEndsCancelled(0));
    }

    @Async
    Coroutine<Void> aWaiterCancelledAfterItWasNotifiedEndsCancelled(int unused) {
        Task<Void> waiter = createTask(waitOnCond());
        await(sleep(0));
        await(cond.acquire());
        cond.signal();
        await(sleep(0));
        waiter.cancel();
        await(sleep(0));
        cond.release();
        await(sleep(0));
        assertTrue(waiter.isCancelled());
        assertTrue(waited);
        assertFalse(cond.locked(), "the cancelled waiter released the lock it took back");
        return done();
    }

    @Test
    void waitingWithoutTheLockThrows() {
        run(waitingWithoutTheLockThrows(0));
    }

    @Async
    Coroutine<Void> waitingWithoutTheLockThrows(int unused) {
        try {
            await(cond.whenNotified());
            fail("waited without the lock");
        } catch (IllegalStateException e) {
            assertEquals("cannot wait on un-acquired lock", e.getMessage());
        }
        return done();
    }

    @Async
    Coroutine<Boolean> waitForPredicate() {
        await(cond.acquire());
        if (await(cond.whenTrue(() -> presult))) {
            result.add(1);
            cond.release();
        }
        return result(true);
    }

    @Test
    void whenTrueWaitsUntilThePredicateHoldsAfterANotification() {
        run(whenTrueWaitsUntilThePredicateHoldsAfterANotification(0));
    }

    @Async
    Coroutine<Void> whenTrueWaitsUntilThePredicateHoldsAfterANotification(int unused) {
        Task<Boolean> t = createTask(waitForPredicate());
        await(sleep(0));
        assertEquals(List.of(), result);

        await(cond.acquire());
        cond.signal();
        cond.release();
        await(sleep(0));
        assertEquals(List.of(), result);

        presult = true;
        await(cond.acquire());
        cond.signal();
        cond.release();
        await(sleep(0));
        assertEquals(List.of(1), result);
        assertTrue(t.isDone() && t.result());
        return done();
    }

    @Test
    void whenTrueReturnsAtOnceWithoutTheLockWhenThePredicateHoldsAndThrowsWhenItMustWait() {
        run(whenTrueReturnsAtOnceWithoutTheLockWhenThePredicateHoldsAndThrowsWhenItMustWait(0));
    }

    @Async
    Coroutine<Void> whenTrueReturnsAtOnceWithoutTheLockWhenThePredicateHoldsAndThrowsWhenItMustWait(int unused) {
        assertTrue(await(cond.whenTrue(() -> true)));
        try {
            await(cond.whenTrue(() -> false));
            fail("waited without the lock");
        } catch (IllegalStateException expected) {
            // CPython's RuntimeError
        }
        return done();
    }

    @Test
    void signalWakesAtMostNWaitersInTheOrderTheyCame() {
        run(signalWakesAtMostNWaitersInTheOrderTheyCame(0));
    }

    @Async
    Coroutine<Void> signalWakesAtMostNWaitersInTheOrderTheyCame(int unused) {
        Task<Boolean> t1 = createTask(waitAndRelease(1));
        Task<Boolean> t2 = createTask(waitAndRelease(2));
        Task<Boolean> t3 = createTask(waitAndRelease(3));
        await(sleep(0));
        assertEquals(List.of(), result);

        await(cond.acquire());
        cond.signal(1);
        cond.release();
        await(sleep(0));
        assertEquals(List.of(1), result);

        await(cond.acquire());
        cond.signal(1);
        cond.signal(2048);
        cond.release();
        await(sleep(0));
        assertEquals(List.of(1, 2, 3), result);
        assertTrue(t1.result() && t2.result() && t3.result());
        return done();
    }

    @Test
    void signalAllWakesEveryWaiter() {
        run(signalAllWakesEveryWaiter(0));
    }

    @Async
    Coroutine<Void> signalAllWakesEveryWaiter(int unused) {
        Task<Boolean> t1 = createTask(waitAndRelease(1));
        Task<Boolean> t2 = createTask(waitAndRelease(2));
        await(sleep(0));
        assertEquals(List.of(), result);

        await(cond.acquire());
        cond.signalAll();
        cond.release();
        await(sleep(0));
        assertEquals(List.of(1, 2), result);
        assertTrue(t1.result() && t2.result());
        return done();
    }

    @Test
    void signallingWithoutTheLockThrows() {
        assertEquals("cannot notify on un-acquired lock",
                assertThrows(IllegalStateException.class, cond::signal).getMessage());
        assertThrows(IllegalStateException.class, () -> cond.signal(3));
        assertThrows(IllegalStateException.class, cond::signalAll);
    }

    @Test
    void holdLocksTheConditionForTheBlock() {
        run(holdLocksTheConditionForTheBlock(0));
    }

    @Async
    Coroutine<Void> holdLocksTheConditionForTheBlock(int unused) {
        assertFalse(cond.locked());
        try (Held held = await(cond.hold())) {
            assertTrue(cond.locked());
        }
        assertFalse(cond.locked());
        return done();
    }

    @Test
    void aConditionOverAGivenLockSharesItsState() {
        run(aConditionOverAGivenLockSharesItsState(0));
    }

    @Async
    Coroutine<Void> explicitLock(Lock lock, Condition over) {
        assertSame(lock, over.lock());
        assertFalse(lock.locked());
        assertFalse(over.locked());
        try (Held held = await(over.hold())) {
            assertTrue(lock.locked());
            assertTrue(over.locked());
        }
        assertFalse(lock.locked());
        assertFalse(over.locked());
        try (Held held = await(lock.hold())) {
            assertTrue(lock.locked());
            assertTrue(over.locked());
        }
        assertFalse(lock.locked());
        assertFalse(over.locked());
        return done();
    }

    @Async
    Coroutine<Void> aConditionOverAGivenLockSharesItsState(int unused) {
        Lock lock = new Lock();
        await(explicitLock(lock, new Condition(lock)));
        Lock other = new Lock();
        await(explicitLock(other, new Condition(other)));
        return done();
    }

    @Test
    void aTimeoutWhileWaitingLeavesTheLockHeld() {
        run(aTimeoutWhileWaitingLeavesTheLockHeld(0));
    }

    @Async
    Coroutine<Void> aTimeoutWhileWaitingLeavesTheLockHeld(int unused) {
        try (Held held = await(cond.hold())) {
            try {
                await(waitFor(cond.whenNotified(), 0.5));
                fail("no timeout");
            } catch (TimeoutError expected) {
                assertTrue(cond.locked());
                assertEquals(0.5, getRunningLoop().time());
            }
        }
        assertFalse(cond.locked());
        return done();
    }

    @Test
    void aWaiterCancelledAfterItWasNotifiedHandsTheNotificationToTheNext() {
        run(aWaiterCancelledAfterItWasNotifiedHandsTheNotificationToTheNext(0));
    }

    @Async
    Coroutine<Void> holdWaitAndRecord(int tag) {
        try (Held held = await(cond.hold())) {
            await(cond.whenNotified());
            result.add(tag);
        }
        return done();
    }

    @Async
    Coroutine<Void> aWaiterCancelledAfterItWasNotifiedHandsTheNotificationToTheNext(int unused) {
        Task<Void> t1 = createTask(holdWaitAndRecord(1));
        Task<Void> t2 = createTask(holdWaitAndRecord(2));
        await(sleep(0));
        await(cond.acquire());
        cond.signal(1);
        t1.cancel();
        cond.release();
        await(t2);
        assertTrue(t1.isCancelled());
        assertEquals(List.of(2), result, "the notification went on to the second waiter");
        assertFalse(cond.locked());
        return done();
    }

    @Test
    void toStringShowsTheLockAndTheWaiters() {
        run(toStringShowsTheLockAndTheWaiters(0));
    }

    @Async
    Coroutine<Void> toStringShowsTheLockAndTheWaiters(int unused) {
        assertEquals("Condition[unlocked]", cond.toString());
        Task<Boolean> t1 = createTask(waitAndRelease(1));
        await(sleep(0));
        assertEquals("Condition[unlocked, waiters:1]", cond.toString());
        await(cond.acquire());
        assertEquals("Condition[locked, waiters:1]", cond.toString());
        cond.signalAll();
        cond.release();
        await(t1);
        return done();
    }
}
