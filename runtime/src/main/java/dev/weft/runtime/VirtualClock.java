package dev.weft.runtime;

import java.time.Duration;

/**
 * A clock that only moves when told to, or when its loop has nothing ready and jumps it straight
 * to the next timer (as Trio's autojump clock and kotlinx's test scheduler do). A program that
 * sleeps 3 s runs in microseconds and {@link EventLoop#time()} reads exactly 3.0 after it.
 *
 * <p>The loop still waits for real for thread-safe hand-offs (an executor job, a
 * {@code CompletableFuture} completed on another thread) when it has no timer to jump to; with a
 * timer pending it jumps without waiting for them. Confined to its loop's thread, like the loop.
 */
public final class VirtualClock extends Clock {
    private long now;

    VirtualClock() {
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /**
     * Moves the clock forward by hand (timers that fall due run on the loop's next iteration).
     *
     * @param duration how far, not negative
     * @throws IllegalArgumentException for a negative duration
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock cannot go back: " + duration);
        }
        now += duration.toNanos();
    }

    @Override
    boolean isVirtual() {
        return true;
    }

    @Override
    void jumpTo(long nanos) {
        if (nanos > now) {
            now = nanos;
        }
    }

    @Override
    public String toString() {
        return "VirtualClock[" + now / 1e9 + " s]";
    }
}
