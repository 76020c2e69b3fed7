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
import java.util.concurrent.atomic.AtomicReference;

/** The thread check and the loop binding that every primitive shares. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopBoundTest {
    private static Throwable onAnotherThread(Runnable call) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                call.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "intruder");
        t.start();
        t.join();
        return failure.get();
    }

    @Async
    static Coroutine<Void> acquire(Lock lock) {
        await(lock.acquire());
        return done();
    }

    @Test
    void aMutatingCallFromAnotherThreadFailsAtOnceWithAClearMessage() throws InterruptedException {
        Lock lock = new Lock();
        Aio.run(acquire(lock), Clock.virtual());
        Throwable failure = onAnotherThread(lock::release);
        assertTrue(failure instanceof IllegalStateException, String.valueOf(failure));
        assertEquals("Lock.release called from thread intruder but Lock[locked] is used by the event loop on thread "
                + Thread.currentThread().getName() + ": use callSoonThreadsafe to hand work to that loop",
                failure.getMessage());
        assertTrue(lock.locked(), "the refused release changed nothing");
    }

    @Test
    void everyKindOfPrimitiveChecksTheThread() throws InterruptedException {
        Queue<Integer> q = new Queue<>();
        Event ev = new Event();
        Semaphore sem = new Semaphore(1);
        Barrier barrier = new Barrier(2);
        Aio.run(useAll(q, ev, sem, barrier), Clock.virtual());
        assertTrue(onAnotherThread(() -> q.putNowait(1)) instanceof IllegalStateException);
        assertTrue(onAnotherThread(q::getNowait) instanceof IllegalStateException);
        assertTrue(onAnotherThread(q::taskDone) instanceof IllegalStateException);
        assertTrue(onAnotherThread(q::shutdown) instanceof IllegalStateException);
        assertTrue(onAnotherThread(ev::set) instanceof IllegalStateException);
        assertTrue(onAnotherThread(ev::clear) instanceof IllegalStateException);
        assertTrue(onAnotherThread(sem::release) instanceof IllegalStateException);
        assertTrue(onAnotherThread(barrier::reset) instanceof IllegalStateException);
        assertTrue(onAnotherThread(barrier::abort) instanceof IllegalStateException);
        assertEquals(1, q.qsize(), "reading is allowed from any thread");
    }

    @Async
    static Coroutine<Void> useAll(Queue<Integer> q, Event ev, Semaphore sem, Barrier barrier) {
        await(q.put(1));
        ev.set();
        await(sem.acquire());
        barrier.reset();
        return done();
    }

    @Test
    void aPrimitiveUsedOutsideAnyLoopIsNotBoundToThatThread() throws InterruptedException {
        Queue<Integer> q = new Queue<>();
        Throwable failure = onAnotherThread(() -> q.putNowait(1));
        assertNull(failure, "filled before any loop ran");
        q.putNowait(2);
        assertEquals(2, (int) Aio.run(takeTwo(q), Clock.virtual()));
    }

    @Async
    static Coroutine<Integer> takeTwo(Queue<Integer> q) {
        await(q.get());
        return result(await(q.get()));
    }

    @Async
    static Coroutine<Void> contend(Lock lock) {
        await(lock.acquire());
        Task<Boolean> waiter = createTask(lock.acquire());
        await(sleep(0));
        lock.release();
        await(waiter);
        lock.release();
        return done();
    }

    @Test
    void aPrimitiveThatWaitedOnOneLoopRefusesToWaitOnAnother() {
        Lock lock = new Lock();
        Aio.run(contend(lock), Clock.virtual());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.run(contend(lock), Clock.virtual()));
        assertEquals("Lock[locked] is bound to a different event loop", e.getMessage());
    }

    @Test
    void aPrimitiveThatNeverWaitedMayServeASecondLoop() {
        Lock lock = new Lock();
        Aio.run(acquire(lock), Clock.virtual());
        lock.release();
        Aio.run(contend(lock), Clock.virtual());
        assertFalse(lock.locked());
    }
}
