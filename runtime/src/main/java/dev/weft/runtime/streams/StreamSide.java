package dev.weft.runtime.streams;

import java.nio.ByteBuffer;

/**
 * What the two protocols under a stream pair share, CPython's {@code StreamReaderProtocol} with its
 * {@code FlowControlMixin}: each feeds its reader, which also keeps the writer's drain waiters and
 * the connection's end. {@link StreamProtocol} serves a client's connection and the pipes,
 * {@link ServedStreamProtocol} a server's, where it also runs the handler's task.
 */
interface StreamSide extends Protocol {
    /**
     * The reader of the connection, which holds its state.
     *
     * @return the reader
     */
    StreamReader reader();

    @Override
    default void dataReceived(ByteBuffer data) {
        reader().feedData(data);
    }

    @Override
    default boolean eofReceived() {
        StreamReader r = reader();
        r.feedEof();
        // Over TLS the end of the stream closes the connection: TLS has no half-close.
        return !(r.transport() instanceof SslTransport);
    }

    @Override
    default void connectionLost(Exception failure) {
        reader().connectionLost(failure);
    }

    @Override
    default void pauseWriting() {
        reader().pauseWriting();
    }

    @Override
    default void resumeWriting() {
        reader().resumeWriting();
    }
}
