package dev.weft.benchmarks.files;

import static dev.weft.benchmarks.files.FileWorkloads.BATCH;
import static dev.weft.benchmarks.files.FileWorkloads.LINE;
import static dev.weft.benchmarks.files.FileWorkloads.SMALL_FILES;
import static dev.weft.benchmarks.files.FileWorkloads.SMALL_SIZE;
import static dev.weft.benchmarks.files.FileWorkloads.SPAWNS;
import static dev.weft.benchmarks.files.FileWorkloads.SPAWN_PARALLEL;
import static dev.weft.benchmarks.files.FileWorkloads.check;
import static dev.weft.benchmarks.files.FileWorkloads.mib;

import dev.weft.runtime.Aio;
import dev.weft.runtime.EventLoop;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Weft's side of the files comparison: the {@link AsyncFileWorkloads} on one event loop, timed
 * from outside {@code runUntilComplete}, in the comparison's {@code RESULT} format.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.weft.benchmarks.files.WeftFilesPeer DIR WORKLOAD...}
 */
public final class WeftFilesPeer {
    private static final String PEER = "weft";

    private WeftFilesPeer() {
    }

    /**
     * Runs the named workloads on the fixtures under {@code args[0]} and prints their results.
     *
     * @param args the sitting's folder, then workload names
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Path big = dir.resolve("big.txt");
        EventLoop loop = Aio.newEventLoop();
        for (int a = 1; a < args.length; a++) {
            String w = args[a];
            switch (w) {
                case "read-small" -> FileWorkloads.report(PEER, w, "files/s", () -> {
                    long start = System.nanoTime();
                    long chars = loop.runUntilComplete(AsyncFileWorkloads.readSmall(dir.resolve("small"), SMALL_FILES, BATCH));
                    long t = System.nanoTime() - start;
                    check("characters read", chars, (long) SMALL_FILES * SMALL_SIZE);
                    return new double[] {SMALL_FILES, t};
                });
                case "write-small" -> FileWorkloads.report(PEER, w, "files/s", () -> {
                    Path out = FileWorkloads.outDir(dir, PEER);
                    long start = System.nanoTime();
                    long chars = loop.runUntilComplete(AsyncFileWorkloads.writeSmall(out, SMALL_FILES, BATCH));
                    long t = System.nanoTime() - start;
                    check("characters written", chars, (long) SMALL_FILES * SMALL_SIZE);
                    check("bytes on disk", Files.size(FileWorkloads.small(out, SMALL_FILES - 1)), SMALL_SIZE);
                    FileWorkloads.deleteTree(out);
                    return new double[] {SMALL_FILES, t};
                });
                case "read-lines" -> FileWorkloads.report(PEER, w, "MiB/s", () -> {
                    long start = System.nanoTime();
                    long chars = loop.runUntilComplete(AsyncFileWorkloads.readLines(big));
                    long t = System.nanoTime() - start;
                    check("characters read", chars, Files.size(big));
                    return new double[] {mib(chars), t};
                });
                case "read-whole" -> FileWorkloads.report(PEER, w, "MiB/s", () -> {
                    long start = System.nanoTime();
                    long chars = loop.runUntilComplete(AsyncFileWorkloads.readWhole(big));
                    long t = System.nanoTime() - start;
                    check("characters read", chars, Files.size(big));
                    return new double[] {mib(chars), t};
                });
                case "write-lines" -> FileWorkloads.report(PEER, w, "MiB/s", () -> {
                    Path out = FileWorkloads.outDir(dir, PEER).resolve("big.txt");
                    int lines = FileWorkloads.bigLines(big);
                    long start = System.nanoTime();
                    long chars = loop.runUntilComplete(AsyncFileWorkloads.writeLines(out, lines));
                    long t = System.nanoTime() - start;
                    check("characters written", chars, (long) lines * LINE.length());
                    check("bytes on disk", Files.size(out), chars);
                    FileWorkloads.deleteTree(out.getParent());
                    return new double[] {mib(chars), t};
                });
                case "write-whole" -> FileWorkloads.report(PEER, w, "MiB/s", () -> {
                    Path out = FileWorkloads.outDir(dir, PEER).resolve("big.txt");
                    String text = LINE.repeat(FileWorkloads.bigLines(big));
                    long start = System.nanoTime();
                    long chars = loop.runUntilComplete(AsyncFileWorkloads.writeWhole(out, text));
                    long t = System.nanoTime() - start;
                    check("bytes on disk", Files.size(out), text.length());
                    FileWorkloads.deleteTree(out.getParent());
                    return new double[] {mib(chars), t};
                });
                case "spawn-seq" -> FileWorkloads.report(PEER, w, "spawns/s", () -> {
                    long start = System.nanoTime();
                    int n = loop.runUntilComplete(AsyncFileWorkloads.spawnSequential(SPAWNS));
                    check("children", n, SPAWNS);
                    return new double[] {SPAWNS, System.nanoTime() - start};
                });
                case "spawn-16" -> FileWorkloads.report(PEER, w, "spawns/s", () -> {
                    long start = System.nanoTime();
                    int n = loop.runUntilComplete(AsyncFileWorkloads.spawnParallel(SPAWNS, SPAWN_PARALLEL));
                    check("children", n, SPAWNS);
                    return new double[] {SPAWNS, System.nanoTime() - start};
                });
                default -> throw new IllegalArgumentException("WeftFilesPeer: unknown workload '" + w + "'");
            }
        }
        loop.close();
    }
}
