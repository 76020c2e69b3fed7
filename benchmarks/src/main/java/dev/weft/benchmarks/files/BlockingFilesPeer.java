package dev.weft.benchmarks.files;

import static dev.weft.benchmarks.files.FileWorkloads.LINE;
import static dev.weft.benchmarks.files.FileWorkloads.SMALL_FILES;
import static dev.weft.benchmarks.files.FileWorkloads.SMALL_SIZE;
import static dev.weft.benchmarks.files.FileWorkloads.SMALL_TEXT;
import static dev.weft.benchmarks.files.FileWorkloads.SPAWNS;
import static dev.weft.benchmarks.files.FileWorkloads.SPAWN_PARALLEL;
import static dev.weft.benchmarks.files.FileWorkloads.check;
import static dev.weft.benchmarks.files.FileWorkloads.mib;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plain blocking Java, the baseline of the files comparison: {@code Files}, {@code BufferedReader}
 * and {@code BufferedWriter} on one thread, one file after the other (no batch of
 * {@link FileWorkloads#BATCH} here); {@code ProcessBuilder} with a blocking read of the child's output, on one thread
 * or, for {@code spawn-16}, on 16 threads.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.weft.benchmarks.files.BlockingFilesPeer DIR WORKLOAD...}
 */
public final class BlockingFilesPeer {
    private static final String PEER = "blocking-java";

    private BlockingFilesPeer() {
    }

    /**
     * Runs the named workloads on the fixtures under {@code args[0]} and prints their results.
     *
     * @param args the sitting's folder, then workload names
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Path big = dir.resolve("big.txt");
        for (int a = 1; a < args.length; a++) {
            String w = args[a];
            switch (w) {
                case "read-small" -> FileWorkloads.report(PEER, w, "files/s", () -> {
                    long start = System.nanoTime();
                    long chars = 0;
                    for (int i = 0; i < SMALL_FILES; i++) {
                        chars += Files.readString(FileWorkloads.small(dir.resolve("small"), i)).length();
                    }
                    long t = System.nanoTime() - start;
                    check("characters read", chars, (long) SMALL_FILES * SMALL_SIZE);
                    return new double[] {SMALL_FILES, t};
                });
                case "write-small" -> FileWorkloads.report(PEER, w, "files/s", () -> {
                    Path out = FileWorkloads.outDir(dir, PEER);
                    long start = System.nanoTime();
                    for (int i = 0; i < SMALL_FILES; i++) {
                        Files.writeString(FileWorkloads.small(out, i), SMALL_TEXT);
                    }
                    long t = System.nanoTime() - start;
                    check("bytes written", Files.size(FileWorkloads.small(out, SMALL_FILES - 1)), SMALL_SIZE);
                    FileWorkloads.deleteTree(out);
                    return new double[] {SMALL_FILES, t};
                });
                case "read-lines" -> FileWorkloads.report(PEER, w, "MiB/s", () -> {
                    long start = System.nanoTime();
                    long chars = 0;
                    try (BufferedReader r = Files.newBufferedReader(big, StandardCharsets.UTF_8)) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            chars += line.length() + 1;
                        }
                    }
                    long t = System.nanoTime() - start;
                    check("characters read", chars, Files.size(big));
                    return new double[] {mib(chars), t};
                });
                case "read-whole" -> FileWorkloads.report(PEER, w, "MiB/s", () -> {
                    long start = System.nanoTime();
                    String text = Files.readString(big);
                    long t = System.nanoTime() - start;
                    check("characters read", text.length(), Files.size(big));
                    return new double[] {mib(text.length()), t};
                });
                case "write-lines" -> FileWorkloads.report(PEER, w, "MiB/s", () -> {
                    Path out = FileWorkloads.outDir(dir, PEER).resolve("big.txt");
                    int lines = FileWorkloads.bigLines(big);
                    long start = System.nanoTime();
                    try (BufferedWriter wr = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                        for (int i = 0; i < lines; i++) {
                            wr.write(LINE);
                        }
                    }
                    long t = System.nanoTime() - start;
                    long size = Files.size(out);
                    check("bytes written", size, (long) lines * LINE.length());
                    FileWorkloads.deleteTree(out.getParent());
                    return new double[] {mib(size), t};
                });
                case "write-whole" -> FileWorkloads.report(PEER, w, "MiB/s", () -> {
                    Path out = FileWorkloads.outDir(dir, PEER).resolve("big.txt");
                    String text = LINE.repeat(FileWorkloads.bigLines(big));
                    long start = System.nanoTime();
                    Files.writeString(out, text);
                    long t = System.nanoTime() - start;
                    long size = Files.size(out);
                    check("bytes written", size, text.length());
                    FileWorkloads.deleteTree(out.getParent());
                    return new double[] {mib(size), t};
                });
                case "spawn-seq" -> FileWorkloads.report(PEER, w, "spawns/s", () -> {
                    long start = System.nanoTime();
                    for (int i = 0; i < SPAWNS; i++) {
                        spawnOne();
                    }
                    return new double[] {SPAWNS, System.nanoTime() - start};
                });
                case "spawn-16" -> FileWorkloads.report(PEER, w, "spawns/s", () -> {
                    AtomicInteger left = new AtomicInteger(SPAWNS);
                    ExecutorService pool = Executors.newFixedThreadPool(SPAWN_PARALLEL);
                    long start = System.nanoTime();
                    List<Future<?>> workers = new ArrayList<>();
                    for (int k = 0; k < SPAWN_PARALLEL; k++) {
                        workers.add(pool.submit(() -> {
                            while (left.getAndDecrement() > 0) {
                                spawnOne();
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : workers) {
                        f.get();
                    }
                    long t = System.nanoTime() - start;
                    pool.shutdown();
                    return new double[] {SPAWNS, t};
                });
                default -> throw new IllegalArgumentException("BlockingFilesPeer: unknown workload '" + w + "'");
            }
        }
    }

    /**
     * Starts {@code echo hi} with its three streams piped, reads its output and waits for it.
     *
     * @throws IOException when it cannot start
     * @throws InterruptedException when interrupted while waiting
     */
    public static void spawnOne() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("echo", "hi").start();
        p.getOutputStream().close();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        p.getErrorStream().readAllBytes();
        int code = p.waitFor();
        if (code != 0 || !"hi\n".equals(new String(out, StandardCharsets.UTF_8))) {
            throw new AssertionError("echo hi gave " + code + ": " + new String(out, StandardCharsets.UTF_8));
        }
    }
}
