package dev.weft.runtime.files;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.shield;

import dev.weft.Async;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * aiofiles for Weft: {@link #open(Path, String)} and the {@code aiofiles.os} helpers. Every disk
 * operation runs off the loop, one job each: on a virtual thread per job on JDK 21 and later (off
 * with {@code -Ddev.weft.files.virtualThreads=false}), else on the loop's default executor. The
 * JDK's exceptions ({@code NoSuchFileException}, {@code FileAlreadyExistsException},
 * {@code AccessDeniedException}, each naming the path) are thrown at the await.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods.
public final class AsyncFiles {
    /** Files shorter than this, opened for reading only, are read whole by the open's job. */
    static final int PREFETCH = 64 * 1024;

    private AsyncFiles() {
    }

    /**
     * Opens {@code path} with a Python mode: {@code r}, {@code w} (create or truncate), {@code a}
     * (create, append), {@code x} (create, fail if it exists), each with {@code +} for both ways
     * and {@code b} for bytes; text is UTF-8.
     *
     * @param path the file
     * @param mode the mode
     * @return an awaitable of the open file
     * @throws IOException the JDK's failure, at the await
     * @throws IllegalArgumentException for a mode Python would refuse
     */
    public static Coroutine<AsyncFile> open(Path path, String mode) throws IOException {
        return open(path, mode, StandardCharsets.UTF_8);
    }

    /**
     * {@link #open(Path, String)} with the text's charset.
     *
     * @param path    the file
     * @param mode    the mode
     * @param charset the charset of text mode
     * @return an awaitable of the open file
     * @throws IOException the JDK's failure, at the await
     */
    @Async
    public static Coroutine<AsyncFile> open(Path path, String mode, Charset charset) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        Mode m = Mode.parse(mode);
        EventLoop loop = getRunningLoop();
        // The job and a cancelled open race to this slot: whichever comes second closes the file, so
        // that a file opened after its open was cancelled is closed even when the loop is gone by
        // then (its done callback would never run).
        AtomicReference<Object> handedOver = new AtomicReference<>();
        Future<FileState> opening = FileJobs.run(loop, () -> {
            FileChannel c = FileChannel.open(path, m.openOptions());
            FileState s;
            try {
                if (m.append()) {
                    // Python's 'a' writes at the end; tell() starts there.
                    c.position(c.size());
                }
                s = new FileState(path, c, m, charset);
                s.chooseWriteEncoding();
            } catch (IOException | RuntimeException | Error e) {
                c.close();
                throw e;
            }
            if (m.read() && !m.write()) {
                // A small file is read whole in the same job: read() right after needs none.
                s.prefetch(PREFETCH);
            }
            if (!handedOver.compareAndSet(null, s)) {
                s.close();   // the open was cancelled while this job ran: nobody will take the file
            }
            return s;
        });
        FileState state;
        try {
            // Shielded: a cancelled open must still close the channel the job opens.
            state = await(shield(opening));
        } catch (CancelledError e) {
            if (handedOver.getAndSet(e) instanceof FileState opened) {
                try {
                    opened.close();
                } catch (IOException ignored) {
                    // Nobody holds the channel: closing it is all there is to do.
                }
            }
            throw e;
        }
        return result(new AsyncFile(loop, path, m, charset, state));
    }

    /**
     * Reads a whole file as UTF-8 text.
     *
     * @param path the file
     * @return an awaitable of the text
     * @throws IOException the JDK's failure, at the await
     */
    @Async
    public static Coroutine<String> readString(Path path) throws IOException {
        return result(await(FileJobs.run(getRunningLoop(), () -> Files.readString(path))));
    }

    /**
     * Writes {@code text} as UTF-8, creating or truncating the file.
     *
     * @param path the file
     * @param text the text
     * @return an awaitable of the write
     * @throws IOException the JDK's failure, at the await
     */
    @Async
    public static Coroutine<Void> writeString(Path path, String text) throws IOException {
        await(FileJobs.run(getRunningLoop(), () -> Files.writeString(path, text)));
        return done();
    }

    /**
     * Reads a whole file.
     *
     * @param path the file
     * @return an awaitable of its bytes
     * @throws IOException the JDK's failure, at the await
     */
    @Async
    public static Coroutine<byte[]> readAllBytes(Path path) throws IOException {
        return result(await(FileJobs.run(getRunningLoop(), () -> Files.readAllBytes(path))));
    }

    /**
     * Writes {@code bytes}, creating or truncating the file.
     *
     * @param path  the file
     * @param bytes the bytes
     * @return an awaitable of the write
     * @throws IOException the JDK's failure, at the await
     */
    @Async
    public static Coroutine<Void> write(Path path, byte[] bytes) throws IOException {
        byte[] copy = bytes.clone();
        await(FileJobs.run(getRunningLoop(), () -> Files.write(path, copy)));
        return done();
    }

    /**
     * Whether {@code path} exists: {@code aiofiles.os.path.exists}.
     *
     * @param path the path
     * @return an awaitable of the answer
     */
    @Async
    public static Coroutine<Boolean> exists(Path path) {
        return result(await(FileJobs.run(getRunningLoop(), () -> Files.exists(path))));
    }

    /**
     * Deletes a file or an empty folder: {@code aiofiles.os.remove}.
     *
     * @param path the path
     * @return an awaitable of the delete
     * @throws IOException the JDK's failure ({@code NoSuchFileException} when it is missing), at the await
     */
    @Async
    public static Coroutine<Void> delete(Path path) throws IOException {
        await(FileJobs.run(getRunningLoop(), () -> {
            Files.delete(path);
            return null;
        }));
        return done();
    }

    /**
     * Renames {@code source} to {@code target}, replacing an existing target, as {@code os.rename}
     * on POSIX.
     *
     * @param source what to move
     * @param target where
     * @return an awaitable of the move
     * @throws IOException the JDK's failure, at the await
     */
    @Async
    public static Coroutine<Void> move(Path source, Path target) throws IOException {
        await(FileJobs.run(getRunningLoop(),
                () -> Files.move(source, target, StandardCopyOption.REPLACE_EXISTING)));
        return done();
    }

    /**
     * The entries of a folder, sorted by name: {@code aiofiles.os.listdir}, as paths.
     *
     * @param dir the folder
     * @return an awaitable of its entries
     * @throws IOException the JDK's failure ({@code NotDirectoryException}, ...), at the await
     */
    @Async
    public static Coroutine<List<Path>> list(Path dir) throws IOException {
        return result(await(FileJobs.run(getRunningLoop(), () -> {
            try (Stream<Path> s = Files.list(dir)) {
                return s.sorted().toList();
            }
        })));
    }
}
