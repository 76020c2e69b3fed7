package dev.weft.benchmarks.jmh;

import dev.weft.benchmarks.weft.AsyncWorkloads;
import dev.weft.runtime.sync.Queue;
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
 * {@code Queue} put then get without suspension (and the {@code taskDone} that goes with each
 * item), the target under 10 ns. One invocation runs a woven loop of {@value #PAIRS}
 * pairs in one task. {@link #putGet} runs in a JVM that has awaited no other coroutine than
 * {@code put} and {@code get}; {@link #putGetAmongOtherCoroutines} in one that has (see
 * {@link MixedAwaits}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QueueBenchmark {
    static final int PAIRS = 10_000;

    private final Queue<Integer> queue = new Queue<>(1);
    private final Integer item = 7;

    /**
     * Puts an item and gets it back {@value #PAIRS} times.
     *
     * @param state the loop
     * @return the sum of the items got
     */
    @Benchmark
    @OperationsPerInvocation(PAIRS)
    public long putGet(LoopState state) {
        return state.loop.runUntilComplete(AsyncWorkloads.putGet(queue, item, PAIRS));
    }

    /**
     * The same pairs after the JVM has awaited other kinds of coroutine too, as an application has.
     *
     * @param state the loop
     * @param mixed the other coroutines, awaited before the trial
     * @return the sum of the items got
     */
    @Benchmark
    @OperationsPerInvocation(PAIRS)
    public long putGetAmongOtherCoroutines(LoopState state, MixedAwaits mixed) {
        return state.loop.runUntilComplete(AsyncWorkloads.putGet(queue, item, PAIRS));
    }

    /**
     * Baseline: the same pairs through putNowait and getNowait, no coroutine at all.
     *
     * @param state the loop
     * @return the sum of the items got
     */
    @Benchmark
    @OperationsPerInvocation(PAIRS)
    public long putGetNowait(LoopState state) {
        long sum = 0;
        for (int i = 0; i < PAIRS; i++) {
            queue.putNowait(item);
            sum += queue.getNowait();
            queue.taskDone();
        }
        return sum;
    }
}
