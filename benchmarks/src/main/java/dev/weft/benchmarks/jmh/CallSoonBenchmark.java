package dev.weft.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code callSoon} throughput: schedule {@value #CALLBACKS} callbacks, then run one loop iteration
 * that runs them all. Reported per callback, scheduling and running together.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CallSoonBenchmark {
    static final int CALLBACKS = 1_000;

    private long counter;
    private final Runnable increment = () -> counter++;

    /**
     * Schedules and runs {@value #CALLBACKS} callbacks.
     *
     * @param state the loop
     * @return how many callbacks ran so far
     */
    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public long callSoonThenRunOnce(LoopState state) {
        for (int i = 0; i < CALLBACKS; i++) {
            state.loop.callSoon(increment);
        }
        // stop() before runForever() makes the run one iteration, which runs the ready queue.
        state.loop.stop();
        state.loop.runForever();
        return counter;
    }
}
