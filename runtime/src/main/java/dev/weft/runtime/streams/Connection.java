package dev.weft.runtime.streams;

import dev.weft.runtime.AsyncCloseable;
import dev.weft.runtime.Awaitable;

/**
 * A client connection as a pair of streams, what {@link dev.weft.runtime.Aio#openConnection} gives:
 * asyncio's {@code (reader, writer)} tuple, closeable with try-with-resources.
 *
 * <pre>{@code
 * try (Connection c = await(openConnection("127.0.0.1", 8888))) {
 *     c.writer().write("Hello\n".getBytes(UTF_8));
 *     byte[] answer = await(c.reader().readLine());
 * }   // inside @Async code: closes the writer and waits until closed
 * }</pre>
 */
public final class Connection implements AsyncCloseable {
    private final StreamReader reader;
    private final StreamWriter writer;

    Connection(StreamReader reader, StreamWriter writer) {
        this.reader = reader;
        this.writer = writer;
    }

    /**
     * What the peer sends.
     *
     * @return the reader
     */
    public StreamReader reader() {
        return reader;
    }

    /**
     * What goes to the peer.
     *
     * @return the writer
     */
    public StreamWriter writer() {
        return writer;
    }

    /**
     * Closes the writer and waits until the connection is closed; see {@link StreamWriter#aclose()}.
     *
     * @return an awaitable of the close
     */
    @Override
    public Awaitable<Void> aclose() {
        return writer.aclose();
    }

    /** Starts closing the connection without waiting, as Python's {@code writer.close()}. */
    @Override
    public void close() {
        writer.close();
    }

    @Override
    public String toString() {
        return "Connection[" + writer.transport() + "]";
    }
}
