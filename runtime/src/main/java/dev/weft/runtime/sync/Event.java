package dev.weft.runtime.sync;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;
import java.util.ArrayDeque;

/**
 * A flag that tasks wait for: Python's {@code asyncio.Event}. {@link #set()} wakes every waiting
 * task; while the flag is set, {@link #whenSet()} returns at once; {@link #clear()} lowers it.
 *
 * <pre>{@code
 * Event ready = new Event();
 * createTask(worker(ready));      // worker: await(ready.whenSet()); ...
 * ready.set();
 * }</pre>
 *
 * <p>Bound to the loop of the first task that waits on it; its methods are for that loop's thread
 * (a call from another thread fails at once) except {@link #isSet()}.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods; users need not read its module.
public final class Event extends LoopBound {
    private final ArrayDeque<Future<Boolean>> waiters = new ArrayDeque<>();
    private boolean value;

    /** An event whose flag is not set. */
    public Event() {
    }

    /** For a queue's {@code join}: an event set from the start, with no thread or loop yet. */
    Event(boolean set) {
        value = set;
    }

    /**
     * Whether the flag is set: Python's {@code is_set()}.
     *
     * @return true when set
     */
    public boolean isSet() {
        return value;
    }

    /**
     * Sets the flag and wakes every task that waits for it, in the order they started waiting.
     *
     * @throws IllegalStateException when called from a thread other than the loop's
     */
    public void set() {
        checkThread("Event.set");
        raise();
    }

    /** {@link #set()} without the thread check, for the queue that owns this event. */
    void raise() {
        if (!value) {
            value = true;
            if (waiters.isEmpty()) {
                return;
            }
            for (Future<Boolean> w : waiters) {
                if (!w.isDone()) {
                    w.setResult(true);
                }
            }
        }
    }

    /**
     * Lowers the flag: tasks that call {@link #whenSet()} from now on wait for the next
     * {@link #set()}. Tasks already woken stay woken.
     *
     * @throws IllegalStateException when called from a thread other than the loop's
     */
    public void clear() {
        checkThread("Event.clear");
        value = false;
    }

    /** {@link #clear()} without the thread check, for the queue that owns this event. */
    void lower() {
        value = false;
    }

    /**
     * Waits until the flag is set: Python's {@code wait()} (a Java name, since {@code Object.wait}
     * is final). Returns at once while the flag is set.
     *
     * @return an awaitable of {@code true}
     */
    @Async
    public Coroutine<Boolean> whenSet() {
        checkThread("Event.whenSet");
        if (value) {
            return result(true);
        }
        Future<Boolean> fut = loop().createFuture();
        waiters.addLast(fut);
        try {
            await(fut);
        } finally {
            waiters.remove(fut);
        }
        return result(true);
    }

    int waiterCount() {
        return waiters.size();
    }

    @Override
    public String toString() {
        int n = waiters.size();
        return "Event[" + (value ? "set" : "unset") + (n > 0 ? ", waiters:" + n : "") + "]";
    }
}
