package dev.weft.runtime.sync;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;
import dev.weft.runtime.TimeoutError;
import java.util.ArrayDeque;

/**
 * A mutual-exclusion lock for tasks of one event loop: Python's {@code asyncio.Lock}.
 *
 * <p>Not owned by a task: any task may release it. Waiters acquire it in the order they asked,
 * first in, first out; a waiter cancelled while it waits leaves the queue, and a waiter cancelled
 * after it was woken passes the wake-up on to the next one, so a cancelled {@link #acquire()}
 * never leaves the lock held and never loses a release.
 *
 * <pre>{@code
 * Lock lock = new Lock();
 * try (Held held = await(lock.hold())) {   // async with lock:
 *     ...
 * }
 * }</pre>
 *
 * <p>Bound to the loop of the first task that waits on it; its methods are for that loop's thread
 * (a call from another thread fails at once) except {@link #locked()}.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods; users need not read its module.
public final class Lock extends LoopBound implements Releasable {
    /** Null until a task first has to wait, as in CPython. */
    private ArrayDeque<Future<Boolean>> waiters;
    private boolean locked;

    /** An unlocked lock. */
    public Lock() {
    }

    /**
     * Whether the lock is held.
     *
     * @return true when locked
     */
    public boolean locked() {
        return locked;
    }

    /**
     * Acquires the lock: at once when it is free and nobody waits, else after the tasks that
     * asked before. Lazy, as every coroutine: nothing happens until it is awaited.
     *
     * @return an awaitable of {@code true}
     */
    @Async
    public Coroutine<Boolean> acquire() {
        checkThread("Lock.acquire");
        // Fair: a task that arrives while others wait takes its turn; jumping the queue when
        // every waiter is cancelled is an optimization.
        if (!locked && (waiters == null || allCancelled(waiters))) {
            locked = true;
            return result(true);
        }
        if (waiters == null) {
            waiters = new ArrayDeque<>();
        }
        Future<Boolean> fut = loop().createFuture();
        waiters.addLast(fut);
        try {
            try {
                await(fut);
            } finally {
                waiters.remove(fut);
            }
        } catch (CancelledError | TimeoutError e) {
            // A timeout scope interrupts this wait as a cancellation does.
            // If nobody holds the lock (or is about to), the first waiter must still run.
            if (!locked) {
                wakeUpFirst();
            }
            throw e;
        }
        locked = true;
        return result(true);
    }

    /**
     * Acquires the lock for a try-with-resources block, Python's {@code async with lock:}: the
     * handle's {@link Held#close()} releases it once, whatever the block throws.
     *
     * <pre>{@code
     * try (Held held = await(lock.hold())) {
     *     ...
     * }
     * }</pre>
     *
     * @return an awaitable of the handle, made once the lock is held
     */
    @Async
    public Coroutine<Held> hold() {
        await(acquire());
        return result(new Held(this));
    }

    /**
     * Releases the lock and wakes the first waiter, if any.
     *
     * @throws IllegalStateException when the lock is not held (Python's {@code RuntimeError}), or
     *                               when called from a thread other than the loop's
     */
    @Override
    public void release() {
        checkThread("Lock.release");
        if (!locked) {
            throw new IllegalStateException("Lock is not acquired");
        }
        locked = false;
        wakeUpFirst();
    }

    private void wakeUpFirst() {
        if (waiters == null) {
            return;
        }
        Future<Boolean> first = waiters.peekFirst();
        // A done first waiter is already set to wake up.
        if (first != null && !first.isDone()) {
            first.setResult(true);
        }
    }

    static boolean allCancelled(ArrayDeque<? extends Future<?>> waiters) {
        if (waiters.isEmpty()) {
            return true;
        }
        for (Future<?> w : waiters) {
            if (!w.isCancelled()) {
                return false;
            }
        }
        return true;
    }

    int waiterCount() {
        return waiters == null ? 0 : waiters.size();
    }

    @Override
    public String toString() {
        int n = waiters == null ? 0 : waiters.size();
        return "Lock[" + (locked ? "locked" : "unlocked") + (n > 0 ? ", waiters:" + n : "") + "]";
    }
}
