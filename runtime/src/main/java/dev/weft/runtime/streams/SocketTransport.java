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
final class SocketTransport extends WriteFlow implements Transport, IoCallback {
    /** A single write larger than this is copied into a buffer of its own, not into chunks. */
    private static final int LARGE = LoopIo.CHUNK;

    private final LoopIo io;
    private final SocketChannel channel;
    private final PollKey key;
    private final SocketAddress local;
    private final SocketAddress remote;
    private Protocol protocol;
    /** Runs once when the connection is lost, after the protocol heard of it: a server's count. */
    private Runnable onLost;

    /** What waits to be written, oldest first; the last may take more bytes. */
    private ArrayDeque<ByteBuffer> out;
    private ByteBuffer tail;
    private long buffered;
    private int interest;

    private boolean started;
    private boolean readPaused;
    private boolean closing;
    private boolean eofWritten;
    private boolean eofRead;
    private boolean flushQueued;
    /** Bytes are left after a write: the rest waits for {@code OP_WRITE}. */
    private boolean waitingWritable;
    private boolean lost;
    private final Runnable flusher = this::flushQueued;

    SocketTransport(EventLoop loop, SocketChannel channel, PollKey key, Protocol protocol) throws IOException {
        super(loop);
        this.io = Engine.get().io(loop);
        this.channel = channel;
        this.local = channel.getLocalAddress();
        this.remote = channel.getRemoteAddress();
        this.protocol = protocol;
        if (key == null) {
            key = io.register(channel, 0, this);
        } else {
            key.callback(this);
            key.interestOps(0);
        }
        this.key = key;
    }

    /** Tells the protocol the connection is made and starts reading. */
    void start(Runnable onLost) {
        this.onLost = onLost;
        started = true;
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
    public void ready(PollKey k, int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && waitingWritable) {
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && !closing && !readPaused && !eofRead) {
            read();
        }
    }

    private void read() {
        ByteBuffer b = io.readBuffer();
        b.clear();
        int n;
        try {
            n = channel.read(b);
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
            eofRead = true;
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
        if (lost) {
            return;
        }
        int ops = (started && !closing && !readPaused && !eofRead ? SelectionKey.OP_READ : 0)
                | (waitingWritable ? SelectionKey.OP_WRITE : 0);
        if (ops != interest) {
            interest = ops;
            key.interestOps(ops);
        }
    }

    // ---------------------------------------------------------------- writing

    @Override
    public void write(ByteBuffer data) {
        if (eofWritten) {
            throw new IllegalStateException("write() after writeEof() on " + this);
        }
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        if (closing) {
            data.position(data.limit());
            return;
        }
        if (out == null) {
            out = new ArrayDeque<>(4);
        }
        ByteBuffer t = tail;
        if (t != null && t.capacity() - t.limit() >= n) {
            int at = t.limit();
            t.limit(at + n);
            t.put(at, data, data.position(), n);
            data.position(data.limit());
        } else if (n <= LARGE) {
            t = io.takeChunk();
            if (t.capacity() < n) {
                io.giveChunk(t);
                t = ByteBuffer.allocate(n);
            }
            t.put(data).flip();
            out.addLast(t);
            tail = t;
        } else {
            t = ByteBuffer.allocate(n);
            t.put(data).flip();
            out.addLast(t);
            tail = null;
        }
        buffered += n;
        if (waitingWritable) {
            maybePauseProtocol();
        } else if (buffered > highWater()) {
            flush();
            maybePauseProtocol();
        } else if (!flushQueued) {
            flushQueued = true;
            io.beforePoll(flusher);
        }
    }

    private void flushQueued() {
        flushQueued = false;
        if (!waitingWritable) {
            flush();
        }
    }

    private void flush() {
        if (lost || buffered == 0) {
            return;
        }
        long written;
        try {
            if (out.size() == 1) {
                written = channel.write(out.peekFirst());
            } else {
                written = channel.write(out.toArray(new ByteBuffer[0]));
            }
        } catch (IOException e) {
            fatalError(e, "write");
            return;
        }
        buffered -= written;
        ByteBuffer head;
        while ((head = out.peekFirst()) != null && !head.hasRemaining()) {
            out.pollFirst();
            if (head == tail) {
                tail = null;
            }
            io.giveChunk(head);
        }
        waitingWritable = buffered > 0;
        updateInterest();
        maybeResumeProtocol();
        if (buffered == 0) {
            if (closing) {
                connectionLostSoon(null);
            } else if (eofWritten) {
                shutdownOutput();
            }
        }
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
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
        if (closing || eofWritten) {
            return;
        }
        eofWritten = true;
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
        if (closing || readPaused) {
            return;
        }
        readPaused = true;
        updateInterest();
    }

    @Override
    public void resumeReading() {
        if (closing || !readPaused) {
            return;
        }
        readPaused = false;
        updateInterest();
    }

    @Override
    public boolean isReading() {
        return !readPaused && !closing;
    }

    // ---------------------------------------------------------------- closing

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
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
        return closing;
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
        if (lost) {
            return;
        }
        if (out != null) {
            for (ByteBuffer b : out) {
                io.giveChunk(b);
            }
            out.clear();
            tail = null;
        }
        buffered = 0;
        waitingWritable = false;
        closing = true;
        connectionLostSoon(failure);
    }

    private void connectionLostSoon(Exception failure) {
        if (lost) {
            return;
        }
        lost = true;
        // The channel stops at once; the protocol hears of it on the next iteration, as in CPython.
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            report("closing " + channel + " failed", e);
        }
        loop.callSoon(() -> callConnectionLost(failure));
    }

    private void callConnectionLost(Exception failure) {
        try {
            if (started) {
                protocol.connectionLost(failure);
            }
        } catch (RuntimeException e) {
            report("protocol.connectionLost() failed", e);
        } finally {
            if (onLost != null) {
                Runnable r = onLost;
                onLost = null;
                r.run();
            }
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
        return lost;
    }

    @Override
    public String toString() {
        return "SocketTransport[" + local + " -> " + remote + (lost ? ", closed" : closing ? ", closing" : "")
                + (buffered > 0 ? ", buffered=" + buffered : "") + "]";
    }
}
