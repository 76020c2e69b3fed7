package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.openConnection;
import static dev.weft.runtime.Aio.startServer;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.streams.Connection;
import dev.weft.runtime.streams.Server;
import dev.weft.runtime.streams.StreamReader;
import dev.weft.runtime.streams.StreamWriter;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The asyncio documentation's TCP echo server and client ("TCP echo server using streams"), in one
 * program: the server listens on 127.0.0.1 at a free port, the client sends one message and
 * prints the answer, then the server closes.
 */
public final class EchoServer {
    private EchoServer() {
    }

    // tag::echo-server[]
    /** Reads one message, sends it back, closes: the docs' {@code handle_echo}. */
    @Async
    static Coroutine<Void> handleEcho(StreamReader reader, StreamWriter writer) throws IOException {
        byte[] data = await(reader.read(100));
        String message = new String(data, UTF_8);
        InetSocketAddress addr = (InetSocketAddress) writer.remoteAddress();
        System.out.println("Received '" + message + "' from " + (addr.getAddress().isLoopbackAddress() ? "loopback" : addr));

        System.out.println("Send: '" + message + "'");
        writer.write(data);
        await(writer.drain());

        System.out.println("Close the connection");
        writer.close();
        await(writer.waitClosed());
        return done();
    }
    // end::echo-server[]

    // tag::echo-client[]
    /** Sends {@code message} and prints what comes back: the docs' {@code tcp_echo_client}. */
    @Async
    static Coroutine<Void> tcpEchoClient(String message, int port) throws IOException {
        try (Connection conn = await(openConnection("127.0.0.1", port))) {
            System.out.println("Send: '" + message + "'");
            conn.writer().write(message.getBytes(UTF_8));
            await(conn.writer().drain());

            byte[] data = await(conn.reader().read(100));
            System.out.println("Received: '" + new String(data, UTF_8) + "'");

            System.out.println("Close the connection");
        }
        return done();
    }
    // end::echo-client[]

    /**
     * Starts the server, runs the client against it once, closes the server.
     *
     * @return the coroutine
     * @throws IOException when the server cannot listen
     */
    @Async
    public static Coroutine<Void> main() throws IOException {
        try (Server server = await(startServer(EchoServer::handleEcho, "127.0.0.1", 0))) {
            System.out.println("Serving on 127.0.0.1 (a free port)");
            await(tcpEchoClient("Hello World!", server.localAddress().getPort()));
            server.close();
            await(server.waitClosed());
        }
        return done();
    }
}
