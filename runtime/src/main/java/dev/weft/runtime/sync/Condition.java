package dev.weft.runtime.sync;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;
import dev.weft.runtime.TimeoutError;
import dev.weft.runtime.kernel.Sneaky;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable over a {@link Lock}: Python's {@code asyncio.Condition}. Tasks hold the
 * lock, wait with {@link #whenNotified()} or {@link #whenTrue(BooleanSupplier)} (which release it
 * while they wait and take it back before they return), and are woken by {@link #signal()},
 * {@link #signal(int)} or {@link #signalAll()} (Python's {@code notify}, {@code notify(n)} and
 * {@code notify_all}, renamed because {@code Object.notify} is final).
 *
 * <pre>{@code
 * try (Held held = await(cond.hold())) {          // async with cond:
 *     await(cond.whenTrue(() -> !items.isEmpty()));
 *     take(items);
 * }
 * }</pre>
 *
 * <p>Waiters are woken first in, first out. A waiter cancelled after it was notified passes the
 * notification on to the next one (a spurious wake-up for it, which the condition-variable
 * protocol allows), and a cancelled wait takes the lock back before its {@code CancelledError}
 * propagates, so the caller's release in its {@code finally} stays right.
 *
 * <p>Bound to the loop of the first task that waits on it; its methods are for that loop's thread
 * (a call from another thread fails at once) except {@link #locked()}.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods; users need not read its module.
public final class Condition extends LoopBound implements Releasable {
    private final Lock lock;
    private final ArrayDeque<Future<Boolean>> waiters = new ArrayDeque<>();

    /** A condition over a new lock of its own. */
    public Condition() {
        this(new Lock());
    }

    /**
     * A condition over {@code lock}, which other code may acquire and release directly.
     *
     * @param lock the underlying lock
     */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /**
     * Acquires the underlying lock: the lock's {@link Lock#acquire()}.
     *
     * @return an awaitable of {@code true}
     */
    public Coroutine<Boolean> acquire() {
        return lock.acquire();
    }

    /**
     * Acquires the underlying lock for a try-with-resources block, Python's
     * {@code async with cond:}; the handle's {@link Held#close()} releases it once.
     *
     * @return an awaitable of the handle, made once the lock is held
     */
    public Coroutine<Held> hold() {
        return lock.hold();
    }

    /**
     * Releases the underlying lock: the lock's {@link Lock#release()}.
     *
     * @throws IllegalStateException when the lock is not held
     */
    @Override
    public void release() {
        lock.release();
    }

    /**
     * Whether the underlying lock is held.
     *
     * @return true when locked
     */
    public boolean locked() {
        return lock.locked();
    }

    /**
     * Releases the lock, waits until notified, then takes the lock back and returns: Python's
     * {@code wait()}. The caller must hold the lock. As with every condition variable the return
     * may be spurious, so re-check the state (or use {@link #whenTrue(BooleanSupplier)}).
     *
     * <p>Cancelled, it still takes the lock back before the {@code CancelledError} propagates,
     * and if it had been notified it notifies the next waiter instead.
     *
     * @return an awaitable of {@code true}
     * @throws IllegalStateException (when awaited) if the lock is not held
     */
    @Async
    public Coroutine<Boolean> whenNotified() {
        checkThread("Condition.whenNotified");
        if (!locked()) {
            throw new IllegalStateException("cannot wait on un-acquired lock");
        }
        Future<Boolean> fut = loop().createFuture();
        release();
        Throwable failure = null;
        waiters.addLast(fut);
        try {
            await(fut);
        } catch (Throwable t) {
            failure = t;
        }
        waiters.remove(fut);
        // The lock must be taken back even when the wait is cancelled; only a cancellation (or a
        // timeout scope's) is retried, so that another failure of the lock cannot make this spin.
        Throwable cancelled = null;
        while (true) {
            try {
                await(lock.acquire());
                break;
            } catch (CancelledError | TimeoutError e) {
                // a timeout scope interrupts as a cancellation does
                cancelled = e;
            }
        }
        if (cancelled != null) {
            failure = cancelled;
        }
        if (failure != null) {
            // This task may have been notified before it failed: hand the notification on.
            wake(1);
            throw Sneaky.raise(failure);
        }
        return result(true);
    }

    /**
     * Waits until {@code predicate} is true: Python's {@code wait_for}. The caller must hold the
     * lock; the predicate is tested with the lock held, first at once and then after each
     * notification.
     *
     * @param predicate the condition to wait for, tested on the loop's thread
     * @return an awaitable of {@code true}, once the predicate holds
     * @throws IllegalStateException (when awaited) if it has to wait and the lock is not held
     */
    @Async
    public Coroutine<Boolean> whenTrue(BooleanSupplier predicate) {
        boolean holds = predicate.getAsBoolean();
        while (!holds) {
            await(whenNotified());
            holds = predicate.getAsBoolean();
        }
        return result(true);
    }

    /**
     * Wakes one waiting task, if any: Python's {@code notify()}. The caller must hold the lock;
     * the woken task returns from its wait once it gets the lock back.
     *
     * @throws IllegalStateException when the lock is not held
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} waiting tasks, the longest waiting first: Python's {@code notify(n)}.
     *
     * @param n how many at most
     * @throws IllegalStateException when the lock is not held
     */
    public void signal(int n) {
        checkThread("Condition.signal");
        if (!locked()) {
            throw new IllegalStateException("cannot notify on un-acquired lock");
        }
        wake(n);
    }

    /**
     * Wakes every waiting task: Python's {@code notify_all()}.
     *
     * @throws IllegalStateException when the lock is not held
     */
    public void signalAll() {
        signal(waiters.size());
    }

    /** Python's {@code _notify}: wakes up to {@code n} waiters not woken yet, without the lock check. */
    void wake(int n) {
        int woken = 0;
        for (Future<Boolean> w : waiters) {
            if (woken >= n) {
                break;
            }
            if (!w.isDone()) {
                woken++;
                w.setResult(false);
            }
        }
    }

    int waiterCount() {
        return waiters.size();
    }

    Lock lock() {
        return lock;
    }

    @Override
    public String toString() {
        int n = waiters.size();
        return "Condition[" + (locked() ? "locked" : "unlocked") + (n > 0 ? ", waiters:" + n : "") + "]";
    }
}
