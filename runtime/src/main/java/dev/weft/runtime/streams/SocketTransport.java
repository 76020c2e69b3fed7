package dev.weft.runtime.streams;

import dev.weft.runtime.EventLoop;
import dev.weft.runtime.kernel.Engine;
import dev.weft.runtime.kernel.IoCallback;
import dev.weft.runtime.kernel.LoopIo;
import dev.weft.runtime.kernel.Net;
import dev.weft.runtime.kernel.PollKey;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * The transport of a TCP or Unix-domain {@link SocketChannel} on the loop's poller: CPython's
 * {@code _SelectorSocketTransport}. One read per readiness into the loop's shared read buffer,
 * handed to the protocol; writes copied into pooled chunks and written together, with one
 * gathering write, after the callbacks of the iteration that made them (or at once past the
 * high-water mark), the rest when the channel is writable again.
 */
final class SocketTransport extends WriteFlow implements Transport {
    /** A single write larger than this is copied into a buffer of its own, not into chunks. */
    private static final int LARGE = LoopIo.CHUNK;
    private static final Engine ENGINE = Engine.get();

    // The flags, one byte: an idle connection is this object (its registration too) and the JDK's.
    /** {@link #start} ran: the protocol heard of the connection. */
    private static final int STARTED = 1;
    private static final int READ_PAUSED = 1 << 1;
    private static final int CLOSING = 1 << 2;
    private static final int EOF_WRITTEN = 1 << 3;
    private static final int EOF_READ = 1 << 4;
    /** The group flushes this transport before the loop polls. */
    private static final int FLUSH_QUEUED = 1 << 5;
    /** Bytes are left after a write: the rest waits for {@code OP_WRITE}. */
    private static final int WAITING_WRITABLE = 1 << 6;
    /** The channel is closed, whether or not the protocol heard of it. */
    private static final int LOST = 1 << 7;

    private final SocketAddress local;
    private final SocketAddress remote;
    private Protocol protocol;
    /** Flushes this transport with the others of its server, and hears that it was lost. */
    private final ConnectionGroup group;

    /**
     * What waits to be written: null for nothing, one {@code ByteBuffer}, or, past one, an
     * {@code ArrayDeque<ByteBuffer>}, oldest first. The last may take more bytes when it has room
     * (a pooled chunk: a buffer made for one write is full). An idle connection holds none of them.
     */
    private Object out;
    private long buffered;
    private byte flags;

    /**
     * A transport on {@code channel}, which takes over {@code key}, the channel's registration
     * with the loop, or registers it when it has none.
     */
    SocketTransport(EventLoop loop, SocketChannel channel, PollKey key, Protocol protocol, ConnectionGroup group)
            throws IOException {
        super(loop);
        this.local = channel.getLocalAddress();
        this.remote = channel.getRemoteAddress();
        this.protocol = protocol;
        this.group = group;
        takeOver(key != null ? key : io().register(channel, 0, UNREGISTERED));
        interestOps(0);
    }

    /** The callback of the registration a new transport takes over at once: it never runs. */
    private static final IoCallback UNREGISTERED = (k, ops) -> {
    };

    /** The channel, which the registration knows: one field fewer. */
    private SocketChannel socket() {
        return (SocketChannel) channel();
    }

    private LoopIo io() {
        return ENGINE.io(loop);
    }

    private boolean is(int flag) {
        return (flags & flag) != 0;
    }

    private void set(int flag) {
        flags |= (byte) flag;
    }

    private void clear(int flag) {
        flags &= (byte) ~flag;
    }

    /** Tells the protocol the connection is made and starts reading. */
    void start() {
        set(STARTED);
        try {
            protocol.connectionMade(this);
        } catch (RuntimeException e) {
            fatalError(e, "connectionMade");
            return;
        }
        updateInterest();
    }

    // ---------------------------------------------------------------- readiness

