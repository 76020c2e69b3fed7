package dev.weft.runtime;

/**
 * Raised by {@link Aio#waitFor(Awaitable, double)} and by a {@link Aio#timeout(double)} scope when
 * the time runs out, as Python's {@code TimeoutError}.
 *
 * <p>It is unchecked so that {@code catch (TimeoutError e)} compiles around an {@code await}, which
 * declares no checked exception.
 */
public class TimeoutError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A timeout without a message. */
    public TimeoutError() {
        super();
    }

    /**
     * A timeout with a message.
     *
     * @param message what timed out
     */
    public TimeoutError(String message) {
        super(message);
    }

    /**
     * Whether a {@link Timeout} scope delivered this at the await its task was stopped at. CPython raises
     * {@code CancelledError} inside the scope and turns it into {@code TimeoutError} at the scope's exit;
     * Weft delivers the {@code TimeoutError} at once, and the runtime's own code that must treat the
     * delivery as the cancellation it stands for (a {@link TaskGroup}'s exit) asks this.
     */
    transient boolean fromScope;
}
