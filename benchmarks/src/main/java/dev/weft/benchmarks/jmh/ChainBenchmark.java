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
 * A chain of {@value #DEPTH} nested coroutines, each awaiting the next, the innermost awaiting a
 * future: the task runs down the chain, suspends at the leaf, and when the leaf completes the
 * value climbs back through every level. Reported per level (call, suspension and resume
 * together); the target is under 10 ns.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ChainBenchmark {
    static final int DEPTH = 1_000;

    /**
     * Builds, suspends and resumes one chain.
     *
     * @param state the loop
     */
    @Benchmark
    @OperationsPerInvocation(DEPTH)
    public void resumeThroughChain(LoopState state) {
        state.loop.runUntilComplete(AsyncWorkloads.chain(DEPTH, 1));
    }
}
