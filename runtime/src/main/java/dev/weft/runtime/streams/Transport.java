package dev.weft.runtime.streams;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * asyncio's {@code Transport}: one connection, driven by the loop. Writes never block: they are
 * buffered, and the bytes written in one turn of the loop go out together after its callbacks
 * (one system call for a burst of answers). Past the high-water mark the protocol's
 * {@link Protocol#pauseWriting()} is called, and {@link Protocol#resumeWriting()} once the buffer
 * is back at the low-water mark.
 *
 * <p>For the loop's thread.
 */
public interface Transport {
    /**
     * Queues the bytes between the buffer's position and limit (copied; the buffer's position
     * moves to its limit). Ignored once the transport is closing, as CPython.
     *
     * @param data the bytes
     * @throws IllegalStateException after {@link #writeEof()}
     */
    void write(ByteBuffer data);

    /**
     * Queues {@code data} (copied).
     *
     * @param data the bytes
     * @throws IllegalStateException after {@link #writeEof()}
     */
    default void write(byte[] data) {
        write(ByteBuffer.wrap(data));
    }

    /**
     * Whether {@link #writeEof()} is possible: true over TCP and Unix sockets, false over TLS.
     *
     * @return whether a half-close is possible
     */
    boolean canWriteEof();

    /** Closes the writing side once the buffered bytes are out; reading goes on. */
    void writeEof();

    /**
     * Closes the transport once the buffered bytes are out; nothing more is read. The protocol's
     * {@link Protocol#connectionLost} follows, with null.
     */
    void close();

    /** Closes the transport at once, dropping the buffered bytes. */
    void abort();

    /**
     * Whether the transport is closing or closed.
     *
     * @return true after {@link #close()}, {@link #abort()} or a failure
     */
    boolean isClosing();

    /** Stops reading until {@link #resumeReading()}; the peer's sends then wait in the kernel. */
    void pauseReading();

    /** Reads again after {@link #pauseReading()}. */
    void resumeReading();

    /**
     * Whether the transport reads.
     *
     * @return false while paused or closing
     */
    boolean isReading();

    /**
     * Sets the write buffer's high- and low-water marks (64 KiB and 16 KiB by default).
     *
     * @param high the size past which writing is paused
     * @param low  the size at which it resumes, at most {@code high}
     * @throws IllegalArgumentException when {@code low} is negative or above {@code high}
     */
    void setWriteBufferLimits(int high, int low);

    /**
     * How many written bytes are not out yet.
     *
     * @return the buffered byte count
     */
    long getWriteBufferSize();

    /**
     * The local address.
     *
     * @return the address, or null once closed
     */
    SocketAddress localAddress();

    /**
     * The peer's address.
     *
     * @return the address, or null once closed
     */
    SocketAddress remoteAddress();

    /**
     * The protocol this transport calls.
     *
     * @return the protocol
     */
    Protocol protocol();
}
