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
 * Spawn: create {@value #TASKS} tasks whose coroutine returns at once, then gather them. Reported
 * per task; the target is under 60 ns.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpawnBenchmark {
    static final int TASKS = 1_000;

    /**
     * Spawns and gathers {@value #TASKS} tasks.
     *
     * @param state the loop
     * @return the sum of the tasks' results
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long spawnAndGather(LoopState state) {
        return state.loop.runUntilComplete(AsyncWorkloads.spawnAndGather(TASKS));
    }
}
