package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.openUnixConnection;
import static dev.weft.runtime.Aio.startUnixServer;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.weft.Async;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.streams.Connection;
import dev.weft.runtime.streams.Server;
import dev.weft.runtime.streams.StreamReader;
import dev.weft.runtime.streams.StreamWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An echo over a Unix-domain socket in a temporary folder: the same streams as TCP, with a path for
 * an address. The server echoes each line in upper case until the client half-closes.
 */
public final class UnixEcho {
    private UnixEcho() {
    }

    /** Echoes each line in upper case until the end of the stream. */
    @Async
    static Coroutine<Void> shout(StreamReader reader, StreamWriter writer) throws IOException {
        for (AsyncIterator<byte[]> it = reader.lines(); await(it.hasNext()); ) {
            writer.write(new String(it.next(), UTF_8).toUpperCase().getBytes(UTF_8));
        }
        await(writer.aclose());
        return done();
    }

    /**
     * Serves on {@code echo.sock} in a new temporary folder, sends three lines, prints the answers.
     *
     * @return the coroutine
     * @throws IOException when the socket cannot be made
     */
    @Async
    public static Coroutine<Void> main() throws IOException {
        Path dir = Files.createTempDirectory("weft-unix-echo");
        Path sock = dir.resolve("echo.sock");
        try (Server server = await(startUnixServer(UnixEcho::shout, sock))) {
            try (Connection c = await(openUnixConnection(sock))) {
                for (String line : new String[] {"one\n", "two\n", "three\n"}) {
                    c.writer().write(line.getBytes(UTF_8));
                }
                c.writer().writeEof();
                for (AsyncIterator<byte[]> it = c.reader().lines(); await(it.hasNext()); ) {
                    System.out.print(new String(it.next(), UTF_8));
                }
            }
        } finally {
            Files.deleteIfExists(sock);
            Files.delete(dir);
        }
        System.out.println("socket file removed: " + !Files.exists(sock));
        return done();
    }
}
