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

    /** A cancellation without a message. */
    public CancelledError() {
        super();
    }

    /**
     * A cancellation with the message given to {@link Future#cancel(String)}.
     *
     * @param message the cancel message, or null
     */
    public CancelledError(String message) {
        super(message);
    }

    private CancelledError(String message, boolean writableStackTrace) {
        super(message, null, false, writableStackTrace);
    }

    /**
     * The error the runtime throws at a cancelled task's await. Its stack would show only the
     * runtime's own frames (it is made where the cancellation is delivered, not where the user's
     * code awaits), so it carries none: cancelling a gather of many tasks fills no stack traces.
     */
    static CancelledError delivered(String message) {
        return new CancelledError(message, false);
    }
}
