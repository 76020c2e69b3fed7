package dev.weft.runtime.sync;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/**
 * A meeting point for a fixed number of tasks: Python's {@code asyncio.Barrier}. Each task calls
 * {@link #arrive()} (Python's {@code wait()}); the tasks wait until {@link #parties()} of them
 * have arrived, then all go on together, each with its own arrival index from 0 to
 * {@code parties() - 1}. The barrier can be used again afterwards.
 *
 * <pre>{@code
 * Barrier start = new Barrier(3);
 * // in each of three tasks:
 * int index = await(start.arrive());
 * }</pre>
 *
 * <p>As CPython's, it is filling while tasks arrive, then draining while the released tasks
 * leave; tasks that arrive while it drains wait until the last one has left. {@link #reset()}
 * sends the waiting tasks a {@link BrokenBarrierError} and makes it usable again;
 * {@link #abort()} breaks it for good: waiting and arriving tasks get a
 * {@code BrokenBarrierError}.
 *
 * <p>Bound to the loop of the first task that waits on it; its methods are for that loop's thread
 * (a call from another thread fails at once) except the read-only ones.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods; users need not read its module.
public final class Barrier extends LoopBound {
    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    /** Every change of state notifies all its waiters. */
    private final Condition cond = new Condition();
    private final int parties;
    private State state = State.FILLING;
    /** Tasks inside {@link #arrive()} past the blocking step: filling, or draining. */
    private int count;

    /**
     * A barrier for {@code parties} tasks.
     *
     * @param parties how many tasks must arrive, 1 or more
     * @throws IllegalArgumentException when less than 1 (Python's {@code ValueError})
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be >= 1, not " + parties);
        }
        this.parties = parties;
    }

    /**
     * Arrives at the barrier and waits until {@link #parties()} tasks have arrived: Python's
     * {@code wait()}. The last to arrive releases them all.
     *
     * @return an awaitable of this task's arrival index, from 0 to {@code parties() - 1}
     * @throws BrokenBarrierError (when awaited) if the barrier is broken, or is reset or aborted
     *                            while the task waits
     */
    @Async
    public Coroutine<Integer> arrive() {
        checkThread("Barrier.arrive");
        await(cond.acquire());
        int index;
        try {
            await(block());
            index = count++;
            try {
                if (index + 1 == parties) {
                    state = State.DRAINING;
                    cond.signalAll();
                } else {
                    await(awaitRelease());
                }
            } finally {
                count--;
                exit();
            }
        } finally {
            cond.release();
        }
        return result(index);
    }

    /** Waits while the barrier drains or resets; fails if it is broken. */
    @Async
    private Coroutine<Void> block() {
        await(cond.whenTrue(() -> state != State.DRAINING && state != State.RESETTING));
        if (state == State.BROKEN) {
            throw new BrokenBarrierError("Barrier aborted");
        }
        return done();
    }

    /** Waits in the barrier until it is released; fails if it is reset or broken meanwhile. */
    @Async
    private Coroutine<Void> awaitRelease() {
        await(cond.whenTrue(() -> state != State.FILLING));
        if (state == State.BROKEN || state == State.RESETTING) {
            throw new BrokenBarrierError("Abort or reset of barrier");
        }
        return done();
    }

    /** The last task to leave ends the draining or resetting, and wakes those blocked meanwhile. */
    private void exit() {
        if (count == 0) {
            if (state == State.RESETTING || state == State.DRAINING) {
                state = State.FILLING;
            }
            cond.signalAll();
        }
    }

    /**
     * Puts the barrier back to its initial, filling state. Tasks waiting in it get a
     * {@link BrokenBarrierError}; tasks arriving meanwhile wait until they have left.
     *
     * @throws IllegalStateException when called from a thread other than the loop's
     */
    public void reset() {
        checkThread("Barrier.reset");
        if (count > 0) {
            if (state != State.RESETTING) {
                state = State.RESETTING;
            }
        } else {
            state = State.FILLING;
        }
        cond.wake(cond.waiterCount());
    }

    /**
     * Breaks the barrier: tasks waiting in it and tasks arriving later get a
     * {@link BrokenBarrierError}. Useful when one of the parties fails. {@link #reset()} makes it
     * usable again.
     *
     * @throws IllegalStateException when called from a thread other than the loop's
     */
    public void abort() {
        checkThread("Barrier.abort");
        state = State.BROKEN;
        cond.wake(cond.waiterCount());
    }

    /**
     * How many tasks must arrive to release the barrier.
     *
     * @return the parties
     */
    public int parties() {
        return parties;
    }

    /**
     * How many tasks wait in the barrier while it fills: Python's {@code n_waiting}.
     *
     * @return the waiting tasks, 0 while it drains, resets or is broken
     */
    public int waiting() {
        return state == State.FILLING ? count : 0;
    }

    /**
     * Whether the barrier is broken: Python's {@code broken}.
     *
     * @return true after {@link #abort()} and until {@link #reset()}
     */
    public boolean isBroken() {
        return state == State.BROKEN;
    }

    int count() {
        return count;
    }

    @Override
    public String toString() {
        String s = state.name().toLowerCase(java.util.Locale.ROOT);
        return "Barrier[" + s + (state == State.BROKEN ? "" : ", waiters:" + waiting() + "/" + parties) + "]";
    }
}
