package dev.weft.runtime;

/**
 * A future that takes part when something starts waiting on it: {@code sleep(0)}'s {@link Yield}
 * sends a parking task straight back to the ready queue, and an {@code asCompleted} slot takes the
 * next outcome when it is first awaited. {@link Task#park} tests for this one class, as it used to
 * test for {@code Yield} alone, so parking on any other future costs what it did.
 */
abstract class ParkAware<T> extends Future<T> {
    ParkAware(EventLoop loop) {
        super(loop);
    }

    /** Parks {@code task} on this pending future. */
    abstract void park(Task<?> task);

    /** Called after a waiter other than a parking task was registered on this pending future. */
    void watched() {
    }
}
