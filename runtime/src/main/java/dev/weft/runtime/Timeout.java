package dev.weft.runtime;

/**
 * A timeout scope over the current task, made by {@link Aio#timeout(double)} and used with
 * try-with-resources, as Python's {@code async with asyncio.timeout(...)}.
 *
 * <p>When the deadline passes while the task is inside the scope, the await it is stopped at
 * throws {@link TimeoutError}. Python raises {@code CancelledError} inside the block and turns it
 * into {@code TimeoutError} at the block's exit; Java's try-with-resources cannot replace an
 * exception on its way out, so Weft delivers the {@code TimeoutError} at the await itself (the
 * task's cancellation count is taken back, as {@code uncancel} does in Python). Closing the scope
 * cancels its timer.
 */
public final class Timeout implements AutoCloseable {
    private final Task<?> task;
    private Handle timer;
    private boolean expired;
    private boolean closed;
    private double when;
    private TimeoutError error;
    /** The task's cancellation count when the scope was entered. */
    final int baseline;
    /** Entered after every scope of the task with a smaller number: the deepest has the largest. */
    final int order;

    Timeout(Task<?> task, double when) {
        this.task = task;
        this.baseline = task.cancelling();
        this.order = task.enterTimeoutScope();
        reschedule(when);
    }

    /**
     * Moves the deadline. A deadline that is due already (at or before {@link EventLoop#time()})
     * fires on the next iteration, ahead of the task it interrupts, so even an await of
     * {@code sleep(0)} throws, as in CPython.
     *
     * @param when the new deadline on the loop's {@link EventLoop#time()}, or NaN for none (Python's
     *             {@code None})
     * @throws IllegalStateException when the scope has expired or is closed
     */
    public void reschedule(double when) {
        if (expired || closed) {
            throw new IllegalStateException("cannot reschedule a timeout that has " + (expired ? "expired" : "closed"));
        }
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        this.when = when;
        if (Double.isNaN(when)) {
            return;
        }
        EventLoop loop = task.loop;
        timer = when <= loop.time() ? loop.callSoon(this::expire) : loop.callAt(when, this::expire);
    }

    /**
     * The deadline.
     *
     * @return the loop time of the deadline, or NaN for none
     */
    public double when() {
        return when;
    }

    /**
     * Whether the deadline passed inside the scope.
     *
     * @return true once expired
     */
    public boolean expired() {
        return expired;
    }

    private void expire() {
        if (closed || task.isDone()) {
            return;
        }
        expired = true;
        error = new TimeoutError("the timeout scope of task " + task.getName() + " expired at loop time " + when);
        error.fromScope = true;
        task.interrupt(this);
    }

    TimeoutError error() {
        return error;
    }

    /**
     * Leaves the scope: cancels the pending deadline. When the deadline passed but the task left
     * the scope before an await could throw the {@link TimeoutError} (what it awaited swallowed the
     * cancellation and returned), the pending cancellation is taken back, so it cannot hit a later
     * await outside the scope.
     */
    @Override
    public void close() {
        closed = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (error != null) {
            task.withdrawInterruption(this);
            error = null;
        }
    }
}
