package dev.weft.runtime.sync;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CPython's LockTests, ported, and the try-with-resources form. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@SuppressWarnings("try") // The resource of an async-with block is the held permit or scope itself; the body never names it.
class LockTest {
    private final Lock lock = new Lock();
    private final List<Object> result = new ArrayList<>();

    private static void run(Coroutine<?> main) {
        Aio.run(main, Clock.virtual());
    }

    @Async
    Coroutine<Boolean> appendWhenAcquired(int tag) {
        if (await(lock.acquire())) {
            result.add(tag);
        }
        return result(true);
    }

    @Test
    void waitersGetTheLockInTheOrderTheyAsked() {
        run(waitersGetTheLockInTheOrderTheyAsked(0));
    }

    @Async
    Coroutine<Void> waitersGetTheLockInTheOrderTheyAsked(int unused) {
        assertTrue(await(lock.acquire()));
        Task<Boolean> t1 = createTask(appendWhenAcquired(1));
        Task<Boolean> t2 = createTask(appendWhenAcquired(2));
        await(sleep(0));
        assertEquals(List.of(), result);

        lock.release();
        await(sleep(0));
        assertEquals(List.of(1), result);
        await(sleep(0));
        assertEquals(List.of(1), result);

        Task<Boolean> t3 = createTask(appendWhenAcquired(3));
        lock.release();
        await(sleep(0));
        assertEquals(List.of(1, 2), result);

        lock.release();
        await(sleep(0));
        assertEquals(List.of(1, 2, 3), result);
        assertTrue(t1.isDone() && t1.result());
        assertTrue(t2.isDone() && t2.result());
        assertTrue(t3.isDone() && t3.result());
        return done();
    }

    @Test
    void aCancelledAcquireLeavesNoWaiterBehind() {
        run(aCancelledAcquireLeavesNoWaiterBehind(0));
    }

    @Async
    Coroutine<Void> aCancelledAcquireLeavesNoWaiterBehind(int unused) {
        assertTrue(await(lock.acquire()));
        Task<Boolean> task = createTask(lock.acquire());
        getRunningLoop().callSoon(task::cancel);
        try {
            await(task);
            fail("the acquire was not cancelled");
        } catch (CancelledError expected) {
            // as CPython
        }
        assertEquals(0, lock.waiterCount());
        assertTrue(lock.locked());
        return done();
    }

    @Async
    Coroutine<Void> lockit(Future<Void> blocker) {
        await(lock.acquire());
        try {
            if (blocker != null) {
                await(blocker);
            }
        } finally {
            lock.release();
        }
        return done();
    }

    @Test
    void aWaiterCancelledWhileTheHolderReleasesLetsTheNextOneHaveTheLock() {
        run(aWaiterCancelledWhileTheHolderReleasesLetsTheNextOneHaveTheLock(0));
    }

    @Async
    Coroutine<Void> aWaiterCancelledWhileTheHolderReleasesLetsTheNextOneHaveTheLock(int unused) {
        Future<Void> fa = getRunningLoop().createFuture();
        Task<Void> ta = createTask(lockit(fa));
        await(sleep(0));
        assertTrue(lock.locked());
        Task<Void> tb = createTask(lockit(null));
        await(sleep(0));
        assertEquals(1, lock.waiterCount());
        Task<Void> tc = createTask(lockit(null));
        await(sleep(0));
        assertEquals(2, lock.waiterCount());

        fa.setResult(null);
        tb.cancel();
        await(sleep(0));
        assertFalse(lock.locked());
        assertTrue(ta.isDone());
        assertTrue(tb.isCancelled());
        await(tc);
        assertFalse(lock.locked());
        return done();
    }

    private int lockCount;
    private int callCount;

    @Async
    Coroutine<Void> countingLockit() {
        callCount++;
        await(lock.acquire());
        lockCount++;
        return done();
    }

    @Test
    void cancellingTheFirstWaiterAsTheLockIsReleasedLetsExactlyOneOtherTakeIt() {
        run(cancellingTheFirstWaiterAsTheLockIsReleasedLetsExactlyOneOtherTakeIt(0));
    }

    @Async
    Coroutine<Void> cancellingTheFirstWaiterAsTheLockIsReleasedLetsExactlyOneOtherTakeIt(int unused) {
        await(lock.acquire());
        Task<Void> t1 = createTask(countingLockit());
        Task<Void> t2 = createTask(countingLockit());
        Task<Void> t3 = createTask(countingLockit());
        await(sleep(0));
        getRunningLoop().callSoon(() -> {
            t1.cancel();
            lock.release();
        });
        try {
            await(t1);
            fail("t1 was not cancelled");
        } catch (CancelledError expected) {
            // as CPython
        }
        assertEquals(1, lockCount);
        assertEquals(3, callCount);
        assertTrue(t1.isCancelled() && t2.isDone());
        t3.cancel();
        await(sleep(0));
        assertTrue(t3.isCancelled());
        return done();
    }

    @Test
    void aWokenWaiterThatIsCancelledWakesTheNextOne() {
        run(aWokenWaiterThatIsCancelledWakesTheNextOne(0));
    }

    @Async
    Coroutine<Void> aWokenWaiterThatIsCancelledWakesTheNextOne(int unused) {
        await(lock.acquire());
        assertTrue(lock.locked());
        Task<Boolean> tb = createTask(lock.acquire());
        await(sleep(0));
        assertEquals(1, lock.waiterCount());

        Task<Boolean> tc = createTask(lock.acquire());
        tb.cancel();
        lock.release();
        await(sleep(0));
        assertTrue(lock.locked());
        assertTrue(tb.isCancelled());
        assertTrue(await(tc));
        return done();
    }

