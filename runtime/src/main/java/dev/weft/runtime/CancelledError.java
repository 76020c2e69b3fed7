package dev.weft.runtime;

/**
 * Thrown at the await point of a cancelled task, as Python's {@code asyncio.CancelledError}.
 *
 * <p>It extends {@link Error}, as {@code ThreadDeath} did, so that a {@code catch (Exception e)}
 * cannot swallow a cancellation by accident: the reason Python made {@code CancelledError} a
 * {@code BaseException}. Catch it by name to clean up, and rethrow it unless the task really means
 * to go on (which, as in Python, it may).
 */
public class CancelledError extends Error {
    private static final long serialVersionUID = 1L;

    /**
     * Set once a public constructor has run: until then {@link #fillInStackTrace()} skips the walk,
     * so that {@link #delivered} makes one with a trace the runtime writes, not the loop's frames.
     */
    private boolean constructed;

    /** A cancellation without a message. */
    public CancelledError() {
        super();
        constructed = true;
        fillInStackTrace();
    }

    /**
     * A cancellation with the message given to {@link Future#cancel(String)}.
     *
     * @param message the cancel message, or null
     */
    public CancelledError(String message) {
        super(message);
        constructed = true;
        fillInStackTrace();
    }

    private CancelledError(String message, StackTraceElement[] trace) {
        super(message, null, false, true);
        setStackTrace(trace);
        constructed = true;
    }

    private static final StackTraceElement[] NO_FRAMES = new StackTraceElement[0];

    /**
     * The error the runtime throws at a cancelled task's await. It is made where the cancellation
     * is delivered, not where the user's code awaits, so it skips the walk of the loop's frames
     * (cancelling a gather of many tasks walks no stacks); the runtime writes the await chain it
     * is thrown at into its trace instead.
     */
    static CancelledError delivered(String message) {
        return new CancelledError(message, NO_FRAMES);
    }

    /** As {@link #delivered(String)}, with the trace of the cancellation it stands for. */
    static CancelledError delivered(String message, StackTraceElement[] trace) {
        return new CancelledError(message, trace);
    }

    /**
     * Records the current stack, as {@link Throwable#fillInStackTrace()} does, except while the
     * runtime makes the error it delivers to a cancelled task.
     *
     * @return this error
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return constructed ? super.fillInStackTrace() : this;
    }
}
