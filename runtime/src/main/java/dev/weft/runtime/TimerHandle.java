package dev.weft.runtime;

/**
 * A callback scheduled for a time with {@link EventLoop#callLater(double, Runnable)} or
 * {@link EventLoop#callAt(double, Runnable)}. Cancelling it removes it from the loop's timer heap
 * at once, so cancelled timers never pile up.
 */
public final class TimerHandle extends Handle {
    private final Entry entry;

    TimerHandle(EventLoop loop, long when, int seq, Runnable callback) {
        super(loop, callback);
        this.entry = new Entry(when, seq);
    }

    Timed entry() {
        return entry;
    }

    /**
     * When the callback is due, on the loop's clock, in seconds (as {@link EventLoop#time()}).
     *
     * @return the due time in seconds
     */
    public double when() {
        return entry.when / 1e9;
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            if (entry.heapIndex >= 0) {
                loop.timers().remove(entry);
            }
        }
    }

    private final class Entry implements Timed {
        final long when;
        final int seq;
        int heapIndex = -1;

        Entry(long when, int seq) {
            this.when = when;
            this.seq = seq;
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
            return heapIndex;
        }

        @Override
        public void heapIndex(int index) {
            heapIndex = index;
        }

        @Override
        public boolean isGarbage() {
            return false;
        }

        @Override
        public void expire() {
            loop.schedule(TimerHandle.this);
        }
    }
}
