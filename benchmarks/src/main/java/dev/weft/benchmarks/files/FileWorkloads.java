package dev.weft.benchmarks.files;

import dev.weft.benchmarks.compare.Workloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What every JVM peer of {@code compare-files.sh} shares: the sizes (from the environment, as the
 * Python peer reads them), the fixtures' names, the text written, and the median of rounds. The
 * fixtures are made by the script: {@code DIR/small/f00000.txt} ... (4 KiB each, lines of 100
 * bytes) and {@code DIR/big.txt} (lines of 100 bytes); writes go to {@code DIR/out-<peer>/}, removed
 * after each round.
 *
 * <p>Each round checks what it read or wrote (a count of characters, bytes or files), so a peer
 * that skips work fails instead of producing a fast number.
 */
public final class FileWorkloads {
    /** How many small files the small rows read and write. */
    public static final int SMALL_FILES = env("WEFT_FILES_SMALL", 10_000);
    /** The size of a small file. */
    public static final int SMALL_SIZE = 4096;
    /** How many small files are open at once: a gather of this many, batch after batch, on every peer. */
    public static final int BATCH = env("WEFT_FILES_BATCH", 64);
    /** Unmeasured rounds before the measured ones. */
    public static final int WARMUP_ROUNDS = env("WEFT_FILES_WARMUP", 1);
    /**
     * The least time, in seconds, the unmeasured rounds take together, so that every JVM peer is
     * measured after its JIT has had seconds of the row (one warm-up round of a 4 KiB row is a
     * fraction of a second), as the core sitting's peers warm up for at least 2 s.
     */
    public static final int WARMUP_SECONDS = env("WEFT_FILES_WARMUP_SECONDS", 5);
    /** A bound on the unmeasured rounds, so that a row of very short rounds still stops. */
    private static final int MAX_WARMUP_ROUNDS = 1_000;
    /** Measured rounds, of which the median is reported. */
    public static final int ROUNDS = env("WEFT_FILES_ROUNDS", 3);
    /** How many children the subprocess rows start. */
    public static final int SPAWNS = env("WEFT_FILES_SPAWNS", 500);
    /** How many children run at once in {@code spawn-16}. */
    public static final int SPAWN_PARALLEL = 16;
    /** A line of the fixtures: 99 characters and its newline. */
    public static final String LINE = "x".repeat(99) + "\n";
    /** The text of a small file: 40 lines and 96 more characters, 4096 in all. */
    public static final String SMALL_TEXT = LINE.repeat(SMALL_SIZE / 100) + "y".repeat(SMALL_SIZE % 100);
    private static final double MIB = 1024 * 1024;

    private FileWorkloads() {
    }

    /** One measured round: how much it did (files, MiB, spawns) in how many nanoseconds. */
    @FunctionalInterface
    public interface Round {
        /**
         * Runs the round.
         *
         * @return {@code {amount, nanoseconds}}
         * @throws Exception a failure, which ends the peer
         */
        double[] run() throws Exception;
    }

    /**
     * Runs {@code round} {@link #WARMUP_ROUNDS} times, and more until they took
     * {@link #WARMUP_SECONDS} together (at most {@value #MAX_WARMUP_ROUNDS} rounds), then
     * {@link #ROUNDS} times, and prints the median throughput in the comparison's {@code RESULT}
     * format.
     *
     * @param peer     the peer's name
     * @param workload the row's name
     * @param unit     the unit of the amount per second ({@code files/s}, {@code MiB/s})
     * @param round    the round
     */
    public static void report(String peer, String workload, String unit, Round round) {
        try {
            // Loads the management classes now, before the warm-up: loaded at the first measured
            // round, they invalidated compiled code the warm-up had made (FileChannelImpl.implRead,
            // FileState.fill and more, "made not entrant: marked for deoptimization" in
            // -XX:+PrintCompilation), and the rounds ran while C2 compiled it again.
            processCpuNanos();
            long warmupStart = System.nanoTime();
            for (int i = 0; i < MAX_WARMUP_ROUNDS
                    && (i < WARMUP_ROUNDS || System.nanoTime() - warmupStart < WARMUP_SECONDS * 1_000_000_000L); i++) {
                round.run();
            }
            double[] rates = new double[ROUNDS];
            double[] cpu = new double[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                long cpu0 = processCpuNanos();
                double[] r = round.run();
                rates[i] = r[0] / (r[1] / 1e9);
                // The process's CPU time per unit (all threads: loop, executor, GC, JIT), which a
                // loaded machine moves far less than the wall-clock rate.
                cpu[i] = (processCpuNanos() - cpu0) / 1e3 / r[0];
            }
            Arrays.sort(rates);
            Arrays.sort(cpu);
            double median = ROUNDS % 2 == 1 ? rates[ROUNDS / 2] : (rates[ROUNDS / 2 - 1] + rates[ROUNDS / 2]) / 2;
            Workloads.result(peer, workload, median, unit);
            // Every round's rate, for a reader who wants the spread (min and median) beside the median.
            System.err.printf(Locale.ROOT, "ROUNDS %s %s min %.1f median %.1f max %.1f %s; CPU us per %s min %.2f median"
                    + " %.2f%n", peer, workload, rates[0], median, rates[ROUNDS - 1], unit, unit.replace("/s", ""), cpu[0],
                    cpu[ROUNDS / 2]);
        } catch (Exception e) {
            throw new IllegalStateException(peer + " " + workload + " failed: " + e, e);
        }
    }

    /**
     * The small file number {@code i} under {@code dir}.
     *
     * @param dir the folder of the small files
     * @param i   the file's number
     * @return its path
     */
    public static Path small(Path dir, int i) {
        return dir.resolve(String.format(Locale.ROOT, "f%05d.txt", i));
    }

    /**
     * The big file's size in MiB.
     *
     * @param bytes its size in bytes
     * @return the size in MiB
     */
    public static double mib(long bytes) {
        return bytes / MIB;
    }

    /**
     * How many lines the big file has (all of {@link #LINE}).
     *
     * @param big the big file
     * @return its lines
     * @throws IOException when it cannot be read
     */
    public static int bigLines(Path big) throws IOException {
        return Math.toIntExact(Files.size(big) / LINE.length());
    }

    /**
     * An empty folder {@code out-<peer>} under {@code dir} for a round's writes.
     *
     * @param dir  the sitting's folder
     * @param peer the peer
     * @return the folder, made empty
     * @throws IOException when it cannot be made
     */
    public static Path outDir(Path dir, String peer) throws IOException {
        Path out = dir.resolve("out-" + peer);
        deleteTree(out);
        return Files.createDirectories(out);
    }

    /**
     * Deletes {@code dir} and everything under it, if it exists.
     *
     * @param dir the folder
     * @throws IOException when something cannot be deleted
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /**
     * Fails unless {@code got == expected}.
     *
     * @param what     what was counted
     * @param got      the count
     * @param expected what it should be
     */
    public static void check(String what, long got, long expected) {
        if (got != expected) {
            throw new AssertionError(what + ": " + got + " instead of " + expected);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static int env(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }
}