    @Override
    protected void ready(int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && is(WAITING_WRITABLE)) {
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && (flags & (CLOSING | READ_PAUSED | EOF_READ)) == 0) {
            read();
        }
    }

    private void read() {
        ByteBuffer b = io().readBuffer();
        b.clear();
        int n;
        try {
            n = socket().read(b);
        } catch (IOException e) {
            fatalError(e, "read");
            return;
        }
        if (n > 0) {
            b.flip();
            try {
                protocol.dataReceived(b);
            } catch (RuntimeException e) {
                fatalError(e, "dataReceived");
            }
        } else if (n < 0) {
            set(EOF_READ);
            updateInterest();
            boolean keepOpen;
            try {
                keepOpen = protocol.eofReceived();
            } catch (RuntimeException e) {
                fatalError(e, "eofReceived");
                return;
            }
            if (!keepOpen) {
                close();
            }
        }
    }

    private void updateInterest() {
        int f = flags;
        if ((f & LOST) != 0) {
            return;
        }
        int ops = ((f & (STARTED | CLOSING | READ_PAUSED | EOF_READ)) == STARTED ? SelectionKey.OP_READ : 0)
                | ((f & WAITING_WRITABLE) != 0 ? SelectionKey.OP_WRITE : 0);
        if (ops != interestOps()) {
            interestOps(ops);
        }
    }

    // ---------------------------------------------------------------- writing

    @Override
    public void write(ByteBuffer data) {
        if (is(EOF_WRITTEN)) {
            throw new IllegalStateException("write() after writeEof() on " + this);
        }
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        if (is(CLOSING)) {
            data.position(data.limit());
            return;
        }
        Object o = out;
        ByteBuffer t = o == null ? null : o instanceof ByteBuffer one ? one : queue().peekLast();
        if (t != null && t.capacity() - t.limit() >= n) {
            int at = t.limit();
            t.limit(at + n);
            t.put(at, data, data.position(), n);
            data.position(data.limit());
        } else if (n <= LARGE) {
            LoopIo io = io();
            t = io.takeChunk();
            if (t.capacity() < n) {
                io.giveChunk(t);
                t = ByteBuffer.allocate(n);
            }
            t.put(data).flip();
            queue(t);
        } else {
            t = ByteBuffer.allocate(n);
            t.put(data).flip();
            queue(t);
        }
        buffered += n;
        if (is(WAITING_WRITABLE)) {
            maybePauseProtocol();
        } else if (buffered > highWater()) {
            flush();
            maybePauseProtocol();
        } else if (!is(FLUSH_QUEUED)) {
            set(FLUSH_QUEUED);
            group.queueFlush(this);
        }
    }

    /** Queues {@code b} after what waits to be written. */
    private void queue(ByteBuffer b) {
        Object o = out;
        if (o == null) {
            out = b;
        } else if (o instanceof ByteBuffer one) {
            ArrayDeque<ByteBuffer> q = new ArrayDeque<>(4);
            q.addLast(one);
            q.addLast(b);
            out = q;
        } else {
            queue().addLast(b);
        }
    }

    private ArrayDeque<ByteBuffer> queue() {
        return queue(out);
    }

    @SuppressWarnings("unchecked")
    private static ArrayDeque<ByteBuffer> queue(Object o) {
        return (ArrayDeque<ByteBuffer>) o;
    }

    /** The flush its group runs before the loop polls. */
    void flushQueued() {
        clear(FLUSH_QUEUED);
        if (!is(WAITING_WRITABLE)) {
            flush();
        }
    }

    private void flush() {
        if (is(LOST) || buffered == 0) {
            return;
        }
        long written;
        Object o = out;
        try {
            if (o instanceof ByteBuffer one) {
                written = socket().write(one);
            } else {
                written = socket().write(queue().toArray(new ByteBuffer[0]));
            }
        } catch (IOException e) {
            fatalError(e, "write");
            return;
        }
        buffered -= written;
        LoopIo io = io();
        if (o instanceof ByteBuffer one) {
            if (!one.hasRemaining()) {
                out = null;
                io.giveChunk(one);
            }
        } else {
            ArrayDeque<ByteBuffer> q = queue();
            ByteBuffer head;
            while ((head = q.peekFirst()) != null && !head.hasRemaining()) {
                q.pollFirst();
                io.giveChunk(head);
            }
            if (q.isEmpty()) {
                out = null;
            }
        }
        if (buffered > 0) {
            set(WAITING_WRITABLE);
        } else {
            clear(WAITING_WRITABLE);
        }
        updateInterest();
        maybeResumeProtocol();
        if (buffered == 0) {
            if (is(CLOSING)) {
                connectionLostSoon(null);
            } else if (is(EOF_WRITTEN)) {
                shutdownOutput();
            }
        }
    }

    private void shutdownOutput() {
        try {
            socket().shutdownOutput();
        } catch (IOException e) {
            fatalError(e, "writeEof");
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public void writeEof() {
        if (is(CLOSING | EOF_WRITTEN)) {
            return;
        }
        set(EOF_WRITTEN);
        if (buffered == 0) {
            shutdownOutput();
        }
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        setWaterMarks(high, low);
        maybePauseProtocol();
        maybeResumeProtocol();
    }

    @Override
    public long getWriteBufferSize() {
        return buffered;
    }

    // ---------------------------------------------------------------- reading control

    @Override
    public void pauseReading() {
        if (is(CLOSING | READ_PAUSED)) {
            return;
        }
        set(READ_PAUSED);
        updateInterest();
    }

    @Override
    public void resumeReading() {
        if (is(CLOSING) || !is(READ_PAUSED)) {
            return;
        }
        clear(READ_PAUSED);
        updateInterest();
    }

    @Override
    public boolean isReading() {
        return !is(READ_PAUSED | CLOSING);
    }

    // ---------------------------------------------------------------- closing

    @Override
    public void close() {
        if (is(CLOSING)) {
            return;
        }
        set(CLOSING);
        updateInterest();
        if (buffered == 0) {
            connectionLostSoon(null);
        }
    }

    @Override
    public void abort() {
        forceClose(null);
    }

    @Override
    public boolean isClosing() {
        return is(CLOSING);
    }

    /** A failure of this connection: it is closed and the protocol hears of the failure. */
    private void fatalError(Exception e, String during) {
        if (e instanceof IOException io) {
            // Named, so that the await that sees it says which connection broke.
            forceClose(Net.naming(io, remote));
        } else {
            report("fatal error on transport during " + during, e);
            forceClose(e);
        }
    }

    private void forceClose(Exception failure) {
        if (is(LOST)) {
            return;
        }
        Object o = out;
        if (o != null) {
            out = null;
            LoopIo io = io();
            if (o instanceof ByteBuffer one) {
                io.giveChunk(one);
            } else {
                for (ByteBuffer b : queue(o)) {
                    io.giveChunk(b);
                }
            }
        }
        buffered = 0;
        clear(WAITING_WRITABLE);
        set(CLOSING);
        connectionLostSoon(failure);
    }

    private void connectionLostSoon(Exception failure) {
        if (is(LOST)) {
            return;
        }
        set(LOST);
        // The channel stops at once; the protocol hears of it on the next iteration, as in CPython.
        cancel();
        try {
            socket().close();
        } catch (IOException e) {
            report("closing " + socket() + " failed", e);
        }
        loop.callSoon(() -> callConnectionLost(failure));
    }

    private void callConnectionLost(Exception failure) {
        try {
            if (is(STARTED)) {
                protocol.connectionLost(failure);
            }
        } catch (RuntimeException e) {
            report("protocol.connectionLost() failed", e);
        } finally {
            // Called once: connectionLostSoon schedules it once.
            group.lost();
        }
    }

    // ---------------------------------------------------------------- the rest

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public Protocol protocol() {
        return protocol;
    }

    /**
     * Whether the connection is lost: the channel is closed, whether or not the protocol heard of it.
     *
     * @return true once lost
     */
    boolean isLost() {
        return is(LOST);
    }

    @Override
    public String toString() {
        return "SocketTransport[" + local + " -> " + remote + (is(LOST) ? ", closed" : is(CLOSING) ? ", closing" : "")
                + (buffered > 0 ? ", buffered=" + buffered : "") + "]";
    }
}
