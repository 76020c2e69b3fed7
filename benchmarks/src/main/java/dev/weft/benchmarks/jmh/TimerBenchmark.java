package dev.weft.benchmarks.jmh;

import dev.weft.runtime.TimerHandle;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Timer insert and cancel with {@value #BACKGROUND} timers already pending: the cost of
 * {@code callLater} and of {@code TimerHandle.cancel()} on a large heap, reported per
 * insert-and-cancel pair. The timers are an hour or more away, so the loop never runs one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TimerBenchmark {
    static final int BACKGROUND = 1_000_000;
    static final int BATCH = 1_000;

    private final Runnable noop = () -> { };
    private final double[] delays = new double[BATCH];
    private final TimerHandle[] handles = new TimerHandle[BATCH];

    /**
     * Schedules the background timers at random times between one and two hours away, and picks
     * the delays of the measured timers from the same range.
     *
     * @param state the loop
     */
    @Setup(Level.Trial)
    public void fillTimerHeap(LoopState state) {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < BACKGROUND; i++) {
            state.loop.callLater(3600 + random.nextDouble() * 3600, noop);
        }
        for (int i = 0; i < BATCH; i++) {
            delays[i] = 3600 + random.nextDouble() * 3600;
        }
    }

    /**
     * Inserts {@value #BATCH} timers into the heap, then cancels them.
     *
     * @param state the loop
     * @return the last handle, so the work is not dead code
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public TimerHandle insertThenCancel(LoopState state) {
        for (int i = 0; i < BATCH; i++) {
            handles[i] = state.loop.callLater(delays[i], noop);
        }
        for (int i = 0; i < BATCH; i++) {
            handles[i].cancel();
        }
        return handles[BATCH - 1];
    }
}
