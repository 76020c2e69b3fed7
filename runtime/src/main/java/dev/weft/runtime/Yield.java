package dev.weft.runtime;

/**
 * What {@code sleep(0)} returns: a future that completes on the loop's next iteration. A task that
 * awaits it goes straight back to the ready queue, so it yields exactly one iteration, as a bare
 * {@code yield} does in Python's {@code asyncio.sleep(0)}; anyone else (gather, a done callback)
 * sees it complete like any future.
 */
final class Yield extends Future<Void> implements Fire {
    Yield(EventLoop loop) {
        super(loop);
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
