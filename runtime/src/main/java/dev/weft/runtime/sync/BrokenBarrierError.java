package dev.weft.runtime.sync;

/**
 * Thrown by {@link Barrier#arrive()} when the barrier is broken by {@link Barrier#abort()} or
 * reset by {@link Barrier#reset()} while the task waits, or is broken when it arrives: Python's
 * {@code asyncio.BrokenBarrierError}. Unchecked; like Python's, which is a {@code RuntimeError},
 * it is an {@link IllegalStateException}.
 */
public class BrokenBarrierError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * A broken-barrier error with a message.
     *
     * @param message what broke the barrier
     */
    public BrokenBarrierError(String message) {
        super(message);
    }
}
