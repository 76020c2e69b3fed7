package dev.weft.benchmarks.net;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.startServer;
import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.streams.ConnectionHandler;
import dev.weft.runtime.streams.IncompleteReadError;
import dev.weft.runtime.streams.Protocol;
import dev.weft.runtime.streams.Server;
import dev.weft.runtime.streams.StreamOptions;
import dev.weft.runtime.streams.StreamReader;
import dev.weft.runtime.streams.StreamWriter;
import dev.weft.runtime.streams.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Weft's servers in the network sitting ({@code benchmarks/compare-net.sh}), on one loop thread,
 * bound to 127.0.0.1, serving until the process is killed. Twice each: through the streams
 * ({@code startServer} with a handler on {@code StreamReader}/{@code StreamWriter}), and through a
 * {@link Protocol} ({@code EventLoop.createServer}) that parses the loop's read buffer in place.
 *
 * <p>Usage: {@code WeftNetServer http|echo streams|protocol PORT}; prints {@code READY} once it
 * listens.
 */
public final class WeftNetServer {
    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(US_ASCII);
    private static final int ECHO_READ = 64 * 1024;
    /** Every peer listens with a backlog of 4,096 (Netty's default here), so that 256 connects at once are not dropped. */
    private static final StreamOptions OPTIONS = StreamOptions.defaults().backlog(4096);

    private WeftNetServer() {
    }

    /**
     * HTTP through the streams: the sample {@code HelloHttp.serve}, line for line (the samples
     * module is not a dependency of the benchmarks, and its handler is package-private).
     */
    @Async
    static Coroutine<Void> httpStreams(StreamReader reader, StreamWriter writer) throws IOException {
        try {
            while (true) {
                await(reader.readUntil(HEAD_END));
                writer.write(HeadScanner.RESPONSE);
                await(writer.drain());
            }
        } catch (IncompleteReadError end) {
            // The client closed the connection between requests.
        } finally {
            writer.close();
        }
        return done();
    }

    /** Echo through the streams: what one read returns is written back. */
    @Async
    static Coroutine<Void> echoStreams(StreamReader reader, StreamWriter writer) throws IOException {
        try {
            while (true) {
                byte[] data = await(reader.read(ECHO_READ));
                if (data.length == 0) {
                    break;
                }
                writer.write(data);
                await(writer.drain());
            }
        } finally {
            writer.close();
        }
        return done();
    }

    /** HTTP through a protocol: counts the heads in each read and queues one answer per head. */
    static final class HttpProtocol implements Protocol {
        private final HeadScanner scanner = new HeadScanner();
        private final ByteBuffer response = ByteBuffer.wrap(HeadScanner.RESPONSE);
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            for (int n = scanner.count(data); n > 0; n--) {
                // The transport copies the bytes and writes what one turn queued in one system call.
                response.clear();
                transport.write(response);
            }
            data.position(data.limit());
        }
    }

    /** Echo through a protocol: the read buffer goes straight back (the transport copies it). */
    static final class EchoProtocol implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    @Async
    static Coroutine<Void> serveStreams(ConnectionHandler handler, int port) throws IOException {
        try (Server server = await(startServer(handler, "127.0.0.1", port, OPTIONS))) {
            ready(server);
            await(server.serveForever());
        }
        return done();
    }

    @Async
    static Coroutine<Void> serveProtocol(Supplier<? extends Protocol> factory, int port) throws IOException {
        try (Server server = await(getRunningLoop().createServer(factory, "127.0.0.1", port, OPTIONS))) {
            ready(server);
            await(server.serveForever());
        }
        return done();
    }

    private static void ready(Server server) {
        System.out.println("READY " + server.localAddress());
        System.out.flush();
    }

    /**
     * Serves until killed.
     *
     * @param args the workload ({@code http} or {@code echo}), the API ({@code streams} or
     *             {@code protocol}) and the port
     * @throws IOException when the server cannot listen
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: WeftNetServer http|echo streams|protocol PORT");
        }
        boolean http = switch (args[0]) {
            case "http" -> true;
            case "echo" -> false;
            default -> throw new IllegalArgumentException("workload must be http or echo, not " + args[0]);
        };
        int port = Integer.parseInt(args[2]);
        switch (args[1]) {
            case "streams" -> Aio.run(serveStreams(http ? WeftNetServer::httpStreams : WeftNetServer::echoStreams, port));
            case "protocol" -> Aio.run(serveProtocol(http ? HttpProtocol::new : EchoProtocol::new, port));
            default -> throw new IllegalArgumentException("API must be streams or protocol, not " + args[1]);
        }
    }
}
