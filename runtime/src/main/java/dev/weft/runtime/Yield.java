package dev.weft.runtime;

/**
 * What {@code sleep(0)} returns: a future that completes on the loop's next iteration. A task that
 * awaits it goes straight back to the ready queue, so it yields exactly one iteration, as a bare
 * {@code yield} does in Python's {@code asyncio.sleep(0)}; anyone else (gather, a done callback)
 * sees it complete like any future.
 */
final class Yield extends ParkAware<Void> implements Fire {
    Yield(EventLoop loop) {
        super(loop);
    }

    /** Back on the ready queue behind everything scheduled so far: one iteration. */
    @Override
    void park(Task<?> task) {
        loop.schedule(task);
    }

    @Override
    public void fire() {
        if (state == PENDING) {
            complete(RESULT, null);
        }
    }

    @Override
    public String toString() {
        return "sleep(0) [" + stateName() + "]";
    }
}
