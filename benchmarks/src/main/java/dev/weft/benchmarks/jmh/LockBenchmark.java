package dev.weft.benchmarks.jmh;

import dev.weft.benchmarks.weft.AsyncWorkloads;
import dev.weft.runtime.sync.Lock;
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
 * Uncontended {@code Lock} acquire and release, the target under 10 ns and no allocation
 * where nothing needs allocating. One invocation runs a woven loop of {@value #PAIRS} pairs in one
 * task, so the task's own cost is spread over them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LockBenchmark {
    static final int PAIRS = 10_000;

    private final Lock lock = new Lock();

    /**
     * Acquires and releases the lock {@value #PAIRS} times.
     *
     * @param state the loop
     * @return the number of acquisitions
     */
    @Benchmark
    @OperationsPerInvocation(PAIRS)
    public int acquireRelease(LoopState state) {
        return state.loop.runUntilComplete(AsyncWorkloads.lockUnlock(lock, PAIRS));
    }
}
