package dev.weft.benchmarks.files;

import static dev.weft.benchmarks.files.FileWorkloads.LINE;
import static dev.weft.benchmarks.files.FileWorkloads.SMALL_TEXT;
import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createSubprocessExec;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Task;
import dev.weft.runtime.files.AsyncFile;
import dev.weft.runtime.files.AsyncFiles;
import dev.weft.runtime.subprocess.Subprocess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Weft's side of every files row, written as a user writes aiofiles code in Java: {@code AsyncFiles.open}
 * in try-with-resources, {@code read}, {@code lines}, {@code write}; {@code createSubprocessExec}
 * and {@code communicate}. Each method returns what it read or wrote, which the peer checks.
 */
@SuppressWarnings("exports")
public final class AsyncFileWorkloads {
    private AsyncFileWorkloads() {
    }

    /**
     * Opens, reads whole and closes one file.
     *
     * @param path the file
     * @return its length in characters
     * @throws IOException the file's failure
     */
    @Async
    public static Coroutine<Integer> readOne(Path path) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(path, "r"))) {
            return result(await(f.read()).length());
        }
    }

    /**
     * Reads {@code n} files, {@code batch} at once: a gather of {@code batch} reads, then the next.
     *
     * @param dir   the folder of the small files
     * @param n     how many
     * @param batch how many at once
     * @return the characters read
     * @throws IOException a file's failure
     */
    @Async
    public static Coroutine<Long> readSmall(Path dir, int n, int batch) throws IOException {
        long chars = 0;
        for (int i = 0; i < n; i += batch) {
            List<Coroutine<Integer>> reads = new ArrayList<>(batch);
            for (int k = i; k < Math.min(n, i + batch); k++) {
                reads.add(readOne(FileWorkloads.small(dir, k)));
            }
            for (int c : await(gather(reads))) {
                chars += c;
            }
        }
        return result(chars);
    }

    /**
     * Creates or truncates one file and writes {@link FileWorkloads#SMALL_TEXT}.
     *
     * @param path the file
     * @return the characters written
     * @throws IOException the file's failure
     */
    @Async
    public static Coroutine<Integer> writeOne(Path path) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(path, "w"))) {
            return result(await(f.write(SMALL_TEXT)));
        }
    }

    /**
     * Writes {@code n} files, {@code batch} at once.
     *
     * @param dir   where
     * @param n     how many
     * @param batch how many at once
     * @return the characters written
     * @throws IOException a file's failure
     */
    @Async
    public static Coroutine<Long> writeSmall(Path dir, int n, int batch) throws IOException {
        long chars = 0;
        for (int i = 0; i < n; i += batch) {
            List<Coroutine<Integer>> writes = new ArrayList<>(batch);
            for (int k = i; k < Math.min(n, i + batch); k++) {
                writes.add(writeOne(FileWorkloads.small(dir, k)));
            }
            for (int c : await(gather(writes))) {
                chars += c;
            }
        }
        return result(chars);
    }

    /**
     * Reads a file line by line: {@code async for line in f}.
     *
     * @param path the file
     * @return the characters read
     * @throws IOException the file's failure
     */
    @Async
    public static Coroutine<Long> readLines(Path path) throws IOException {
        long chars = 0;
        try (AsyncFile f = await(AsyncFiles.open(path, "r")); AsyncIterator<String> lines = f.lines()) {
            while (await(lines.hasNext())) {
                chars += lines.next().length();
            }
        }
        return result(chars);
    }

    /**
     * Reads a file whole.
     *
     * @param path the file
     * @return the characters read
     * @throws IOException the file's failure
     */
    @Async
    public static Coroutine<Long> readWhole(Path path) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(path, "r"))) {
            return result((long) await(f.read()).length());
        }
    }

    /**
     * Writes {@code lines} lines of {@link FileWorkloads#LINE}, one {@code write} each.
     *
     * @param path  the file
     * @param lines how many
     * @return the characters written
     * @throws IOException the file's failure
     */
    @Async
    public static Coroutine<Long> writeLines(Path path, int lines) throws IOException {
        long chars = 0;
        try (AsyncFile f = await(AsyncFiles.open(path, "w"))) {
            for (int i = 0; i < lines; i++) {
                chars += await(f.write(LINE));
            }
        }
        return result(chars);
    }

    /**
     * Writes {@code text} in one {@code write}.
     *
     * @param path the file
     * @param text the text
     * @return the characters written
     * @throws IOException the file's failure
     */
    @Async
    public static Coroutine<Long> writeWhole(Path path, String text) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(path, "w"))) {
            return result((long) await(f.write(text)));
        }
    }

    /**
     * Starts {@code echo hi} with its streams piped and {@code communicate}s with it.
     *
     * @return 1, once its output was checked
     * @throws IOException when it cannot start
     */
    @Async
    public static Coroutine<Integer> spawnOne() throws IOException {
        Subprocess p = await(createSubprocessExec("echo", "hi"));
        Subprocess.Output out = await(p.communicate(null));
        if (out.exitCode() != 0 || !"hi\n".equals(new String(out.stdout(), StandardCharsets.UTF_8))) {
            throw new AssertionError("echo hi gave " + out);
        }
        return result(1);
    }

    /**
     * Runs {@code n} children one after the other.
     *
     * @param n how many
     * @return {@code n}
     * @throws IOException when one cannot start
     */
    @Async
    public static Coroutine<Integer> spawnSequential(int n) throws IOException {
        int done = 0;
        for (int i = 0; i < n; i++) {
            done += await(spawnOne());
        }
        return result(done);
    }

    /**
     * Runs {@code n} children, {@code parallel} at once: that many tasks take the next child as
     * theirs ends.
     *
     * @param n        how many
     * @param parallel how many at once
     * @return {@code n}
     */
    @Async
    public static Coroutine<Integer> spawnParallel(int n, int parallel) {
        int[] left = {n};
        List<Task<Integer>> workers = new ArrayList<>(parallel);
        for (int k = 0; k < parallel; k++) {
            workers.add(createTask(spawnWorker(left)));
        }
        int done = 0;
        for (int d : await(gather(workers))) {
            done += d;
        }
        return result(done);
    }

    @Async
    private static Coroutine<Integer> spawnWorker(int[] left) {
        int done = 0;
        while (left[0] > 0) {
            left[0]--;
            try {
                done += await(spawnOne());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return result(done);
    }
}