    @Test
    void aWaiterWokenAndTimedOutInTheSameIterationPassesTheLockOn() {
        run(wokenAndTimedOut());
    }

    @Async
    Coroutine<Void> wokenAndTimedOut() {
        await(lock.acquire());
        // The release falls due first, then the waiter's deadline, in the same iteration: the waiter is
        // woken and then gets its scope's TimeoutError instead of the lock.
        getRunningLoop().callLater(1, lock::release);
        Task<String> tb = createTask(acquireWithin(1));
        Task<Boolean> tc = createTask(lock.acquire());
        await(sleep(0));
        assertEquals(2, lock.waiterCount());
        assertEquals("timed out", await(tb));
        assertTrue(await(tc), "the next waiter gets the lock the timed-out one was woken for");
        assertTrue(lock.locked());
        return done();
    }

    @Async
    Coroutine<String> acquireWithin(double seconds) {
        try (dev.weft.runtime.Timeout scope = Aio.timeout(seconds)) {
            await(lock.acquire());
            lock.release();
            return result("acquired");
        } catch (dev.weft.runtime.TimeoutError e) {
            return result("timed out");
        }
    }

    @Test
    void releasingAnUnlockedLockThrowsIllegalStateException() {
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
        assertEquals("Lock is not acquired", e.getMessage());
    }

    @Test
    void releaseWithoutWaitersUnlocks() {
        run(releaseWithoutWaitersUnlocks(0));
    }

    @Async
    Coroutine<Void> releaseWithoutWaitersUnlocks(int unused) {
        await(lock.acquire());
        assertTrue(lock.locked());
        lock.release();
        assertFalse(lock.locked());
        return done();
    }

    @Test
    void acquireIsLazy() {
        run(acquireIsLazy(0));
    }

    @Async
    Coroutine<Void> acquireIsLazy(int unused) {
        Coroutine<Boolean> acquiring = lock.acquire();
        assertFalse(lock.locked(), "nothing happens before the coroutine is awaited");
        assertTrue(await(acquiring));
        assertTrue(lock.locked());
        return done();
    }

    @Test
    void holdLocksForTheBlockAndReleasesAtItsEnd() {
        run(holdLocksForTheBlockAndReleasesAtItsEnd(0));
    }

    @Async
    Coroutine<Void> holdLocksForTheBlockAndReleasesAtItsEnd(int unused) {
        assertFalse(lock.locked());
        // tag::hold[]
        try (Held held = await(lock.hold())) {
            assertTrue(lock.locked());
            await(sleep(1));
        }
        assertFalse(lock.locked());
        // end::hold[]
        return done();
    }

    @Test
    void holdReleasesTheLockWhenTheBodyThrows() {
        run(holdReleasesTheLockWhenTheBodyThrows(0));
    }

    @Async
    Coroutine<Void> holdReleasesTheLockWhenTheBodyThrows(int unused) {
        try (Held held = await(lock.hold())) {
            assertTrue(lock.locked());
            await(sleep(1));
            throw new IllegalArgumentException("the body fails");
        } catch (IllegalArgumentException e) {
            assertFalse(lock.locked(), "released before the catch runs");
            result.add(e.getMessage());
        }
        assertEquals(List.of("the body fails"), result);
        return done();
    }

    @Async
    Coroutine<Void> holdAndSleep(double seconds) {
        try (Held held = await(lock.hold())) {
            result.add("in at " + getRunningLoop().time());
            await(sleep(seconds));
        }
        return done();
    }

    @Test
    void aCancelledHolderReleasesTheLockForTheNext() {
        run(aCancelledHolderReleasesTheLockForTheNext(0));
    }

    @Async
    Coroutine<Void> aCancelledHolderReleasesTheLockForTheNext(int unused) {
        Task<Void> first = createTask(holdAndSleep(10));
        Task<Void> second = createTask(holdAndSleep(1));
        await(sleep(2));
        first.cancel();
        await(second);
        assertTrue(first.isCancelled());
        assertEquals(List.of("in at 0.0", "in at 2.0"), result);
        assertFalse(lock.locked());
        return done();
    }

    @Test
    void closingTheHandleTwiceReleasesOnce() {
        run(closingTheHandleTwiceReleasesOnce(0));
    }

    @Async
    Coroutine<Void> closingTheHandleTwiceReleasesOnce(int unused) {
        Held held = await(lock.hold());
        assertFalse(held.isClosed());
        held.close();
        assertTrue(held.isClosed());
        await(lock.acquire());
        held.close();
        assertTrue(lock.locked(), "the second close must not release somebody else's acquisition");
        lock.release();
        return done();
    }

    @Test
    void toStringShowsTheStateAndTheWaiters() {
        run(toStringShowsTheStateAndTheWaiters(0));
    }

    @Async
    Coroutine<Void> toStringShowsTheStateAndTheWaiters(int unused) {
        assertEquals("Lock[unlocked]", lock.toString());
        await(lock.acquire());
        assertEquals("Lock[locked]", lock.toString());
        Task<Boolean> waiter = createTask(lock.acquire());
        await(sleep(0));
        assertEquals("Lock[locked, waiters:1]", lock.toString());
        lock.release();
        await(waiter);
        return done();
    }
}
