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
 * Ping-pong between two tasks through two {@code sync.Queue(1)}s, reported per hop (one
 * direction); the target is under 25 ns. Every hop puts into the other side's queue,
 * which wakes its waiting getter (a future made by the get), and parks on its own queue's get
 * until the answer comes on a later loop iteration.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PingPongBenchmark {
    static final int HOPS = 10_000;

    /**
     * Runs {@value #HOPS} hops.
     *
     * @param state the loop
     */
    @Benchmark
    @OperationsPerInvocation(HOPS)
    public void pingPong(LoopState state) {
        state.loop.runUntilComplete(AsyncWorkloads.pingPong(HOPS));
    }

    /**
     * The same in a JVM that has awaited other coroutine classes first, as any program does: the
     * runtime's one call site that starts an awaited coroutine then sees more than two classes,
     * its own compiled code stays small, and each await inlines it with the class it made (see
     * {@link MixedAwaits}).
     *
     * @param state the loop
     * @param mixed the other coroutines, awaited once per trial
     */
    @Benchmark
    @OperationsPerInvocation(HOPS)
    public void pingPongAmongOtherCoroutines(LoopState state, MixedAwaits mixed) {
        state.loop.runUntilComplete(AsyncWorkloads.pingPong(HOPS));
    }
}
