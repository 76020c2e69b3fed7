package dev.weft.benchmarks.jmh;

import dev.weft.benchmarks.weft.AsyncWorkloads;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A semaphore-limited fan-out: {@value #TASKS} tasks share a {@code sync.Semaphore(10)}; each
 * acquires, yields one loop iteration ({@code sleep(0)}) while it holds the permit, and releases;
 * then they are gathered. Reported per task; the peers in {@code compare.sh} are kotlinx
 * {@code Semaphore(10)} with {@code withPermit { yield() }} and asyncio's {@code Semaphore(10)}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SemaphoreBenchmark {
    static final int TASKS = 1_000;
    static final int PERMITS = 10;

    /**
     * Runs one fan-out of {@value #TASKS} tasks.
     *
     * @param state the loop
     * @return the number of tasks
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int fanOut(LoopState state) {
        return state.loop.runUntilComplete(AsyncWorkloads.semaphoreFanOut(TASKS, PERMITS));
    }
}
