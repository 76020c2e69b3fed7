package dev.weft.benchmarks.jmh;

import dev.weft.benchmarks.weft.AsyncWorkloads;
import dev.weft.runtime.Future;
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
 * {@code await} of an already-done future, the fast path: the target is no allocation and
 * under 3 ns. One invocation runs a woven loop of {@value #AWAITS} awaits in one task, so the
 * task's own cost is spread over them (about 0.01 B and 0.1 ns an await).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AwaitDoneBenchmark {
    static final int AWAITS = 10_000;

    private Future<Integer> doneFuture;

    /**
     * Makes the done future on the trial's loop.
     *
     * @param state the loop
     */
    @Setup(Level.Trial)
    public void makeDoneFuture(LoopState state) {
        doneFuture = state.loop.createFuture();
        doneFuture.setResult(1);
    }

    /**
     * Awaits the done future {@value #AWAITS} times.
     *
     * @param state the loop
     * @return the sum of the awaited values
     */
    @Benchmark
    @OperationsPerInvocation(AWAITS)
    public long awaitDoneFuture(LoopState state) {
        return state.loop.runUntilComplete(AsyncWorkloads.awaitDone(doneFuture, AWAITS));
    }
}
