package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.openConnection;
import static dev.weft.runtime.Aio.openUnixConnection;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Aio.startServer;
import static dev.weft.runtime.Aio.startUnixServer;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.ExceptionContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Streams end to end over loopback: servers, clients, lines, EOF, close, refusal. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamsTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(US_ASCII);
    }

    private static String s(byte[] b) {
        return new String(b, US_ASCII);
    }

    /** The asyncio docs' echo handler: one line back, then close. */
    @Async
    static Coroutine<Void> echoLine(StreamReader reader, StreamWriter writer) throws IOException {
        byte[] line = await(reader.readLine());
        writer.write(line);
        await(writer.drain());
        writer.close();
        await(writer.waitClosed());
        return done();
    }

    @Test
    void anEchoServerAnswersAClient() throws Exception {
        assertEquals("Hello World!\n", Aio.run(echoOnce()));
    }

    @Async
    static Coroutine<String> echoOnce() throws IOException {
        try (Server server = await(startServer(StreamsTest::echoLine, "127.0.0.1", 0))) {
            int port = server.localAddress().getPort();
            assertTrue(port > 0);
            try (Connection c = await(openConnection("127.0.0.1", port))) {
                c.writer().write(b("Hello World!\n"));
                await(c.writer().drain());
                byte[] answer = await(c.reader().read(100));
                byte[] end = await(c.reader().read(100));
                assertEquals(0, end.length, "the server closed after its answer");
                assertTrue(c.reader().atEof());
                return result(s(answer));
            }
        }
    }

    @Test
    void manyClientsAtOnceEachGetTheirOwnLine() throws Exception {
        assertEquals(50, Aio.run(manyClients(50)));
    }

    @Async
    static Coroutine<Integer> manyClients(int n) throws IOException {
        try (Server server = await(startServer(StreamsTest::echoLine, "127.0.0.1", 0))) {
            int port = server.localAddress().getPort();
            List<Coroutine<String>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(ask(port, "client " + i + "\n"));
            }
            List<String> answers = await(Aio.gather(new ArrayList<>(all)));
            int ok = 0;
            for (int i = 0; i < n; i++) {
                if (answers.get(i).equals("client " + i + "\n")) {
                    ok++;
                }
            }
            return result(ok);
        }
    }

    @Async
    static Coroutine<String> ask(int port, String line) throws IOException {
        try (Connection c = await(openConnection("127.0.0.1", port))) {
            c.writer().write(b(line));
            return result(s(await(c.reader().readLine())));
        }
    }

    @Test
    void linesIterateUntilTheEndAndKeepWhatIsLeftWithoutNewline() throws Exception {
        assertEquals(List.of("a\n", "bb\n", "ccc"), Aio.run(lines()));
    }

    @Async
    static Coroutine<List<String>> lines() throws IOException {
        ConnectionHandler sendThree = (r, w) -> sendAndClose(w, "a\nbb\nccc");
        try (Server server = await(startServer(sendThree, "127.0.0.1", 0))) {
            try (Connection c = await(openConnection("127.0.0.1", server.localAddress().getPort()))) {
                List<String> got = new ArrayList<>();
                for (AsyncIterator<byte[]> it = c.reader().lines(); await(it.hasNext()); ) {
                    got.add(s(it.next()));
                }
                return result(got);
            }
        }
    }

    @Async
    static Coroutine<Void> sendAndClose(StreamWriter w, String text) {
        w.write(b(text));
        w.close();
        return done();
    }

    @Test
    void aRefusedConnectFailsAtOnceWithConnectExceptionNamingTheAddress() throws Exception {
        ConnectException e = assertThrows(ConnectException.class, () -> Aio.run(refused()));
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
    }

    @Async
    static Coroutine<Void> refused() throws IOException {
        int port;
        try (Server server = await(startServer(StreamsTest::echoLine, "127.0.0.1", 0))) {
            port = server.localAddress().getPort();
        }
        await(openConnection("127.0.0.1", port));
        return done();
    }

    @Test
    void halfCloseBothWays() throws Exception {
        assertEquals("ping|pong", Aio.run(halfClose()));
    }

    @Async
    static Coroutine<String> halfClose() throws IOException {
        ConnectionHandler h = StreamsTest::readAllThenAnswer;
        try (Server server = await(startServer(h, "127.0.0.1", 0))) {
            try (Connection c = await(openConnection("127.0.0.1", server.localAddress().getPort()))) {
                assertTrue(c.writer().canWriteEof());
                c.writer().write(b("ping"));
                c.writer().writeEof();
                byte[] all = await(c.reader().read(-1));
                return result(s(all));
            }
        }
    }

    @Async
    static Coroutine<Void> readAllThenAnswer(StreamReader r, StreamWriter w) throws IOException {
        byte[] all = await(r.read(-1));
        w.write(b(s(all) + "|pong"));
        w.writeEof();
        await(w.drain());
        return done();
    }

    @Test
    void aFailingHandlerClosesOnlyItsConnectionAndTheServerKeepsServing() throws Exception {
        List<ExceptionContext> reported = new ArrayList<>();
        assertEquals("ok\n", Aio.run(failingHandler(reported)));
        assertEquals(1, reported.size(), reported.toString());
        assertEquals("boom", reported.get(0).exception().getMessage());
    }

    @Async
    static Coroutine<String> failingHandler(List<ExceptionContext> reported) throws IOException {
        Aio.getRunningLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
        ConnectionHandler h = StreamsTest::failOnBoom;
        try (Server server = await(startServer(h, "127.0.0.1", 0))) {
            int port = server.localAddress().getPort();
            try (Connection bad = await(openConnection("127.0.0.1", port))) {
                bad.writer().write(b("boom\n"));
                assertEquals(0, await(bad.reader().read(10)).length, "the failed handler's connection is closed");
            }
            return result(await(ask(port, "ok\n")));
        }
    }

    @Async
    static Coroutine<Void> failOnBoom(StreamReader r, StreamWriter w) throws IOException {
        byte[] line = await(r.readLine());
        if (s(line).equals("boom\n")) {
            throw new IllegalStateException("boom");
        }
        w.write(line);
        w.close();
        return done();
    }

    @Test
    void afterServerCloseANewConnectionIsRefusedAtOnce() throws Exception {
        assertThrows(ConnectException.class, () -> Aio.run(closeThenConnect()));
    }

    @Async
    static Coroutine<Void> closeThenConnect() throws IOException {
        Server server = await(startServer(StreamsTest::echoLine, "127.0.0.1", 0));
        int port = server.localAddress().getPort();
        server.close();
        assertFalse(server.isServing());
        await(openConnection("127.0.0.1", port));
        fail("connected to a closed server");
        return done();
    }

    @Test
    void aConnectionsTaskIsNamedForItsPeer() throws Exception {
        List<String> got = Aio.run(connectionTaskName());
        assertEquals(got.get(1), got.get(0));
    }

    @Async
    static Coroutine<List<String>> connectionTaskName() throws IOException {
        List<String> names = new ArrayList<>();
        Server server = await(startServer((reader, writer) -> namesItself(names, writer), "127.0.0.1", 0));
        Connection c = await(openConnection("127.0.0.1", server.localAddress().getPort()));
        await(c.reader().readLine());
        names.add("connection " + c.writer().transport().localAddress());
        await(c.writer().aclose());
        server.close();
        await(server.waitClosed());
        return result(names);
    }

    @Async
    static Coroutine<Void> namesItself(List<String> names, StreamWriter writer) throws IOException {
        names.add(Aio.currentTask().getName());
        writer.write(b("named\n"));
        await(writer.aclose());
        return done();
    }

    @Test
    void waitClosedWaitsForTheLiveConnections() throws Exception {
        assertEquals(List.of("closed listener", "connection done", "waitClosed"), Aio.run(waitClosed()));
    }

    @Async
    static Coroutine<List<String>> waitClosed() throws IOException {
        List<String> log = new ArrayList<>();
        // The server's side closes only after the client's end of stream.
        Server server = await(startServer(StreamsTest::echoUntilEof, "127.0.0.1", 0));
        Connection c = await(openConnection("127.0.0.1", server.localAddress().getPort()));
        await(sleep(0.05));
        server.close();
        log.add("closed listener");
        var waiting = createTask(logAfter(server.waitClosed(), log, "waitClosed"));
        await(sleep(0.05));
        assertFalse(waiting.isDone(), "a connection is still open");
        c.writer().write(b("bye\n"));
        await(c.reader().readLine());
        await(c.writer().aclose());
        log.add("connection done");
        await(waiting);
        return result(log);
    }

    @Async
    static Coroutine<Void> echoUntilEof(StreamReader reader, StreamWriter writer) throws IOException {
        for (AsyncIterator<byte[]> it = reader.lines(); await(it.hasNext()); ) {
            writer.write(it.next());
        }
        await(writer.aclose());
        return done();
    }

    @Async
    static Coroutine<Void> logAfter(Coroutine<Void> what, List<String> log, String entry) {
        await(what);
        log.add(entry);
        return done();
    }

    @Test
    void unixSocketsEchoAndTheServerRemovesItsFile() throws Exception {
        Path sock = dir.resolve("echo.sock");
        assertEquals("over unix\n", Aio.run(unixEcho(sock)));
        assertFalse(Files.exists(sock), "the socket file is removed on close");
    }

    @Async
    static Coroutine<String> unixEcho(Path sock) throws IOException {
        try (Server server = await(startUnixServer(StreamsTest::echoLine, sock))) {
            assertTrue(Files.exists(sock));
            try (Connection c = await(openUnixConnection(sock))) {
                c.writer().write(b("over unix\n"));
                return result(s(await(c.reader().readLine())));
            }
        }
    }

    @Test
    void readExactlyAcrossChunksAndIncompleteReadAtTheEnd() throws Exception {
        IncompleteReadError e = assertThrows(IncompleteReadError.class, () -> Aio.run(readExactly()));
        assertArrayEquals(b("xyz"), e.partial());
        assertEquals(10, e.expected());
    }

    @Async
    static Coroutine<Void> readExactly() throws IOException {
        ConnectionHandler h = StreamsTest::trickle;
        try (Server server = await(startServer(h, "127.0.0.1", 0))) {
            try (Connection c = await(openConnection("127.0.0.1", server.localAddress().getPort()))) {
                assertEquals("abcdef", s(await(c.reader().readExactly(6))));
                await(c.reader().readExactly(10));
            }
        }
        return done();
    }

    @Async
    static Coroutine<Void> trickle(StreamReader r, StreamWriter w) {
        for (String part : new String[] {"ab", "cd", "efx", "yz"}) {
            w.write(b(part));
            await(sleep(0.01));
        }
        w.close();
        return done();
    }

    @Test
    void theServersAddressIsWhatWasAskedWithTheRealPort() throws Exception {
        InetSocketAddress a = Aio.run(address());
        assertEquals("127.0.0.1", a.getAddress().getHostAddress());
        assertTrue(a.getPort() > 0);
    }

    @Async
    static Coroutine<InetSocketAddress> address() throws IOException {
        try (Server server = await(startServer(StreamsTest::echoLine, "127.0.0.1", 0))) {
            return result(server.localAddress());
        }
    }
}
