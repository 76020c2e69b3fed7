package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.openConnection;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.startServer;
import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.streams.Connection;
import dev.weft.runtime.streams.IncompleteReadError;
import dev.weft.runtime.streams.Server;
import dev.weft.runtime.streams.StreamReader;
import dev.weft.runtime.streams.StreamWriter;
import java.io.IOException;

/**
 * A minimal HTTP/1.1 server on streams: keep-alive, pipelining, {@code Hello, World!} for every
 * request. The parsing is the least that serves well-formed requests without bodies (the request
 * head up to its blank line), the same on every peer of the benchmark sitting. Run as a sample it
 * answers three requests of its own client, pipelined on one connection; with a port argument it
 * serves until stopped, for {@code wrk}.
 */
public final class HelloHttp {
    private HelloHttp() {
    }

    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(US_ASCII);
    // tag::hello-http[]
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 13\r\n"
            + "\r\n"
            + "Hello, World!").getBytes(US_ASCII);

    /** Answers every request on one connection until the client closes it. */
    @Async
    static Coroutine<Void> serve(StreamReader reader, StreamWriter writer) throws IOException {
        try {
            while (true) {
                await(reader.readUntil(HEAD_END));   // the request head; no body on GET
                writer.write(RESPONSE);               // answers written in one turn go out in one write
                await(writer.drain());
            }
        } catch (IncompleteReadError end) {
            // The client closed the connection between requests.
        } finally {
            writer.close();
        }
        return done();
    }
    // end::hello-http[]

    /**
     * Starts the server on a free port of 127.0.0.1, sends three pipelined requests on one
     * connection, prints each answer's status line and body.
     *
     * @return the coroutine
     * @throws IOException when the server cannot listen or the connection fails
     */
    @Async
    public static Coroutine<Void> main() throws IOException {
        try (Server server = await(startServer(HelloHttp::serve, "127.0.0.1", 0))) {
            try (Connection c = await(openConnection("127.0.0.1", server.localAddress().getPort()))) {
                byte[] request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(US_ASCII);
                for (int i = 0; i < 3; i++) {
                    c.writer().write(request);
                }
                for (int i = 0; i < 3; i++) {
                    System.out.println(await(readResponse(c.reader())));
                }
            }
        }
        return done();
    }

    @Async
    static Coroutine<String> readResponse(StreamReader reader) throws IOException {
        String head = new String(await(reader.readUntil(HEAD_END)), US_ASCII);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        String body = new String(await(reader.readExactly(length)), US_ASCII);
        return result(head.substring(0, head.indexOf("\r\n")) + " | " + body);
    }

    /**
     * Serves on 127.0.0.1 at the port given until the process is stopped (for load tests).
     *
     * @param port the port
     * @return the coroutine
     * @throws IOException when the server cannot listen
     */
    @Async
    public static Coroutine<Void> serveForever(int port) throws IOException {
        try (Server server = await(startServer(HelloHttp::serve, "127.0.0.1", port))) {
            System.out.println("Serving HTTP on " + server.localAddress());
            await(server.serveForever());
        }
        return done();
    }

    /**
     * With a port: serves there until stopped; without: the three-request demo.
     *
     * @param args the port, optionally
     * @throws IOException when the server cannot listen
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 0) {
            Aio.run(serveForever(Integer.parseInt(args[0])));
        } else {
            Aio.run(main());
        }
    }
}
