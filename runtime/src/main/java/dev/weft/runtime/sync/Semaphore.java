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
 * A counter of permits for tasks of one event loop: Python's {@code asyncio.Semaphore}.
 * {@link #acquire()} takes a permit, waiting while there is none; {@link #release()} gives one
 * back and wakes the longest waiting task.
 *
 * <pre>{@code
 * Semaphore connections = new Semaphore(10);
 * try (Held held = await(connections.hold())) {   // async with connections:
 *     ...
 * }
 * }</pre>
 *
 * <p>Fair as CPython 3.13's: a task never takes a permit past tasks that wait for one, even when
 * a permit is free (the waiters were woken and have not run yet). A waiter cancelled after it was
 * woken gives its permit back and wakes the next one. {@code release()} may raise the count above
 * its start value; {@link BoundedSemaphore} refuses that.
 *
 * <p>Bound to the loop of the first task that waits on it; its methods are for that loop's thread
 * (a call from another thread fails at once) except {@link #locked()}.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods; users need not read its module.
public class Semaphore extends LoopBound implements Releasable {
    /** Null until a task first has to wait, as in CPython. */
    private ArrayDeque<Future<Boolean>> waiters;
    /** The free permits, less those handed to woken waiters that have not run yet. */
    int value;

    /**
     * A semaphore with {@code value} permits.
     *
     * @param value the start value, 0 or more
     * @throws IllegalArgumentException when negative (Python's {@code ValueError})
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore initial value must be >= 0, not " + value);
        }
        this.value = value;
    }

    /**
     * Whether {@link #acquire()} would wait: no permit is free, or tasks that are not cancelled
     * wait before it.
     *
     * @return true when an acquire cannot succeed at once
     */
    public boolean locked() {
        if (value == 0) {
            return true;
        }
        if (waiters != null && !waiters.isEmpty()) {
            for (Future<Boolean> w : waiters) {
                if (!w.isCancelled()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Takes a permit: at once when one is free and nobody waits, else after the tasks that asked
     * before.
     *
     * @return an awaitable of {@code true}
     */
    @Async
    public Coroutine<Boolean> acquire() {
        checkThread("Semaphore.acquire");
        if (!locked()) {
            value--;
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
            if (fut.isDone() && !fut.isCancelled()) {
                // Woken with a permit this task will not use: give it back for the next.
                value++;
            }
            throw e;
        } finally {
            // Waiters may have queued behind this one while permits were free: wake as many as
            // there are permits.
            while (value > 0) {
                if (!wakeUpNext()) {
                    break;
                }
            }
        }
        return result(true);
    }

    /**
     * Takes a permit for a try-with-resources block, Python's {@code async with sem:}; the
     * handle's {@link Held#close()} gives it back once, whatever the block throws.
     *
     * @return an awaitable of the handle, made once the permit is taken
     */
    @Async
    public Coroutine<Held> hold() {
        await(acquire());
        return result(new Held(this));
    }

    /**
     * Gives a permit back and wakes the longest waiting task, if any.
     *
     * @throws IllegalStateException when called from a thread other than the loop's (and, for a
     *                               {@link BoundedSemaphore}, above its start value)
     */
    @Override
    public void release() {
        checkThread("Semaphore.release");
        value++;
        wakeUpNext();
    }

    /** Wakes the first waiter not woken yet, handing it a permit; false when there is none. */
    private boolean wakeUpNext() {
        if (waiters == null) {
            return false;
        }
        for (Future<Boolean> w : waiters) {
            if (!w.isDone()) {
                value--;
                w.setResult(true);
                return true;
            }
        }
        return false;
    }

    int waiterCount() {
        return waiters == null ? 0 : waiters.size();
    }

    @Override
    public String toString() {
        int n = waiterCount();
        return getClass().getSimpleName() + "[" + (locked() ? "locked" : "unlocked, value:" + value)
                + (n > 0 ? ", waiters:" + n : "") + "]";
    }
}
