package dev.weft.runtime.streams;

import java.nio.ByteBuffer;

/**
 * asyncio's {@code Protocol}: callbacks a {@link Transport} calls on the loop's thread, the layer
 * under the streams for code that wants no copy per read. Every method has an empty default.
 *
 * <p>The order is CPython's: {@link #connectionMade} once; then {@link #dataReceived} any number of
 * times, and {@link #eofReceived} at most once; then {@link #connectionLost} once, after which
 * nothing is called. {@link #pauseWriting()} and {@link #resumeWriting()} alternate as the
 * transport's write buffer crosses its high- and low-water marks.
 */
public interface Protocol {
    /**
     * The connection is up.
     *
     * @param transport the transport, kept to write and close
     */
    default void connectionMade(Transport transport) {
    }

    /**
     * Bytes arrived. The buffer is the loop's and is reused after this returns: consume or copy
     * what it holds between its position and limit.
     *
     * @param data the bytes
     */
    default void dataReceived(ByteBuffer data) {
    }

    /**
     * The peer closed its side (half-close). Return true to keep the connection open for
     * writing; false (the default) closes the transport.
     *
     * @return whether to keep the connection open
     */
    default boolean eofReceived() {
        return false;
    }

    /**
     * The connection is closed.
     *
     * @param failure the reason, or null for a normal close or end of stream
     */
    default void connectionLost(Exception failure) {
    }

    /** The transport's write buffer went over its high-water mark: stop writing for now. */
    default void pauseWriting() {
    }

    /** The transport's write buffer drained to its low-water mark: writing may go on. */
    default void resumeWriting() {
    }
}
