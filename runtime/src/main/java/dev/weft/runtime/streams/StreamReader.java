package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Awaitable;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import dev.weft.runtime.kernel.Engine;
import dev.weft.runtime.kernel.PullIterator;
import dev.weft.runtime.kernel.Sneaky;
import dev.weft.runtime.kernel.Waiters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    private final EventLoop loop;
    private final int limit;
    private byte[] buf = EMPTY;
    private int head;
    private int tail;
    private Future<Void> waiter;
    private Transport transport;
    /** {@link #EOF}, {@link #PAUSED}, {@link #WRITING_PAUSED}, {@link #LOST}: one byte, not four booleans. */
    private byte flags;
    /** What an idle connection does not need, made when first needed: null for none. */
    private Extras extras;

    private static final int EOF = 1;
    /** The reader paused its transport: the buffer passed twice the limit. */
    private static final int PAUSED = 1 << 1;
    /** The transport paused the writer: its buffer passed the high-water mark. */
    private static final int WRITING_PAUSED = 1 << 2;
    /** The connection is lost (its protocol heard of it). */
    private static final int LOST = 1 << 3;

    /**
     * The reader's failure, and what its protocol and its writer need of a connection beside the
     * flags: the drain waiters, the waiters for the end, the failure it ended with. A connection's
     * reader holds them, so that the protocol and the writer are a reference to it each; an idle
     * connection has none of them, and a reader made on its own needs only the failure.
     */
    private static final class Extras {
        Exception exception;
        ArrayDeque<Future<Void>> drainWaiters;
        List<Future<Void>> closedWaiters;
        Exception lostWith;
    }

    private Extras extras() {
        Extras x = extras;
        if (x == null) {
            x = extras = new Extras();
        }
        return x;
    }

    private boolean is(int flag) {
        return (flags & flag) != 0;
    }

    private void set(int flag, boolean on) {
        flags = (byte) (on ? flags | flag : flags & ~flag);
    }

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

    Transport transport() {
        return transport;
    }

    EventLoop loop() {
        return loop;
    }

    // ---------------------------------------------------------------- the connection, for its protocol and writer

    /** The connection is lost: CPython's {@code StreamReaderProtocol.connection_lost}. */
    void connectionLost(Exception failure) {
        if (failure == null) {
            feedEof();
        } else {
            setException(failure);
        }
        set(LOST, true);
        Extras x = extras;
        if (failure != null) {
            extras().lostWith = failure;
        }
        if (x != null) {
            if (is(WRITING_PAUSED)) {
                Waiters.settle(x.drainWaiters, failure);
            }
            List<Future<Void>> closed = x.closedWaiters;
            x.closedWaiters = null;
            Waiters.settle(closed, failure);
        }
    }

    void pauseWriting() {
        set(WRITING_PAUSED, true);
    }

    void resumeWriting() {
        set(WRITING_PAUSED, false);
        Extras x = extras;
        if (x != null) {
            Waiters.settle(x.drainWaiters, null);
        }
    }

    boolean isLost() {
        return is(LOST);
    }

    Exception lostWith() {
        Extras x = extras;
        return x == null ? null : x.lostWith;
    }

    boolean isWritingPaused() {
        return is(WRITING_PAUSED);
    }

    Future<Void> drainWaiter() {
        Future<Void> w = loop.createFuture();
        Extras x = extras();
        if (x.drainWaiters == null) {
            x.drainWaiters = new ArrayDeque<>(2);
        }
        x.drainWaiters.addLast(w);
        return w;
    }

    void removeDrainWaiter(Future<Void> w) {
        extras.drainWaiters.remove(w);
    }

    /** A future of the connection's end, made only for a task that waits for it. */
    Future<Void> closedWaiter() {
        Future<Void> w = loop.createFuture();
        Extras x = extras();
        if (x.closedWaiters == null) {
            x.closedWaiters = new ArrayList<>(1);
        }
        x.closedWaiters.add(w);
        return w;
    }

    /**
     * The failure the stream ended with, if any.
     *
     * @return the failure, or null
     */
    public Exception exception() {
        Extras x = extras;
        return x == null ? null : x.exception;
    }

    /**
     * Ends the stream with a failure: the waiting read and every later one throw it.
     *
     * @param e the failure
     */
    public void setException(Exception e) {
        if (e != null || extras != null) {
            extras().exception = e;
        }
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
        if (is(PAUSED) && tail - head <= limit) {
            set(PAUSED, false);
            transport.resumeReading();
        }
    }

    /** Marks the end of the stream: reads return what is left, then nothing. */
    public void feedEof() {
        set(EOF, true);
        wakeUpWaiter();
    }

    /**
     * Whether the stream ended and the buffer is empty.
     *
     * @return true at the end
     */
    public boolean atEof() {
        return is(EOF) && head == tail;
    }

    /**
     * Adds bytes to the buffer, pausing the transport past twice the limit.
     *
     * @param data the bytes between position and limit; the position moves to the limit
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(ByteBuffer data) {
        if (is(EOF)) {
            throw new IllegalStateException("feedData after feedEof");
        }
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        if (head == tail) {
            // Into an empty buffer the bytes go in an array of their size, which a read of all of
            // them takes as it is: one copy from the transport to the reader's caller, not two.
            byte[] b = new byte[n];
            data.get(b, 0, n);
            buf = b;
            head = 0;
            tail = n;
        } else {
            ensureRoom(n);
            data.get(buf, tail, n);
            tail += n;
        }
        wakeUpWaiter();
        if (transport != null && !is(PAUSED) && tail - head > 2L * limit) {
            set(PAUSED, true);
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

    /**
     * Takes {@code n} bytes from the head of the buffer. The whole of an array made for what one
     * feed brought is handed over as it is; an emptied buffer is dropped, since the next bytes get
     * an array of their own: an idle reader holds no buffer.
     */
    private byte[] take(int n) {
        byte[] b = buf;
        if (head == 0 && n == b.length) {
            buf = EMPTY;
            tail = 0;
            return b;
        }
        byte[] r = Arrays.copyOfRange(b, head, head + n);
        head += n;
        if (head == tail) {
            head = tail = 0;
            buf = EMPTY;
        }
        return r;
    }

    private void throwIfFailed() throws IOException {
        Extras x = extras;
        Exception e = x == null ? null : x.exception;
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
    public Coroutine<byte[]> read(int n) throws IOException {
        return n < 0 ? readAll() : new weft$read(this, n);
    }

    @Async
    private Coroutine<byte[]> readAll() throws IOException {
        throwIfFailed();
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
    public Coroutine<byte[]> readExactly(int n) throws IOException {
        return new weft$readExactly(this, n);
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
    public Coroutine<byte[]> readLine() throws IOException {
        return new weft$readLine(this);
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
    public Coroutine<byte[]> readUntil(byte[] separator) throws IOException {
        return new weft$readUntil(this, separator);
    }

    /**
     * One read ({@code read}, {@code readExactly}, {@code readLine}, {@code readUntil}) as one
     * coroutine written by hand, where woven ones would nest three (the read, the separator search,
     * the wait for data): a read that waits holds this (32 bytes) and the waiter future, and
     * nothing else. The body runs when the read is awaited, as an {@code @Async} method's, and does
     * what CPython's does, step for step; a wait is CPython's {@code _wait_for_data}.
     */
    private abstract static class ReadOp extends Coroutine<byte[]> {
        final StreamReader reader;

        ReadOp(StreamReader reader) {
            this.reader = reader;
        }

        /** Whether the read has begun: it is resumed at a wait, not started. */
        abstract boolean begun();

        /** The read: its start, or its way on from a wait for data. */
        abstract Object step(boolean resumed) throws Throwable;

        @Override
        protected final Object resume(Object value, Throwable failure) throws Throwable {
            boolean resumed = begun();
            if (resumed && failure != null) {
                // A cancelled wait leaves its future as the reader's waiter, which CPython's finally
                // clears; one that was woken (by data, the end or a failure) left none, or another
                // read's, which is left be while it waits.
                Future<Void> w = reader.waiter;
                if (w != null && w.isCancelled()) {
                    reader.waiter = null;
                }
            }
            return step(resumed, failure);
        }

        /** The step, or the failure of the wait it resumes from; readLine turns some of them. */
        Object step(boolean resumed, Throwable failure) throws Throwable {
            if (failure != null) {
                throw failure;
            }
            return step(resumed);
        }

        /** Parks the task until data, the end of the stream or a failure comes: CPython's {@code _wait_for_data}. */
        final Object waitForData(String what) throws Throwable {
            StreamReader r = reader;
            if (r.waiter != null) {
                throw new IllegalStateException(what + "() called while another task is already waiting for incoming data");
            }
            // Waiting while paused would wait forever.
            if (r.is(PAUSED)) {
                r.set(PAUSED, false);
                r.transport.resumeReading();
            }
            Future<Void> w = r.loop.createFuture();
            r.waiter = w;
            try {
                return ENGINE.await(this, w);
            } catch (Throwable e) {
                // Not parked (a task of another loop, say): this read does not wait.
                if (r.waiter == w) {
                    r.waiter = null;
                }
                throw e;
            }
        }
    }

    /** {@code read(n)} for n of 0 or more, and {@code readExactly(n)}. */
    private abstract static class SizedRead extends ReadOp {
        private final int n;
        private boolean waited;

        SizedRead(StreamReader reader, int n) {
            super(reader);
            this.n = n;
        }

        abstract boolean exactly();

        @Override
        boolean begun() {
            return waited;
        }

        @Override
        Object step(boolean resumed) throws Throwable {
            StreamReader r = reader;
            int n = this.n;
            if (!exactly()) {
                if (!resumed) {
                    r.throwIfFailed();
                    if (n == 0) {
                        return EMPTY;
                    }
                    if (r.head == r.tail && !r.is(EOF)) {
                        waited = true;
                        return waitForData("read");
                    }
                }
                byte[] data = r.take(Math.min(n, r.tail - r.head));
                r.maybeResumeTransport();
                return data;
            }
            if (!resumed) {
                if (n < 0) {
                    throw new IllegalArgumentException("readExactly size can not be less than zero: " + n);
                }
                r.throwIfFailed();
                if (n == 0) {
                    return EMPTY;
                }
            }
            if (r.tail - r.head < n) {
                if (r.is(EOF)) {
                    byte[] incomplete = r.take(r.tail - r.head);
                    throw new IncompleteReadError(incomplete, n);
                }
                waited = true;
                return waitForData("readExactly");
            }
            byte[] data = r.take(n);
            r.maybeResumeTransport();
            return data;
        }

    }

    // The reads are named as the weaver names a state machine (Host$weft$method), so that task stacks
    // and async traces show them as the frames of StreamReader's methods they are, not as the
    // runtime's glue: one class a method, since a frame's stack element is made once a class.

    /** {@code read(n)}. */
    private static final class weft$read extends SizedRead {
        weft$read(StreamReader reader, int n) {
            super(reader, n);
        }

        @Override
        boolean exactly() {
            return false;
        }

        @Override
        protected String describe() {
            return "StreamReader.read";
        }
    }

    /** {@code readExactly(n)}. */
    private static final class weft$readExactly extends SizedRead {
        weft$readExactly(StreamReader reader, int n) {
            super(reader, n);
        }

        @Override
        boolean exactly() {
            return true;
        }

        @Override
        protected String describe() {
            return "StreamReader.readExactly";
        }
    }

    /** {@code readUntil(separator)}, and {@code readLine()}: the same with {@link #NEWLINE} (that array). */
    private abstract static class ReadUntil extends ReadOp {
        private final byte[] separator;
        /** Where the search for the separator goes on from; -1 before the read begins. */
        private int offset = -1;

        ReadUntil(StreamReader reader, byte[] separator) {
            super(reader);
            this.separator = separator;
        }

        @Override
        boolean begun() {
            return offset >= 0;
        }

        @Override
        Object step(boolean resumed, Throwable failure) throws Throwable {
            if (separator != NEWLINE) {
                return super.step(resumed, failure);
            }
            // readLine: readUntil with a newline, its two errors turned as CPython's readline does.
            try {
                return super.step(resumed, failure);
            } catch (IncompleteReadError e) {
                return e.partial();
            } catch (LimitOverrunError e) {
                StreamReader r = reader;
                int c = e.consumed();
                if (r.tail - r.head > c && r.buf[r.head + c] == '\n') {
                    r.take(c + 1);
                } else {
                    r.head = r.tail = 0;
                }
                r.maybeResumeTransport();
                throw new LimitOverrunError(e.getMessage(), c);
            }
        }

        @Override
        Object step(boolean resumed) throws Throwable {
            StreamReader r = reader;
            byte[] sep = separator;
            int seplen = sep.length;
            int offset = this.offset;
            if (!resumed) {
                if (seplen == 0) {
                    throw new IllegalArgumentException("separator should be at least one byte");
                }
                r.throwIfFailed();
                offset = 0;
            }
            int isep;
            while (true) {
                int buflen = r.tail - r.head;
                if (buflen - offset >= seplen) {
                    isep = r.indexOf(sep, offset);
                    if (isep != -1) {
                        break;
                    }
                    offset = buflen + 1 - seplen;
                    if (offset > r.limit) {
                        throw new LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
                    }
                }
                if (r.is(EOF)) {
                    byte[] chunk = r.take(r.tail - r.head);
                    throw new IncompleteReadError(chunk, -1);
                }
                this.offset = offset;
                return waitForData(sep == NEWLINE ? "readLine" : "readUntil");
            }
            if (isep > r.limit) {
                throw new LimitOverrunError("Separator is found, but chunk is longer than limit", isep);
            }
            byte[] chunk = r.take(isep + seplen);
            r.maybeResumeTransport();
            return chunk;
        }

    }

    /** {@code readUntil(separator)}. */
    private static final class weft$readUntil extends ReadUntil {
        weft$readUntil(StreamReader reader, byte[] separator) {
            super(reader, separator);
        }

        @Override
        protected String describe() {
            return "StreamReader.readUntil";
        }
    }

    /** {@code readLine()}. */
    private static final class weft$readLine extends ReadUntil {
        weft$readLine(StreamReader reader) {
            super(reader, NEWLINE);
        }

        @Override
        protected String describe() {
            return "StreamReader.readLine";
        }
    }

    private static final Engine ENGINE = Engine.get();

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
        if (is(EOF)) {
            sb.append(", eof");
        }
        if (limit != StreamOptions.DEFAULT_LIMIT) {
            sb.append(", limit=").append(limit);
        }
        if (waiter != null) {
            sb.append(", waiting");
        }
        Exception e = exception();
        if (e != null) {
            sb.append(", exception=").append(e);
        }
        if (is(PAUSED)) {
            sb.append(", paused");
        }
        return sb.append(']').toString();
    }
}
