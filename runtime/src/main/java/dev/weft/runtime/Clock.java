package dev.weft.runtime;

/**
 * The time source an {@link EventLoop} reads. Injected, so that tests of time run on a
 * {@link VirtualClock} in microseconds and with exact timings.
 *
 * <pre>{@code
 * Aio.run(main(), Clock.virtual());   // sleep(3) returns at once, and loop.time() says 3.0
 * }</pre>
 */
public abstract class Clock {
    /** For the two clocks of this package. */
    Clock() {
    }

    /**
     * The real monotonic clock ({@link System#nanoTime()}): the default.
     *
     * @return the system clock
     */
    public static Clock system() {
        return SystemClock.INSTANCE;
    }

    /**
     * A new virtual clock at time zero, which jumps straight to the next timer whenever the loop
     * would otherwise wait.
     *
     * @return a new virtual clock
     */
    public static VirtualClock virtual() {
        return new VirtualClock();
    }

    /**
     * The current time in nanoseconds; only differences are meaningful.
     *
     * @return monotonic nanoseconds
     */
    public abstract long nanoTime();

    /** Whether the loop jumps this clock to the next timer instead of waiting for it. */
    abstract boolean isVirtual();

    /** Moves a virtual clock forward to {@code nanos}; the system clock ignores it. */
    abstract void jumpTo(long nanos);

    private static final class SystemClock extends Clock {
        static final SystemClock INSTANCE = new SystemClock();

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        boolean isVirtual() {
            return false;
        }

        @Override
        void jumpTo(long nanos) {
        }

        @Override
        public String toString() {
            return "Clock.system()";
        }
    }
}
