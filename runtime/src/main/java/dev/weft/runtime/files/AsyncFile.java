package dev.weft.runtime.files;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.AsyncCloseable;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Awaitable;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import dev.weft.runtime.kernel.PullIterator;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * An open file, as aiofiles gives it: every disk operation runs off the loop (on a virtual thread
 * per job on JDK 21 and later, else on the loop's default executor), so the loop's thread never
 * touches the disk. Text mode ({@code r}, {@code w}, ...) reads and writes {@code String}s with
 * Python's universal newlines; binary mode ({@code rb}, ...) bytes. A method of the other mode
 * throws {@link IllegalStateException} naming the mode.
 *
 * <pre>{@code
 * try (AsyncFile f = await(AsyncFiles.open(path, "r"))) {   // async with aiofiles.open(...) as f:
 *     String data = await(f.read());
 * }
 * }</pre>
 *
 * <p>Buffered as Python's files are: writes collect on the loop, and once 64 KiB wait they go to
 * the disk in a job that runs while the next buffer collects (one such write-behind at a time, each
 * twice the one before up to 512 KiB; the rest go at the next other operation, {@link #flush()} or
 * close). {@link #readLine()} and
 * {@link #lines()} take lines from a batch read ahead in one job; in a file opened read-only the
 * job of the next batch runs while the task takes these (one in flight; any other operation gives
 * its lines back first). A file under 64 KiB opened with
 * {@code r} or {@code rb} is read whole by the open's own job, so {@link #read()} or
 * {@link #readBytes()} right after the open gives the file as it was at the open with no job of
 * its own (what was written to it since is read by the next read). So a line costs no thread hop,
 * and a failure of a buffered write shows at a later await (a write, {@code flush}, {@code tell},
 * {@code seek}, a read or the close, which closes the file all the same), as with Python's buffered
 * I/O. For the loop's thread; one operation at a time.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods.
public final class AsyncFile implements AsyncCloseable {
    /** A write this big goes to its job as it is; the first write-behind goes when this much is buffered. */
    private static final int WRITE_BUFFER = 64 * 1024;
    /**
     * The most bytes a write-behind takes: each one in a row takes twice the one before, from
     * {@link #WRITE_BUFFER} up to this. Writing a 256 MiB file line by line, write-behinds of 64 KiB
     * gave 640 to 680 MiB/s and 2.0 ms of CPU a MiB; of 256 KiB 1,820 to 1,860; of 512 KiB 2,180 to
     * 2,220 and 0.8 ms; of 1 MiB 2,200 to 3,000. 512 KiB: a file written at length holds at most
     * 1 MiB of buffers (this one and the one being written), where 1,000 such files hold 1 GiB.
     */
    private static final int MAX_WRITE_BEHIND = 512 * 1024;
    /** The characters of the first batch of lines a job reads; each next batch in a row is twice as big. */
    private static final int FIRST_LINE_BATCH = 64 * 1024;
    /**
     * The most characters in a batch: reading a 256 MiB file line by line, batches of 64 Ki
     * characters gave 500 MiB/s and 2.1 ms of CPU a MiB; of 256 Ki 740 to 970; of 512 Ki 990 to
     * 1,040 and 1.3 ms; of 1 Mi 960 to 1,460 (per batch, a job's thread hand-offs and the loop's
     * wake-up cost about as much as reading 64 Ki characters). 512 Ki: a file read by lines holds
     * two batches, about 1.5 MiB of {@code String}s in lines of 100 characters.
     */
    private static final int MAX_LINE_BATCH = 512 * 1024;
    /** The first write buffer; it doubles up to {@link #behindAt} as writes fill it. */
    private static final int MIN_BUFFER = 8 * 1024;

    private final EventLoop loop;
    private final Path path;
    private final Mode mode;
    private final Charset charset;
    private final FileState state;
    /** The charset writes use where it is not {@link #charset} (UTF-16: the file's order), else null. */
    private final Charset writeCharset;
    /** The next write of UTF-16 text starts an empty file: it begins with the big-endian mark. */
    private boolean markPending;
    /** Bytes written and not yet handed to a job: {@code buf[0, bufLen)}; null until the first write. */
    private byte[] buf;
    private int bufLen;
    /** The write-behind job in flight, or null: a full buffer goes to the disk while the next one fills. */
    private Future<Object> behind;
    /** Counted down when {@link #behind}'s write is done: the next job of the file waits for it on its thread. */
    private CountDownLatch behindDone;
    /** The buffer {@link #behind} writes, for the buffer after the next once it is done. */
    private byte[] behindBuf;
    /** The bytes buffered that start the next write-behind: {@link #WRITE_BUFFER}, doubling with each up to {@link #MAX_WRITE_BEHIND}. */
    private int behindAt = WRITE_BUFFER;
    /** The batch of lines being taken, from {@link #lineNext} on; null when none is. */
    private LineBatch lineCache;
    private int lineNext;
    /**
     * The next batch of lines, read in a job while the task takes those of {@link #lineCache}
     * (read-only files); null when none is in flight or taken. Its lines are the file's until a
     * {@link #readLine()} takes them: any other operation's job gives them back first.
     */
    private ReadAhead ahead;
    /** The open read the whole (small) file: the first whole read takes it with no job. */
    private boolean prefetched;
    private boolean closed;

    AsyncFile(EventLoop loop, Path path, Mode mode, Charset charset, FileState state) {
        this.loop = loop;
        this.path = path;
        this.mode = mode;
        this.charset = charset;
        this.state = state;
        this.writeCharset = state.writeCharset();
        this.markPending = state.markFirst();
        this.prefetched = state.prefetchedWhole();
    }

    /**
     * The file's path.
     *
     * @return the path it was opened with
     */
    public Path path() {
        return path;
    }

    /**
     * The mode it was opened with.
     *
     * @return the mode, as given
     */
    public String mode() {
        return mode.text();
    }

    /**
     * Whether the file is closed.
     *
     * @return true once {@link #close()} or {@link #aclose()} was called
     */
    public boolean isClosed() {
        return closed;
    }

    private void check(String what, boolean text, boolean reading) {
        if (closed) {
            throw new IllegalStateException(what + " on closed file " + path);
        }
        if (text == mode.binary()) {
            throw new IllegalStateException(what + " is for " + (text ? "text" : "binary") + " mode; " + path
                    + " is open with mode '" + mode.text() + "'");
        }
        if (reading ? !mode.read() : !mode.write()) {
            throw new IllegalStateException(path + " (mode '" + mode.text() + "') is not "
                    + (reading ? "readable" : "writable"));
        }
    }

    /**
     * Runs {@code op} off the loop after the write-behind in flight, the buffered writes and with
     * the read-ahead lines given back; a write-behind's failure is thrown instead of running it.
     * With {@code closing}, the file is closed after all that, whatever fails.
     */
    private <T> Future<T> job(Callable<T> op, boolean closing) {
        return job(op, closing, null);
    }

    /** As {@link #job(Callable, boolean)}; {@code mine}, a batch of lines this job reads, is done when it ends. */
    private <T> Future<T> job(Callable<T> op, boolean closing, ReadAhead mine) {
        prefetched = false;
        byte[] toWrite = bufLen == 0 ? null : buf;
        int toWriteLen = bufLen;
        if (toWrite != null) {
            buf = null;
            bufLen = 0;
        }
        LineBatch cached = hasCachedLines() ? lineCache : null;
        int cachedFrom = lineNext;
        lineCache = null;
        // Any other operation ends a run of writes: the next write-behind is a small one again.
        behindAt = WRITE_BUFFER;
        CountDownLatch after = behindDone;
        behindDone = null;
        behind = null;
        behindBuf = null;
        ReadAhead lines = ahead;
        ahead = null;
        if (lines != null) {
            // Its failure, if any, is thrown by this job: the future's own is not lost too.
            lines.future.addDoneCallback(f -> {
                if (!f.isCancelled()) {
                    f.exception();
                }
            });
        }
        return FileJobs.run(loop, () -> {
            try {
                if (after != null) {
                    after.await();
                }
                if (lines != null) {
                    // The batch read ahead, which nobody took: after the cached lines, it goes back too.
                    lines.done.await();
                }
                LineBatch more = lines == null || lines.lines == null || lines.lines.isEmpty() ? null : lines.lines;
                state.throwDeferred();
                // As Python's files: an end met by an earlier operation is read again, so a file
                // that grew since gives its new bytes.
                state.forgetEnd();
                giveBack(cached, cachedFrom, more);
                if (lines != null && lines.failure != null) {
                    // A batch nobody took failed: its failure is the next job's, as a write-behind's is.
                    throw lines.failure;
                }
                if (toWrite != null) {
                    state.writeBytes(toWrite, toWriteLen);
                }
                return op.call();
            } finally {
                try {
                    if (closing) {
                        state.close();
                    }
                } finally {
                    if (mine != null) {
                        mine.done.countDown();
                    }
                }
            }
        });
    }

    private <T> Future<T> job(Callable<T> op) {
        return job(op, false);
    }

    /** Copies {@code b} into the write buffer, which grows to hold it. */
    private void append(byte[] b) {
        int need = bufLen + b.length;
        if (buf == null || need > buf.length) {
            byte[] bigger = new byte[Math.max(need, buf == null ? MIN_BUFFER : Math.min(2 * buf.length, behindAt))];
            if (bufLen > 0) {
                System.arraycopy(buf, 0, bigger, 0, bufLen);
            }
            buf = bigger;
        }
        System.arraycopy(b, 0, buf, bufLen, b.length);
        bufLen = need;
    }

    /**
     * Hands the full write buffer to a write-behind job and takes the buffer of the one before for
     * the next writes; the caller has awaited that one. The next job of the file runs after it.
     */
    private void startBehind() {
        byte[] data = buf;
        int len = bufLen;
        CountDownLatch after = behindDone;
        // The last write-behind's buffer, unless a cancelled await left that job still writing it.
        buf = after == null || after.getCount() == 0 ? behindBuf : null;
        bufLen = 0;
        CountDownLatch written = new CountDownLatch(1);
        behindDone = written;
        behindBuf = data;
        behindAt = Math.min(MAX_WRITE_BEHIND, 2 * behindAt);
        behind = FileJobs.run(loop, () -> {
            try {
                if (after != null) {
                    after.await();
                }
                state.writeBehind(data, len);
            } finally {
                written.countDown();
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- text

    /**
     * Reads the rest of the file as text.
     *
     * @return an awaitable of the text, empty at the end
     * @throws IOException the JDK's failure, at the await
     */
    @Async
    public Coroutine<String> read() throws IOException {
        check("read()", true, true);
        if (prefetched) {
            // The open read the whole file (a small one): decoding it needs no job.
            prefetched = false;
            return result(state.takePrefetchedText());
        }
        return result(await(job(() -> state.readText(-1))));
    }

    /**
     * Reads up to {@code n} characters, counted as Python counts them: code points, so a surrogate
     * pair is one and never split (the {@code String} may be longer than {@code n} {@code char}s).
     *
     * @param n the most characters, or -1 for the rest
     * @return an awaitable of the text, empty at the end
     * @throws IOException the JDK's failure, at the await
     */
    @Async
    public Coroutine<String> read(int n) throws IOException {
        check("read(n)", true, true);
        return result(await(job(() -> state.readText(n))));
    }

    /**
     * Reads a line with its {@code \n} (universal newlines: {@code \r\n} and {@code \r} read as
     * {@code \n}); what is left at the end; then an empty string.
     *
     * @return an awaitable of the line
     * @throws IOException the JDK's failure, at the await
     */
    @Async
    public Coroutine<String> readLine() throws IOException {
        check("readLine()", true, true);
        if (hasCachedLines()) {
            return result(lineCache.lines.get(lineNext++));
        }
        ReadAhead next = ahead;
        if (next == null || next.future.isCancelled() || next.metEnd()) {
            // A batch read ahead whose reader was cancelled goes back to the file in this job first;
            // so does one that met the end of the file, which is read again now, as Python's
            // readline does: text appended since the batch was read ahead comes in this line.
            ReadAhead mine = new ReadAhead(FIRST_LINE_BATCH);
            mine.future = job(mine::read, false, mine);
            next = mine;
        }
        // The batch is the file's until this await takes it: a readLine cancelled or timed out
        // while it waits leaves it to the next operation, whose job gives it back.
        ahead = next;
        LineBatch batch;
        try {
            batch = await(next.future);
        } catch (Throwable e) {
            // Only the batch's own failure takes it. A cancel or timeout delivered here, even
            // after its job ended well, leaves it to the next operation.
            if (next.future.isDone() && !next.future.isCancelled() && next.future.exception() != null) {
                ahead = null;
            }
            throw e;
        }
        if (ahead != next || next.metEnd()) {
            // Another task's readLine took this batch first (one operation at a time is the rule,
            // but two readers must not both get it): take the next line as it would. Or the batch
            // was read ahead to the end of the file: the readLine called now reads it again.
            return result(await(readLine()));
        }
        ahead = null;
        if (batch.isEmpty()) {
            lineCache = null;
            return result("");
        }
        lineCache = batch;
        lineNext = 1;
        if (!mode.write() && state.hasPosition()) {
            // The next batch is read while the task takes these: the loop does not wait for each.
            // Not from a FIFO, where it would wait for the writer and hold up the file's other operations.
            // Twice the batch just taken if that one was read ahead too (a run of lines), else the
            // same: a readLine between other operations reads two small batches, not a growing one.
            ReadAhead more = new ReadAhead(next.readAhead ? Math.min(MAX_LINE_BATCH, 2 * next.budget) : next.budget);
            more.readAhead = true;
            more.future = FileJobs.run(loop, () -> {
                state.forgetEnd();
                return more.read();
            });
            ahead = more;
        }
        return result(batch.lines.get(0));
    }

    private boolean hasCachedLines() {
        return lineCache != null && lineNext < lineCache.lines.size();
    }

    /**
     * In a job: puts back lines read ahead that the task did not take, those of {@code cached} from
     * {@code from} on, then those of {@code more}. A file with a position goes back to where the
     * first of them starts, so {@code tell} and {@code seek} count their ends as they are on the disk;
     * a FIFO and lines decoded with replacements get their text back.
     */
    private void giveBack(LineBatch cached, int from, LineBatch more) throws IOException {
        if (cached == null && more == null) {
            return;
        }
        // To the start of the first line not taken, counted from its batch's start: right also when
        // the batch read ahead after it failed part way.
        if (cached != null ? state.seekToLine(cached, from) : state.seekToLine(more, 0)) {
            return;
        }
        StringBuilder text = new StringBuilder();
        if (cached != null) {
            cached.lines.subList(from, cached.lines.size()).forEach(text::append);
        }
        if (more != null) {
            more.lines.forEach(text::append);
        }
        state.unread(text.toString());
    }

    /**
     * A batch of lines read in a job: its future, and for a later job that gives it back (nobody
     * took it), its lines or its failure, set before {@link #done} counts down.
     */
    private final class ReadAhead {
        final CountDownLatch done = new CountDownLatch(1);
        volatile LineBatch lines;
        volatile Exception failure;
        Future<LineBatch> future;
        /** The characters to read, about. */
        final int budget;
        /** Started as a task took the batch before it (not by a readLine's own job). */
        boolean readAhead;

        ReadAhead(int budget) {
            this.budget = budget;
        }

        /**
         * Read ahead, and it met the end of the file: it is empty or its last line is not ended
         * (no end of line, or a {@code \r} at the end that a {@code \n} may follow). What a readLine
         * takes from there is what the file holds when it is called.
         */
        boolean metEnd() {
            LineBatch l = lines;
            return readAhead && l != null && l.openEnd;
        }

        /**
         * In the job: reads the batch and keeps it, or the failure, for a job that may give it
         * back, and counts {@link #done} down (a {@link #job} that fails before calling this does it too).
         */
        LineBatch read() throws IOException {
            try {
                LineBatch l = state.readLines(budget);
                lines = l;
                return l;
            } catch (IOException | RuntimeException e) {
                failure = e;
                throw e;
            } finally {
                done.countDown();
            }
        }
    }

    /** {@code text} in the file's charset; in UTF-16, in the file's byte order with the mark only once, at its start. */
    private byte[] encode(String text) {
        if (writeCharset == null) {
            return text.getBytes(charset);
        }
        byte[] b = text.getBytes(writeCharset);
        if (markPending && b.length > 0) {
            markPending = false;
            byte[] marked = new byte[b.length + 2];
            marked[0] = (byte) 0xFE;
            marked[1] = (byte) 0xFF;
            System.arraycopy(b, 0, marked, 2, b.length);
            return marked;
        }
        return b;
    }

    /**
     * Writes {@code text} (encoded in the file's charset).
     *
     * @param text the text
     * @return an awaitable of the count of characters, as Python counts them (code points: a surrogate pair is one)
     * @throws IOException the JDK's failure of this or an earlier buffered write, at the await
     */
    @Async
    public Coroutine<Integer> write(String text) throws IOException {
        check("write(String)", true, false);
        byte[] b = encode(text);
        if (b.length >= WRITE_BUFFER || hasCachedLines()) {
            // Large: written as it is after what is buffered, in the same job, not copied into the
            // buffer first. Or after lines read ahead: the job gives them back, so the write goes
            // where the reader is.
            await(job(() -> state.writeBytes(b)));
            return result(text.codePointCount(0, text.length()));
        }
        append(b);
        if (bufLen >= behindAt) {
            if (behind != null && !behind.isDone()) {
                // One write-behind at a time: the loop does not run ahead of the disk.
                await(behind);
            }
            // The one before is done: its failure is this write's, as a failed flush is in Python.
            state.throwDeferred();
            startBehind();
        }
        return result(text.codePointCount(0, text.length()));
    }

    /**
     * The file's lines with their {@code \n}, until its end: {@code async for line in f}.
     *
     * @return an iterator over the lines
     */
    public AsyncIterator<String> lines() {
        check("lines()", true, true);
        return new Lines();
    }

    private final class Lines extends PullIterator<String> {
        Lines() {
            super("line");
        }

        @Override
        protected Awaitable<String> fetch() throws IOException {
            return readLine();
        }

        @Override
        protected boolean endsAt(String line) {
            return line.isEmpty();
        }
    }

    // ---------------------------------------------------------------- binary

    /**
     * Reads the rest of the file.
     *
     * @return an awaitable of the bytes, empty at the end
     * @throws IOException the JDK's failure, at the await
     */
    @Async
    public Coroutine<byte[]> readBytes() throws IOException {
        check("readBytes()", false, true);
        if (prefetched) {
            prefetched = false;
            return result(state.takePrefetchedBytes());
        }
        return result(await(job(() -> state.readBytes(-1))));
    }

    /**
     * Reads up to {@code n} bytes.
     *
     * @param n the most bytes, or -1 for the rest
     * @return an awaitable of the bytes, empty at the end
     * @throws IOException the JDK's failure, at the await
     */
    @Async
    public Coroutine<byte[]> readBytes(int n) throws IOException {
        check("readBytes(n)", false, true);
        return result(await(job(() -> state.readBytes(n))));
    }

    /**
     * Writes {@code data}.
     *
     * @param data the bytes
     * @return an awaitable of the count of bytes
     * @throws IOException the JDK's failure of this or an earlier buffered write, at the await
     */
    @Async
    public Coroutine<Integer> write(byte[] data) throws IOException {
        check("write(byte[])", false, false);
        if (data.length >= WRITE_BUFFER || hasCachedLines()) {
            byte[] copy = data.clone();
            await(job(() -> state.writeBytes(copy)));
            return result(data.length);
        }
        append(data);
        if (bufLen >= behindAt) {
            if (behind != null && !behind.isDone()) {
                await(behind);
            }
            state.throwDeferred();
            startBehind();
        }
        return result(data.length);
    }

    // ---------------------------------------------------------------- both

    /**
     * Moves to byte offset {@code offset} from the start.
     *
     * @param offset the offset, not negative
     * @return an awaitable of the move
     * @throws IOException the JDK's failure, at the await
     */
    @Async
    public Coroutine<Void> seek(long offset) throws IOException {
        checkOpen("seek");
        await(job(() -> {
            state.seek(offset);
            return null;
        }));
        return done();
    }

    /**
     * The byte offset of the next read or write.
     *
     * @return an awaitable of the offset
     * @throws IOException the JDK's failure, at the await
     */
    @Async
    public Coroutine<Long> tell() throws IOException {
        checkOpen("tell");
        return result(await(job(state::tell)));
    }

    /**
     * Writes the buffered bytes to the operating system, as Python's {@code flush()} (not an
     * {@code fsync}).
     *
     * @return an awaitable of the flush
     * @throws IOException the JDK's failure, at the await
     */
    @Async
    public Coroutine<Void> flush() throws IOException {
        checkOpen("flush");
        await(job(() -> null));
        return done();
    }

    private void checkOpen(String what) {
        if (closed) {
            throw new IllegalStateException(what + " on closed file " + path);
        }
    }

    /**
     * Writes what is buffered and closes the file, waiting for it; a buffered write's failure is
     * thrown here.
     *
     * @return an awaitable of the close
     */
    @Override
    public Awaitable<Void> aclose() {
        return closeAndWait();
    }

    @Async
    private Coroutine<Void> closeAndWait() {
        if (closed) {
            return done();
        }
        closed = true;
        await(job(() -> null, true));
        return done();
    }

    /** Starts closing (after the buffered writes) without waiting, as outside {@code @Async} code. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Future<Object> f = job(() -> null, true);
        f.addDoneCallback(done -> {
            Throwable e = done.exception();
            if (e != null) {
                loop.callExceptionHandler(new dev.weft.runtime.ExceptionContext("closing " + path + " failed", e,
                        null, null, done));
            }
        });
    }

    @Override
    public String toString() {
        return "AsyncFile[" + path + ", mode '" + mode.text() + "'" + (closed ? ", closed" : "") + "]";
    }
}
