package dev.weft.runtime;

/**
 * What {@code sleep(seconds)} returns: a future that is its own timer, so a sleeping task costs one
 * object for both.
 *
 * <p>To stay at 40 bytes it keeps no heap index: a sleep completed early (cancelled, say) stays in
 * the heap as garbage that the heap counts, drops when it reaches the top, and sweeps out as soon
 * as it is half the heap, as CPython does with cancelled timer handles.
 */
final class SleepFuture extends Future<Void> implements Timed, Fire {
    private final long when;
    private final int seq;
    private boolean inHeap;

    SleepFuture(EventLoop loop, long when, int seq) {
        super(loop);
        this.when = when;
        this.seq = seq;
    }

    @Override
    void complete(byte newState, Object newValue) {
        super.complete(newState, newValue);
        if (inHeap) {
            loop.timers().becameGarbage();
        }
    }

    @Override
    public long dueNanos() {
        return when;
    }

    @Override
    public int seq() {
        return seq;
    }

    @Override
    public int heapIndex() {
        return -1;
    }

    @Override
    public void heapIndex(int index) {
        inHeap = index >= 0;
    }

    @Override
    public boolean isGarbage() {
        return state != PENDING;
    }

    /** Due: completes in this iteration's ready snapshot, as CPython's timer handle does. */
    @Override
    public void expire() {
        loop.schedule(this);
    }

    @Override
    public void fire() {
        if (state == PENDING) {
            complete(RESULT, null);
        }
    }

    @Override
    public String toString() {
        return "sleep until " + when / 1e9 + " [" + stateName() + "]";
    }
}
