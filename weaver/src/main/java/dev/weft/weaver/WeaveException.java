package dev.weft.weaver;

/**
 * An internal fault of the weaver: a class file it cannot read, a class the hierarchy cannot find,
 * or a bug in the weave itself. A user's mistake in an {@code @Async} method is never a
 * {@code WeaveException}; it comes back as a {@link Diagnostic}.
 *
 * <p>The message always names the class that was being woven or looked up.
 */
public class WeaveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that names the class concerned.
     *
     * @param message what went wrong, naming the class
     */
    public WeaveException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message that names the class concerned and the underlying fault.
     *
     * @param message what went wrong, naming the class
     * @param cause   the underlying fault
     */
    public WeaveException(String message, Throwable cause) {
        super(message, cause);
    }
}
