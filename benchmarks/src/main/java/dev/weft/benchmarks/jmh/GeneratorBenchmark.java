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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An async generator handing {@value #VALUES} values, a {@code long} counter boxed to
 * {@code Long}, to a consumer loop {@code while (await(it.hasNext())) sum += it.next();} in one
 * task, reported per value; the target is under 20 ns. Each value is one {@code hasNext()} step
 * resuming the generator's body inline up to its next {@code emit}, with no turn of the loop.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GeneratorBenchmark {
    static final int VALUES = 1_000_000;
    static final int SLEEP_EVERY = 1_000;

    /** Where the floor benchmark leaves each box, so that it is allocated as the generator's value is. */
    @State(Scope.Thread)
    public static class Slot {
        /** The last value handed over. */
        public Object value;
    }

    /**
     * The floor under the generator: the same {@code long} counter boxed to a {@code Long}, stored
     * in a field, read back, unboxed and summed, {@value #VALUES} times in a plain loop, with no
     * generator, coroutine or loop involved.
     *
     * @param slot where each box goes
     * @return the sum, so that nothing is left out
     */
    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long boxedLoopFloor(Slot slot) {
        long sum = 0;
        for (long i = 0; i < VALUES; i++) {
            slot.value = i;
            sum += (Long) slot.value;
        }
        return sum;
    }

    /**
     * Hands over {@value #VALUES} values, none of them with a suspension in between.
     *
     * @param state the loop
     */
    @Benchmark
    @OperationsPerInvocation(VALUES)
    public void generatorValue(LoopState state) {
        state.loop.runUntilComplete(AsyncWorkloads.sumAll(AsyncWorkloads.counter(VALUES, 0), VALUES));
    }

    /**
     * Hands over {@value #VALUES} {@code Integer}s from the small cache ({@code i & 127}): no
     * allocation at all, the generator's own cost per value.
     *
     * @param state the loop
     */
    @Benchmark
    @OperationsPerInvocation(VALUES)
    public void generatorCachedInteger(LoopState state) {
        state.loop.runUntilComplete(AsyncWorkloads.sumSmall(AsyncWorkloads.smallNumbers(VALUES), VALUES));
    }

    /**
     * Hands over {@value #VALUES} values while the generator awaits {@code sleep(0)} before
     * every {@value #SLEEP_EVERY}th: the consumer's task parks there, the loop turns, and the
     * next {@code emit} completes the waiting {@code hasNext()} from the task's drive loop.
     *
     * @param state the loop
     */
    @Benchmark
    @OperationsPerInvocation(VALUES)
    public void generatorValueSleepingEvery1000(LoopState state) {
        state.loop.runUntilComplete(AsyncWorkloads.sumAll(AsyncWorkloads.counter(VALUES, SLEEP_EVERY), VALUES));
    }
}
