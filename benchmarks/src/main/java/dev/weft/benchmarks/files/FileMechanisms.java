package dev.weft.benchmarks.files;

import static dev.weft.benchmarks.files.FileWorkloads.BATCH;
import static dev.weft.benchmarks.files.FileWorkloads.SMALL_FILES;
import static dev.weft.benchmarks.files.FileWorkloads.SMALL_SIZE;
import static dev.weft.benchmarks.files.FileWorkloads.check;
import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The mechanism question of the files issue, for the row where it matters (10,000 files of 4 KiB,
 * read {@link FileWorkloads#BATCH} at once): how the loop should reach the disk. Each candidate
 * opens, reads whole (decoded as UTF-8) and closes every file:
 * <ul>
 *   <li>{@code executor-3-hops}: three jobs on the loop's default executor (open, read, close), as
 *       {@code AsyncFiles.open} + {@code read()} + close did;</li>
 *   <li>{@code executor-1-hop}: one job per file on the default executor;</li>
 *   <li>{@code virtual-3-hops}, {@code virtual-1-hop}: the same on a virtual thread per job (JDK 21+);</li>
 *   <li>{@code asyncfiles}: {@code AsyncFiles.open} + {@code read()} + close itself, as the
 *       read-small row runs it, in the same JVM after the others, so the two compare warmed
 *       alike;</li>
 *   <li>{@code async-channel}: {@link AsynchronousFileChannel} (open and close on the loop's
 *       thread, which a real implementation could not allow; the read through its completion
 *       handler, back through {@code callSoonThreadsafe}).</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.weft.benchmarks.files.FileMechanisms DIR [MECHANISM...]}
 */
@SuppressWarnings("exports")
public final class FileMechanisms {
    private static final String PEER = "mechanism";

    private FileMechanisms() {
    }

    /** How one file is read. */
    @FunctionalInterface
    interface Reader {
        Coroutine<Integer> read(Path path) throws IOException;
    }

    /**
     * Measures the named mechanisms (all when none is named) and prints their results.
     *
     * @param args the sitting's folder, then mechanism names
     * @throws Exception when one fails
     */
    public static void main(String[] args) throws Exception {
        Path small = Path.of(args[0]).resolve("small");
        List<String> names = new ArrayList<>(List.of(args).subList(1, args.length));
        ExecutorService virtual = virtualThreads();
        if (names.isEmpty()) {
            names.addAll(List.of("executor-3-hops", "executor-1-hop", "async-channel"));
            if (virtual != null) {
                names.addAll(List.of("virtual-3-hops", "virtual-1-hop"));
            }
            names.add("asyncfiles");
        }
        EventLoop loop = Aio.newEventLoop();
        for (String name : names) {
            Reader r = switch (name) {
                case "executor-3-hops" -> p -> threeHops(p, null);
                case "executor-1-hop" -> p -> oneHop(p, null);
                case "virtual-3-hops" -> p -> threeHops(p, virtual);
                case "virtual-1-hop" -> p -> oneHop(p, virtual);
                case "async-channel" -> FileMechanisms::asyncChannel;
                case "asyncfiles" -> AsyncFileWorkloads::readOne;
                default -> throw new IllegalArgumentException("FileMechanisms: unknown mechanism '" + name + "'");
            };
            FileWorkloads.report(PEER, name, "files/s", () -> {
                long start = System.nanoTime();
                long chars = loop.runUntilComplete(readAll(small, r));
                long t = System.nanoTime() - start;
                check("characters read", chars, (long) SMALL_FILES * SMALL_SIZE);
                return new double[] {SMALL_FILES, t};
            });
        }
        loop.close();
        if (virtual != null) {
            virtual.shutdown();
        }
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()} where the JDK has it (the build targets 17). */
    private static ExecutorService virtualThreads() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    @Async
    private static Coroutine<Long> readAll(Path dir, Reader r) throws IOException {
        long chars = 0;
        for (int i = 0; i < SMALL_FILES; i += BATCH) {
            List<Coroutine<Integer>> reads = new ArrayList<>(BATCH);
            for (int k = i; k < Math.min(SMALL_FILES, i + BATCH); k++) {
                reads.add(r.read(FileWorkloads.small(dir, k)));
            }
            for (int c : await(gather(reads))) {
                chars += c;
            }
        }
        return result(chars);
    }

    private static String readChannel(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) ch.size());
        while (b.hasRemaining() && ch.read(b) >= 0) {
            // Reads to the size seen at the start.
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Async
    private static Coroutine<Integer> threeHops(Path path, ExecutorService executor) {
        EventLoop loop = getRunningLoop();
        FileChannel ch = await(loop.runInExecutor(executor, () -> FileChannel.open(path, StandardOpenOption.READ)));
        String text = await(loop.runInExecutor(executor, () -> readChannel(ch)));
        await(loop.runInExecutor(executor, () -> {
            ch.close();
            return null;
        }));
        return result(text.length());
    }

    @Async
    private static Coroutine<Integer> oneHop(Path path, ExecutorService executor) {
        String text = await(getRunningLoop().runInExecutor(executor, () -> {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                return readChannel(ch);
            }
        }));
        return result(text.length());
    }

    @Async
    private static Coroutine<Integer> asyncChannel(Path path) throws IOException {
        EventLoop loop = getRunningLoop();
        AsynchronousFileChannel ch = AsynchronousFileChannel.open(path, StandardOpenOption.READ);
        ByteBuffer b = ByteBuffer.allocate((int) ch.size());
        Future<Integer> read = loop.createFuture();
        ch.read(b, 0, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void attachment) {
                loop.callSoonThreadsafe(() -> read.setResult(n));
            }

            @Override
            public void failed(Throwable e, Void attachment) {
                loop.callSoonThreadsafe(() -> read.setException(e));
            }
        });
        int n = await(read);
        ch.close();
        return result(new String(b.array(), 0, n, StandardCharsets.UTF_8).length());
    }
}
