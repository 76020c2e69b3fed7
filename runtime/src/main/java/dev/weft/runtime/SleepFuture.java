package dev.weft.runtime;

/**
 * What {@code sleep(seconds)} returns: a future that is its own timer, so a sleeping task costs one
 * object for both. Cancelling it takes it out of the timer heap at once.
 */
final class SleepFuture extends Future<Void> implements Timed {
    private final long when;
    private final long seq;
    private int heapIndex = -1;

    SleepFuture(EventLoop loop, long when, long seq) {
        super(loop);
        this.when = when;
        this.seq = seq;
    }

    @Override
    public boolean cancel(String message) {
        boolean done = super.cancel(message);
        if (done && heapIndex >= 0) {
            loop.timers().remove(this);
        }
        return done;
    }

    @Override
    public long dueNanos() {
        return when;
    }

    @Override
    public long seq() {
        return seq;
    }

    @Override
    public int heapIndex() {
        return heapIndex;
    }

    @Override
    public void heapIndex(int index) {
        heapIndex = index;
    }

    /** Due: completes in this iteration's ready snapshot, as CPython's timer handle does. */
    @Override
    public void expire() {
        loop.schedule(this);
    }

    void fire() {
        if (state == PENDING) {
            complete(RESULT, null);
        }
    }

    @Override
    public String toString() {
        return "sleep until " + when / 1e9 + " [" + stateName() + "]";
    }
}
