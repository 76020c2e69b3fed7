package dev.weft.benchmarks.jmh;

import dev.weft.benchmarks.weft.AsyncWorkloads;
import dev.weft.runtime.Future;
import java.util.concurrent.CompletableFuture;
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
 * A woven {@code @Async} method ({@link AsyncWorkloads#priceWithTax}: three awaits of ready
 * values and some arithmetic) against the same logic written by hand as a
 * {@code CompletableFuture} chain. Reported per call of the method; both sides allocate what their
 * style needs (one state machine for the woven method; a stage per {@code thenCompose} and
 * {@code thenApply} for the chain).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class WovenVsCompletableFutureBenchmark {
    static final int CALLS = 1_000;

    private Future<Integer> price;
    private Future<Integer> quantity;
    private Future<Integer> taxRate;
    private final CompletableFuture<Integer> priceStage = CompletableFuture.completedFuture(10);
    private final CompletableFuture<Integer> quantityStage = CompletableFuture.completedFuture(3);
    private final CompletableFuture<Integer> taxRateStage = CompletableFuture.completedFuture(20);

    /**
     * Makes the three done futures on the trial's loop.
     *
     * @param state the loop
     */
    @Setup(Level.Trial)
    public void makeInputs(LoopState state) {
        price = done(state, 10);
        quantity = done(state, 3);
        taxRate = done(state, 20);
    }

    private static Future<Integer> done(LoopState state, int value) {
        Future<Integer> f = state.loop.createFuture();
        f.setResult(value);
        return f;
    }

    static CompletableFuture<Integer> priceWithTax(CompletableFuture<Integer> price,
            CompletableFuture<Integer> quantity, CompletableFuture<Integer> taxRate) {
        return price.thenCompose(p -> quantity.thenCompose(q -> taxRate.thenApply(r -> {
            int net = p * q;
            return net + net * r / 100;
        })));
    }

    /**
     * The woven method, called {@value #CALLS} times from a woven loop in one task.
     *
     * @param state the loop
     * @return the sum of the prices
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long woven(LoopState state) {
        return state.loop.runUntilComplete(AsyncWorkloads.pricesWithTax(price, quantity, taxRate, CALLS));
    }

    /**
     * The hand-written chain, called {@value #CALLS} times.
     *
     * @return the sum of the prices
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long completableFuture() {
        long sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += priceWithTax(priceStage, quantityStage, taxRateStage).join();
        }
        return sum;
    }
}
