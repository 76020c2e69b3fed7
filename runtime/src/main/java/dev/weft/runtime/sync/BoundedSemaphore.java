package dev.weft.runtime.sync;

/**
 * A {@link Semaphore} that refuses to be released above its start value: Python's
 * {@code asyncio.BoundedSemaphore}. A release without a matching acquire is a bug that an
 * ordinary semaphore hides by growing; this one throws.
 *
 * <pre>{@code
 * BoundedSemaphore slots = new BoundedSemaphore(3);
 * try (Held held = await(slots.hold())) {
 *     ...
 * }
 * }</pre>
 */
public final class BoundedSemaphore extends Semaphore {
    private final int bound;

    /**
     * A bounded semaphore with {@code value} permits, which is also its bound.
     *
     * @param value the start value and bound, 0 or more
     * @throws IllegalArgumentException when negative
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /**
     * Gives a permit back, as {@link Semaphore#release()}.
     *
     * @throws IllegalStateException when that would raise the count above the start value
     *                               (Python's {@code ValueError}), or when called from a thread
     *                               other than the loop's
     */
    @Override
    public void release() {
        checkThread("BoundedSemaphore.release");
        if (value >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times (its start value is " + bound + ")");
        }
        super.release();
    }
}
