package dev.weft.runtime.sync;

/**
 * One acquisition of a {@link Lock}, {@link Semaphore}, {@link BoundedSemaphore} or
 * {@link Condition}, released by {@link #close()}: the Java spelling of {@code async with lock:}.
 *
 * <pre>{@code
 * try (Held held = await(lock.hold())) {
 *     // the lock is held here, whatever the body throws
 * }
 * }</pre>
 *
 * <p>The handle is made by the {@code hold()} of the primitive once it is acquired, so the
 * try-with-resources block starts with the primitive held; the block's end releases it on every
 * path, a failure or a cancellation of the body included.
 */
public final class Held implements AutoCloseable {
    private Releasable owner;

    Held(Releasable owner) {
        this.owner = owner;
    }

    /**
     * Releases the acquisition this handle stands for, the first time only: closing it again does
     * nothing, so it never releases somebody else's acquisition.
     *
     * @throws IllegalStateException when called from a thread other than the loop's
     */
    @Override
    public void close() {
        Releasable o = owner;
        if (o != null) {
            o.release();
            owner = null;
        }
    }

    /**
     * Whether {@link #close()} has released the acquisition.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return owner == null;
    }

    @Override
    public String toString() {
        return "Held[" + (owner == null ? "released" : owner) + "]";
    }
}
