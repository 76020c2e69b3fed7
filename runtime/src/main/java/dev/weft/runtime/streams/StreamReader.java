package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Awaitable;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import dev.weft.runtime.kernel.PullIterator;
import dev.weft.runtime.kernel.Sneaky;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The reading side of a connection: asyncio's {@code StreamReader}, with CPython's buffer and
 * flow-control rules. Bytes the transport delivers wait in a buffer; past twice the limit the
 * transport stops reading until a read takes the buffer back to the limit.
 *
 * <pre>{@code
 * for (AsyncIterator<byte[]> it = reader.lines(); await(it.hasNext()); ) {   // async for line in reader
 *     byte[] line = it.next();
 * }
 * }</pre>
 *
 * <p>For the loop's thread. One task reads at a time: a second read while one waits for data fails
 * with {@link IllegalStateException}, as CPython's {@code RuntimeError}.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods.
public final class StreamReader {
    private static final byte[] EMPTY = {};
    /** An emptied buffer larger than this is dropped rather than kept for the next bytes. */
    private static final int KEEP = 64 * 1024;

    private final EventLoop loop;
    private final int limit;
    private byte[] buf = EMPTY;
    private int head;
    private int tail;
    private boolean eof;
    private Future<Void> waiter;
    private Exception exception;
    private Transport transport;
    private boolean paused;

    /**
     * A reader with the given limit, fed by {@link #feedData} and {@link #feedEof()}; a connection
     * makes its own.
     *
     * @param loop  the loop it serves
     * @param limit the buffer limit, positive
     */
    public StreamReader(EventLoop loop, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
        this.loop = loop;
        this.limit = limit;
    }

    void setTransport(Transport transport) {
        this.transport = transport;
    }

    /**
     * The failure the stream ended with, if any.
     *
     * @return the failure, or null
     */
    public Exception exception() {
        return exception;
    }

