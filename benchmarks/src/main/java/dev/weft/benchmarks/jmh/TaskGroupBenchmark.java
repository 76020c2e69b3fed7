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
 * TaskGroup spawn + join: a {@code TaskGroup} in which {@value #TASKS} tasks that return at once
 * are created, then the group's block exits and waits for them. Reported per task; the peers in
 * {@code compare.sh} are kotlinx {@code coroutineScope { repeat(n) { launch {} } }}, JDK 25
 * {@code StructuredTaskScope} and asyncio's {@code TaskGroup}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TaskGroupBenchmark {
    static final int TASKS = 1_000;

    /**
     * Runs one group of {@value #TASKS} tasks.
     *
     * @param state the loop
     * @return the number of tasks
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int spawnAndJoin(LoopState state) {
        return state.loop.runUntilComplete(AsyncWorkloads.taskGroupSpawn(TASKS));
    }
}
