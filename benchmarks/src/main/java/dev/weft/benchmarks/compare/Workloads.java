package dev.weft.benchmarks.compare;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * The sizes, the output format and the measuring habits that every peer of the comparison shares,
 * so that Weft, virtual threads, {@code CompletableFuture} chains, kotlinx.coroutines and asyncio
 * run exactly the same workloads.
 *
 * <p>Each peer prints one line per number, read back by
 * {@link dev.weft.benchmarks.report.ReportWriter}:
 * <pre>{@code RESULT <peer> <workload> <value> <unit>}</pre>
 * with {@code workload} one of {@code spawn} (ns/task), {@code taskgroup} (ns/task), {@code semaphore}
 * (ns/task), {@code pingpong} (ns/hop), {@code chain} (ns/level), {@code generator} (ns/value),
 * {@code sleepers-wall} (s) and {@code sleepers-heap} (B/task). The sizes come from
 * environment variables that {@code compare.sh} sets once for every peer (the Python and Kotlin
 * peers read the same names).
 */
public final class Workloads {
    /** Tasks spawned and gathered in one round of the spawn workload ({@code WEFT_SPAWN_TASKS}). */
    public static final int SPAWN_TASKS = env("WEFT_SPAWN_TASKS", 100_000);
    /** Tasks created in the task group of one round of the task-group workload ({@code WEFT_TASKGROUP_TASKS}). */
    public static final int TASKGROUP_TASKS = env("WEFT_TASKGROUP_TASKS", 100_000);
    /** Tasks of one fan-out of the semaphore workload ({@code WEFT_SEMAPHORE_TASKS}). */
    public static final int SEMAPHORE_TASKS = env("WEFT_SEMAPHORE_TASKS", 1_000);
    /** Permits of the semaphore the fan-out's tasks share; fixed, as the contract names it. */
    public static final int SEMAPHORE_PERMITS = 10;
    /** Fan-outs, one after the other, in one round of the semaphore workload ({@code WEFT_SEMAPHORE_REPEATS}). */
    public static final int SEMAPHORE_REPEATS = env("WEFT_SEMAPHORE_REPEATS", 100);
    /** Hand-offs in one round of the ping-pong workload ({@code WEFT_PINGPONG_HOPS}). */
    public static final int PINGPONG_HOPS = env("WEFT_PINGPONG_HOPS", 100_000);
    /** Nesting depth of the chain workload ({@code WEFT_CHAIN_DEPTH}). */
    public static final int CHAIN_DEPTH = env("WEFT_CHAIN_DEPTH", 1_000);
    /** Chains built and resumed in one round of the chain workload ({@code WEFT_CHAIN_REPEATS}). */
    public static final int CHAIN_REPEATS = env("WEFT_CHAIN_REPEATS", 1_000);
    /** Values one async generator hands to its consumer in one round of the generator workload ({@code WEFT_GENERATOR_VALUES}). */
    public static final int GENERATOR_VALUES = env("WEFT_GENERATOR_VALUES", 1_000_000);
    /** Tasks of the sleepers workload ({@code WEFT_SLEEPERS}). */
    public static final int SLEEPERS = env("WEFT_SLEEPERS", 1_000_000);
    /** How long each sleeper sleeps, on the real clock ({@code WEFT_SLEEP_SECONDS}). */
    public static final double SLEEP_SECONDS = envDouble("WEFT_SLEEP_SECONDS", 2.0);
    /** Rounds run and thrown away before measuring ({@code WEFT_WARMUP_ROUNDS}). */
    public static final int WARMUP_ROUNDS = env("WEFT_WARMUP_ROUNDS", 5);
    /**
     * The least time the warm-up rounds take, in seconds ({@code WEFT_WARMUP_SECONDS}): warm-up
     * goes on past {@link #WARMUP_ROUNDS} rounds until this much time has passed, as JMH warms up
     * for a time, so that a workload of short rounds is measured in the JIT's final code, not
     * while C2 still compiles it. Every JVM peer warms up the same way.
     */
    public static final double WARMUP_SECONDS = envDouble("WEFT_WARMUP_SECONDS", 2.0);
    /** Rounds measured; the median is reported ({@code WEFT_ROUNDS}). */
    public static final int ROUNDS = env("WEFT_ROUNDS", 9);

    private Workloads() {
    }

    /**
     * Prints one result line in the comparison's format.
     *
     * @param peer     the peer's short name, such as {@code weft} or {@code virtual-threads}
     * @param workload the workload's name
     * @param value    the number
     * @param unit     its unit, without spaces
     */
    public static void result(String peer, String workload, double value, String unit) {
        System.out.println(String.format(Locale.ROOT, "RESULT %s %s %.3f %s", peer, workload, value, unit));
        System.out.flush();
    }

    /**
     * Runs a round {@link #WARMUP_ROUNDS} times unmeasured, and more until the warm-up has taken
     * {@link #WARMUP_SECONDS}, then {@link #ROUNDS} times, and gives the median, which a single
     * slow round (a GC, a compilation) does not move.
     *
     * @param round one round, returning its cost per operation
     * @return the median cost per operation
     */
    public static double medianOfRounds(DoubleSupplier round) {
        long warmUntil = System.nanoTime() + (long) (WARMUP_SECONDS * 1e9);
        for (int i = 0; i < WARMUP_ROUNDS || System.nanoTime() - warmUntil < 0; i++) {
            round.getAsDouble();
        }
        double[] costs = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            costs[i] = round.getAsDouble();
        }
        Arrays.sort(costs);
        return ROUNDS % 2 == 1 ? costs[ROUNDS / 2] : (costs[ROUNDS / 2 - 1] + costs[ROUNDS / 2]) / 2;
    }

    /**
     * The heap in use after a full collection, as the sleepers workload measures it before the
     * tasks exist and again while all of them sleep.
     *
     * @return used heap bytes after {@code System.gc()}
     */
    public static long usedHeapAfterGc() {
        // Two collections: the first may only promote what the second then frees.
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Nanoseconds from {@code startNanos} to now, divided by {@code operations}.
     *
     * @param startNanos a {@link System#nanoTime()} reading
     * @param operations how many operations ran since then
     * @return nanoseconds per operation
     */
    public static double nanosPer(long startNanos, long operations) {
        return (double) (System.nanoTime() - startNanos) / operations;
    }

    /**
     * Fails with a sentence naming the workloads a peer knows, for an unknown command-line word.
     *
     * @param peerClass the peer's main class
     * @param workload  the word that is not a workload
     * @return never returns normally
     */
    public static IllegalArgumentException unknownWorkload(Class<?> peerClass, String workload) {
        return new IllegalArgumentException(peerClass.getSimpleName() + ": unknown workload '" + workload
                + "'; use spawn, taskgroup, semaphore, pingpong, chain, generator or sleepers");
    }

    private static int env(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    private static double envDouble(String name, double fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Double.parseDouble(v.trim());
    }
}
