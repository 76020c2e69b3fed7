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
}
