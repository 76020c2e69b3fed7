package dev.weft.runtime;

/**
 * What {@code sleep(0)} returns: a future that is never done. A task that awaits it is put back on
 * the ready queue at once, so it yields exactly one loop iteration, as a bare {@code yield} does
 * in Python's {@code asyncio.sleep(0)}.
 */
final class Yield extends Future<Void> {
    static final Yield INSTANCE = new Yield();

    private Yield() {
        super(null);
    }

    @Override
    public boolean cancel(String message) {
        return false;
    }

    @Override
    public String toString() {
        return "sleep(0)";
    }
}
