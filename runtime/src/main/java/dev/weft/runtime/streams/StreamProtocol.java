package dev.weft.runtime.streams;

import dev.weft.runtime.EventLoop;

/**
 * The protocol under a client's stream pair (and a pipe's): see {@link StreamSide}. A server's
 * connections have {@link ServedStreamProtocol}, which starts the handler's task too.
 */
final class StreamProtocol implements StreamSide {
    private final StreamReader reader;

    StreamProtocol(EventLoop loop, int limit) {
        this.reader = new StreamReader(loop, limit);
    }

    @Override
    public StreamReader reader() {
        return reader;
    }

    /**
     * The connection's writer, made by this call: call it once, after {@link #connectionMade}.
     *
     * @return the writer
     */
    StreamWriter writer() {
        return new StreamWriter(reader);
    }

    @Override
    public void connectionMade(Transport t) {
        reader.setTransport(t);
    }

    @Override
    public String toString() {
        return "StreamProtocol[" + reader.transport() + "]";
    }
}
