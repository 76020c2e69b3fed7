package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The stream-level entry points behind {@link dev.weft.runtime.Aio#openConnection},
 * {@link dev.weft.runtime.Aio#startServer} and their Unix-socket forms; call those.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods.
public final class Streams {
    private Streams() {
    }

    /**
     * See {@link dev.weft.runtime.Aio#openConnection(String, int, StreamOptions)}.
     *
     * @param host    a name or a literal address
     * @param port    the port
     * @param options the options
     * @return an awaitable of the connection
     * @throws IOException the JDK's failure, unwrapped at the await
     */
    @Async
    public static Coroutine<Connection> openConnection(String host, int port, StreamOptions options)
            throws IOException {
        Objects.requireNonNull(options, "options");
        Transports.checkPort(port);
        EventLoop loop = getRunningLoop();
        SocketChannel ch = await(Transports.connectTcp(loop, host, port));
        StreamProtocol p = new StreamProtocol(loop, options.limit());
        await(Transports.handshaken(Transports.attach(loop, ch, p, options, false, host, null)));
        return result(new Connection(p.reader(), p.writer()));
    }

    /**
     * See {@link dev.weft.runtime.Aio#openUnixConnection(Path, StreamOptions)}.
     *
     * @param path    the socket's path
     * @param options the options
     * @return an awaitable of the connection
     * @throws IOException the JDK's failure, unwrapped at the await
     */
    @Async
    public static Coroutine<Connection> openUnixConnection(Path path, StreamOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        EventLoop loop = getRunningLoop();
        SocketChannel ch = await(Transports.connectUnixChannel(loop, path));
        StreamProtocol p = new StreamProtocol(loop, options.limit());
        await(Transports.handshaken(Transports.attach(loop, ch, p, options, false, null, null)));
        return result(new Connection(p.reader(), p.writer()));
    }

    /**
     * See {@link dev.weft.runtime.Aio#startServer(ConnectionHandler, String, int, StreamOptions)}.
     *
     * @param handler what serves a connection
     * @param host    a name, a literal address, or null for every interface
     * @param port    the port, 0 for any
     * @param options the options
     * @return an awaitable of the server
     * @throws IOException the JDK's failure, unwrapped at the await
     */
    public static Coroutine<Server> startServer(ConnectionHandler handler, String host, int port,
            StreamOptions options) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        EventLoop loop = getRunningLoop();
        int limit = options.limit();
        ConnectionHandler served = ServedStreamProtocol.traced(loop, handler);
        return Server.create(() -> new ServedStreamProtocol(loop, limit, served), host, port, options);
    }

    /**
     * See {@link dev.weft.runtime.Aio#startUnixServer(ConnectionHandler, Path, StreamOptions)}.
     *
     * @param handler what serves a connection
     * @param path    the socket's path
     * @param options the options
     * @return an awaitable of the server
     * @throws IOException the JDK's failure, unwrapped at the await
     */
    public static Coroutine<Server> startUnixServer(ConnectionHandler handler, Path path, StreamOptions options)
            throws IOException {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        EventLoop loop = getRunningLoop();
        int limit = options.limit();
        ConnectionHandler served = ServedStreamProtocol.traced(loop, handler);
        return Server.createUnix(() -> new ServedStreamProtocol(loop, limit, served), path, options);
    }
}
