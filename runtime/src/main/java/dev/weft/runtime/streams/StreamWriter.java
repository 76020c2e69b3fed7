package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.AsyncCloseable;
import dev.weft.runtime.Awaitable;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;
import dev.weft.runtime.kernel.Sneaky;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The writing side of a connection: asyncio's {@code StreamWriter}. {@link #write(byte[])} never
 * waits (the bytes are copied into the transport's buffer); {@link #drain()} is where a writer
 * waits for a slow peer, returning at once below the high-water mark (64 KiB) and otherwise once
 * the buffer is down to the low-water mark (16 KiB).
 *
 * <pre>{@code
 * writer.write(answer);
 * await(writer.drain());
 * }</pre>
 *
 * <p>After {@link #close()}, writes are ignored and {@link #drain()} fails, as in CPython. For the
 * loop's thread.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods.
public final class StreamWriter implements AsyncCloseable {
    /** The connection's reader, which holds the connection's state: its transport, drain waiters and end. */
    private final StreamReader reader;

    StreamWriter(StreamReader reader) {
        this.reader = reader;
    }

    /**
     * The transport underneath.
     *
     * @return the transport
     */
    public Transport transport() {
        return reader.transport();
    }

    /**
     * Queues {@code data} for writing (copied).
     *
     * @param data the bytes
     */
    public void write(byte[] data) {
        reader.transport().write(ByteBuffer.wrap(data));
    }

    /**
     * Queues each of {@code lines} (copied), in order.
     *
     * @param lines the byte arrays
     */
    public void writeLines(List<byte[]> lines) {
        Transport transport = reader.transport();
        for (byte[] line : lines) {
            transport.write(ByteBuffer.wrap(line));
        }
    }

    /**
     * Waits until the write buffer is below the high-water mark: at once when it is, else until it
     * drains to the low-water mark. Fails when the connection was lost or closed.
     *
     * @return an awaitable of the drain
     * @throws IOException when the connection failed, with that failure; a
     *                     {@link SocketException} when it was closed
     */
    @Async
    public Coroutine<Void> drain() throws IOException {
        StreamReader r = reader;
        Exception e = r.exception();
        if (e != null) {
            throw Sneaky.raise(e);
        }
        Transport transport = r.transport();
        if (transport.isClosing()) {
            // Let the connection's end reach the protocol first, as CPython does.
            await(sleep(0));
            throw new SocketException((r.isLost() ? "Connection lost" : "Connection closing") + ": "
                    + transport.remoteAddress());
        }
        if (r.isLost()) {
            throw new SocketException("Connection lost: " + transport.remoteAddress());
        }
        if (r.isWritingPaused()) {
            Future<Void> w = r.drainWaiter();
            try {
                await(w);
            } finally {
                r.removeDrainWaiter(w);
            }
        }
        return done();
    }

    /**
     * Whether {@link #writeEof()} is possible: false over TLS.
     *
     * @return whether a half-close is possible
     */
    public boolean canWriteEof() {
        return reader.transport().canWriteEof();
    }

    /** Closes the writing side once the buffered bytes are out (half-close); reading goes on. */
    public void writeEof() {
        reader.transport().writeEof();
    }

    /** Starts closing the connection, after the buffered bytes; {@link #waitClosed()} waits for it. */
    @Override
    public void close() {
        reader.transport().close();
    }

    /**
     * Whether the connection is closing or closed.
     *
     * @return true once closing
     */
    public boolean isClosing() {
        return reader.transport().isClosing();
    }

    /**
     * Waits until the connection is closed.
     *
     * @return an awaitable of the close
     * @throws IOException when the connection ended with a failure, that failure
     */
    @Async
    public Coroutine<Void> waitClosed() throws IOException {
        if (!reader.isLost()) {
            await(reader.closedWaiter());
        } else if (reader.lostWith() != null) {
            throw Sneaky.raise(reader.lostWith());
        }
        return done();
    }

    /**
     * {@link #close()}, then waits until the connection is closed; a connection that had failed
     * closes without throwing its failure again (the reads and drains saw it).
     *
     * @return an awaitable of the close
     */
    @Override
    public Awaitable<Void> aclose() {
        return closeAndWait();
    }

    @Async
    private Coroutine<Void> closeAndWait() {
        // Not close(): inside @Async code that would be woven as an await of aclose(), this method.
        reader.transport().close();
        if (!reader.isLost()) {
            try {
                await(reader.closedWaiter());
            } catch (Exception alreadySeen) {
                // The connection's failure reached the reads and drains; closing it succeeds.
            }
        }
        return done();
    }

    /**
     * The peer's address.
     *
     * @return an {@code InetSocketAddress} over TCP, a {@code UnixDomainSocketAddress} over a Unix socket
     */
    public SocketAddress remoteAddress() {
        return reader.transport().remoteAddress();
    }

    /**
     * The local address.
     *
     * @return the address
     */
    public SocketAddress localAddress() {
        return reader.transport().localAddress();
    }

    @Override
    public String toString() {
        return "StreamWriter[" + reader.transport() + ", reader=" + reader + ", " + reader.loop() + "]";
    }
}