    /**
     * Ends the stream with a failure: the waiting read and every later one throw it.
     *
     * @param e the failure
     */
    public void setException(Exception e) {
        exception = e;
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.isCancelled()) {
                w.setException(e);
            }
        }
    }

    private void wakeUpWaiter() {
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.isCancelled()) {
                w.setResult(null);
            }
        }
    }

    private void maybeResumeTransport() {
        if (paused && tail - head <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    /** Marks the end of the stream: reads return what is left, then nothing. */
    public void feedEof() {
        eof = true;
        wakeUpWaiter();
    }

    /**
     * Whether the stream ended and the buffer is empty.
     *
     * @return true at the end
     */
    public boolean atEof() {
        return eof && head == tail;
    }

    /**
     * Adds bytes to the buffer, pausing the transport past twice the limit.
     *
     * @param data the bytes between position and limit; the position moves to the limit
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(ByteBuffer data) {
        if (eof) {
            throw new IllegalStateException("feedData after feedEof");
        }
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        ensureRoom(n);
        data.get(buf, tail, n);
        tail += n;
        wakeUpWaiter();
        if (transport != null && !paused && tail - head > 2L * limit) {
            paused = true;
            transport.pauseReading();
        }
    }

    /**
     * Adds {@code data} to the buffer; see {@link #feedData(ByteBuffer)}.
     *
     * @param data the bytes
     */
    public void feedData(byte[] data) {
        feedData(ByteBuffer.wrap(data));
    }

    private void ensureRoom(int n) {
        int size = tail - head;
        if (buf.length - tail >= n) {
            return;
        }
        if (buf.length - size >= n && head > 0 && size <= buf.length / 2) {
            System.arraycopy(buf, head, buf, 0, size);
        } else {
            int want = Math.max(size + n, Math.max(buf.length * 2, 1024));
            byte[] bigger = new byte[want];
            System.arraycopy(buf, head, bigger, 0, size);
            buf = bigger;
        }
        head = 0;
        tail = size;
    }

    private byte[] take(int n) {
        byte[] r = Arrays.copyOfRange(buf, head, head + n);
        head += n;
        if (head == tail) {
            head = tail = 0;
            if (buf.length > KEEP) {
                buf = EMPTY;
            }
        }
        return r;
    }

    @Async
    private Coroutine<Void> waitForData(String what) throws IOException {
        if (waiter != null) {
            throw new IllegalStateException(what + "() called while another task is already waiting for incoming data");
        }
        // Waiting while paused would wait forever.
        if (paused) {
            paused = false;
            transport.resumeReading();
        }
        Future<Void> w = loop.createFuture();
        waiter = w;
        try {
            await(w);
        } finally {
            // Woken, this read may resume after another read has begun to wait: leave that wait be.
            if (waiter == w) {
                waiter = null;
            }
        }
        return done();
    }

    private void throwIfFailed() throws IOException {
        Exception e = exception;
        if (e != null) {
            throw Sneaky.raise(e);
        }
    }

    /**
     * Reads up to {@code n} bytes: what the buffer holds, waiting for data when it is empty;
     * {@code n = -1} reads until the end of the stream.
     *
     * @param n the most bytes to read, or -1
     * @return an awaitable of the bytes, empty at the end of the stream
     * @throws IOException when the connection failed
     */
    @Async
    public Coroutine<byte[]> read(int n) throws IOException {
        throwIfFailed();
        if (n == 0) {
            return result(EMPTY);
        }
        if (n < 0) {
            byte[] all = EMPTY;
            while (true) {
                byte[] block = await(read(limit));
                if (block.length == 0) {
                    break;
                }
                all = all.length == 0 ? block : concat(all, block);
            }
            return result(all);
        }
        if (head == tail && !eof) {
            await(waitForData("read"));
        }
        byte[] data = take(Math.min(n, tail - head));
        maybeResumeTransport();
        return result(data);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * @param n how many, not negative
     * @return an awaitable of the bytes
     * @throws IncompleteReadError when the stream ends first (with what was read)
     * @throws IOException         when the connection failed
     */
    @Async
    public Coroutine<byte[]> readExactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readExactly size can not be less than zero: " + n);
        }
        throwIfFailed();
        if (n == 0) {
            return result(EMPTY);
        }
        while (tail - head < n) {
            if (eof) {
                byte[] incomplete = take(tail - head);
                throw new IncompleteReadError(incomplete, n);
            }
            await(waitForData("readExactly"));
        }
        byte[] data = take(n);
        maybeResumeTransport();
        return result(data);
    }

    /**
     * Reads a line, {@code \n} included; at the end of the stream what is left, then an empty
     * array.
     *
     * @return an awaitable of the line
     * @throws LimitOverrunError when the line is longer than the limit: the line is dropped from the
     *                           buffer (up to and with its {@code \n} if it arrived, else the
     *                           whole buffer), as CPython
     * @throws IOException       when the connection failed
     */
    @Async
    public Coroutine<byte[]> readLine() throws IOException {
        try {
            return result(await(readUntilSep(NEWLINE, "readLine")));
        } catch (IncompleteReadError e) {
            return result(e.partial());
        } catch (LimitOverrunError e) {
            int c = e.consumed();
            if (tail - head > c && buf[head + c] == '\n') {
                take(c + 1);
            } else {
                head = tail = 0;
            }
            maybeResumeTransport();
            throw new LimitOverrunError(e.getMessage(), c);
        }
    }

    private static final byte[] NEWLINE = {'\n'};

    /**
     * Reads up to and with {@code separator}.
     *
     * @param separator what ends the chunk, at least one byte
     * @return an awaitable of the chunk, separator included
     * @throws IncompleteReadError when the stream ends first: the buffer is emptied into
     *                             {@link IncompleteReadError#partial()}
     * @throws LimitOverrunError   when the chunk is longer than the limit; the data stays in the
     *                             buffer
     * @throws IOException         when the connection failed
     */
    @Async
    public Coroutine<byte[]> readUntil(byte[] separator) throws IOException {
        return result(await(readUntilSep(separator, "readUntil")));
    }

    @Async
    private Coroutine<byte[]> readUntilSep(byte[] separator, String what) throws IOException {
        int seplen = separator.length;
        if (seplen == 0) {
            throw new IllegalArgumentException("separator should be at least one byte");
        }
        throwIfFailed();
        int offset = 0;
        int isep;
        while (true) {
            int buflen = tail - head;
            if (buflen - offset >= seplen) {
                isep = indexOf(separator, offset);
                if (isep != -1) {
                    break;
                }
                offset = buflen + 1 - seplen;
                if (offset > limit) {
                    throw new LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
                }
            }
            if (eof) {
                byte[] chunk = take(tail - head);
                throw new IncompleteReadError(chunk, -1);
            }
            await(waitForData(what));
        }
        if (isep > limit) {
            throw new LimitOverrunError("Separator is found, but chunk is longer than limit", isep);
        }
        byte[] chunk = take(isep + seplen);
        maybeResumeTransport();
        return result(chunk);
    }

    /** Where {@code sep} starts in the buffer at or after {@code from} (relative to head), or -1. */
    private int indexOf(byte[] sep, int from) {
        byte first = sep[0];
        int end = tail - sep.length;
        outer:
        for (int i = head + from; i <= end; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < sep.length; j++) {
                if (buf[i + j] != sep[j]) {
                    continue outer;
                }
            }
            return i - head;
        }
        return -1;
    }

    /**
     * The lines of the stream, {@code \n} included, until its end: Python's
     * {@code async for line in reader}. Closing the iterator ends it; the stream stays open.
     *
     * @return an iterator over the lines
     */
    public AsyncIterator<byte[]> lines() {
        return new Lines();
    }

    private final class Lines extends PullIterator<byte[]> {
        Lines() {
            super("line");
        }

        @Override
        protected Awaitable<byte[]> fetch() throws IOException {
            return readLine();
        }

        @Override
        protected boolean endsAt(byte[] line) {
            return line.length == 0;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StreamReader[");
        sb.append(tail - head).append(" bytes");
        if (eof) {
            sb.append(", eof");
        }
        if (limit != StreamOptions.DEFAULT_LIMIT) {
            sb.append(", limit=").append(limit);
        }
        if (waiter != null) {
            sb.append(", waiting");
        }
        if (exception != null) {
            sb.append(", exception=").append(exception);
        }
        if (paused) {
            sb.append(", paused");
        }
        return sb.append(']').toString();
    }
}
