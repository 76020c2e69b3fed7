package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.openConnection;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Aio.startServer;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;
import dev.weft.runtime.TimeoutError;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS end to end over loopback through the streams and the protocols: the handshake, data both
 * ways, close_notify, certificate and name checks, peers that speak no TLS, timeouts and leaks.
 * Cases after CPython's {@code test_sslproto} and {@code test_ssl}.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsTest {
    @TempDir
    static Path dir;
    /** Names localhost and 127.0.0.1. */
    static TestCertificates good;
    /** Names only other.test. */
    static TestCertificates other;
    static SSLContext serverContext;
    static SSLContext clientContext;

    @BeforeAll
    static void makeKeys() throws Exception {
        good = TestCertificates.make(dir, "localhost", "dns:localhost,ip:127.0.0.1");
        other = TestCertificates.make(dir, "other", "dns:other.test");
        serverContext = good.server();
        clientContext = good.client();
    }

    static StreamOptions serverTls() {
        return StreamOptions.defaults().ssl(serverContext);
    }

    static StreamOptions clientTls() {
        return StreamOptions.defaults().ssl(clientContext);
    }

    private static byte[] b(String s) {
        return s.getBytes(US_ASCII);
    }

    private static String s(byte[] b) {
        return new String(b, US_ASCII);
    }

    @Async
    static Coroutine<Void> echoUntilEof(StreamReader reader, StreamWriter writer) throws IOException {
        for (AsyncIterator<byte[]> it = reader.lines(); await(it.hasNext()); ) {
            writer.write(it.next());
            await(writer.drain());
        }
        await(writer.aclose());
        return done();
    }

    // ---------------------------------------------------------------- data

    @Test
    void shortLinesEchoOverTls() throws Exception {
        assertEquals(List.of("one\n", "two\n", "three\n"), Aio.run(echoLines(clientTls())));
    }

    @Test
    void theServerNameCanBeGivenApartFromTheAddress() throws Exception {
        assertEquals(List.of("one\n", "two\n", "three\n"), Aio.run(echoLines(clientTls().serverHostname("localhost"))));
    }

    @Async
    static Coroutine<List<String>> echoLines(StreamOptions client) throws IOException {
        try (Server server = await(startServer(TlsTest::echoUntilEof, "127.0.0.1", 0, serverTls()))) {
            try (Connection c = await(openConnection("127.0.0.1", server.localAddress().getPort(), client))) {
                List<String> got = new ArrayList<>();
                for (String line : new String[] {"one\n", "two\n", "three\n"}) {
                    c.writer().write(b(line));
                    await(c.writer().drain());
                    got.add(s(await(c.reader().readLine())));
                }
                return result(got);
            }
        }
    }

    @Test
    void aMebibyteGoesBothWaysIntact() throws Exception {
        byte[] payload = new byte[1 << 20];
        new Random(7).nextBytes(payload);
        assertArrayEquals(payload, Aio.run(bigEcho(payload)));
    }

    @Async
    static Coroutine<byte[]> bigEcho(byte[] payload) throws IOException {
        ConnectionHandler h = TlsTest::echoExactly;
        try (Server server = await(startServer(h, "127.0.0.1", 0, serverTls()))) {
            try (Connection c = await(openConnection("127.0.0.1", server.localAddress().getPort(), clientTls()))) {
                Task<byte[]> back = createTask(c.reader().readExactly(payload.length));
                c.writer().write(ByteBuffer.allocate(4).putInt(payload.length).array());
                for (int at = 0; at < payload.length; at += 100_000) {
                    c.writer().write(java.util.Arrays.copyOfRange(payload, at, Math.min(payload.length, at + 100_000)));
                    await(c.writer().drain());
                }
                return result(await(back));
            }
        }
    }

    /** Reads a length, then echoes that many bytes in the pieces they arrive in. */
    @Async
    static Coroutine<Void> echoExactly(StreamReader r, StreamWriter w) throws IOException {
        int left = ByteBuffer.wrap(await(r.readExactly(4))).getInt();
        while (left > 0) {
            byte[] part = await(r.read(Math.min(left, 65536)));
            if (part.length == 0) {
                throw new IOException("EOF with " + left + " bytes to go");
            }
            w.write(part);
            await(w.drain());
            left -= part.length;
        }
        await(w.aclose());
        return done();
    }

    // ---------------------------------------------------------------- closing

    @Test
    void theServersCloseNotifyIsTheClientsEndOfStream() throws Exception {
        assertEquals("bye", Aio.run(serverCloses()));
    }

    @Async
    static Coroutine<String> serverCloses() throws IOException {
        ConnectionHandler h = (r, w) -> sayAndClose(w, "bye");
        try (Server server = await(startServer(h, "127.0.0.1", 0, serverTls()))) {
            try (Connection c = await(openConnection("127.0.0.1", server.localAddress().getPort(), clientTls()))) {
                byte[] all = await(c.reader().read(-1));
                assertTrue(c.reader().atEof());
                assertEquals(null, c.reader().exception(), "a close_notify is a clean end");
                return result(s(all));
            }
        }
    }

    @Async
    static Coroutine<Void> sayAndClose(StreamWriter w, String text) throws IOException {
        w.write(b(text));
        await(w.aclose());
        return done();
    }

    @Test
    void theClientsCloseIsTheServersEndOfStream() throws Exception {
        assertEquals(List.of("got 'last words' then EOF", "server side closed"), Aio.run(clientCloses()));
    }

    @Async
    static Coroutine<List<String>> clientCloses() throws IOException {
        List<String> log = new ArrayList<>();
        Future<Void> handled = getRunningLoop().createFuture();
        ConnectionHandler h = (r, w) -> readToEnd(r, w, log, handled);
        try (Server server = await(startServer(h, "127.0.0.1", 0, serverTls()))) {
            Connection c = await(openConnection("127.0.0.1", server.localAddress().getPort(), clientTls()));
            c.writer().write(b("last words"));
            await(c.writer().aclose());
            await(handled);
        }
        return result(log);
    }

    @Async
    static Coroutine<Void> readToEnd(StreamReader r, StreamWriter w, List<String> log, Future<Void> handled)
            throws IOException {
        byte[] all = await(r.read(-1));
        log.add("got '" + s(all) + "' then " + (r.atEof() ? "EOF" : "more"));
        await(w.waitClosed());
        log.add("server side closed");
        handled.setResult(null);
        return done();
    }

    @Test
    void overTlsThereIsNoHalfClose() throws Exception {
        assertEquals("no writeEof", Aio.run(noHalfClose()));
    }

    @Async
    static Coroutine<String> noHalfClose() throws IOException {
        try (Server server = await(startServer(TlsTest::echoUntilEof, "127.0.0.1", 0, serverTls()))) {
            try (Connection c = await(openConnection("127.0.0.1", server.localAddress().getPort(), clientTls()))) {
                assertFalse(c.writer().canWriteEof());
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                        () -> c.writer().writeEof());
                assertTrue(e.getMessage().contains("TLS"), e.getMessage());
                return result("no writeEof");
            }
        }
    }

    @Test
    void aWriteAfterCloseIsIgnored() throws Exception {
        assertEquals("closing", Aio.run(writeAfterClose()));
    }

    @Async
    static Coroutine<String> writeAfterClose() throws IOException {
        try (Server server = await(startServer(TlsTest::echoUntilEof, "127.0.0.1", 0, serverTls()))) {
            Connection c = await(openConnection("127.0.0.1", server.localAddress().getPort(), clientTls()));
            c.writer().close();
            c.writer().write(b("ignored\n"));
            String state = c.writer().isClosing() ? "closing" : "open";
            await(c.writer().waitClosed());
            return result(state);
        }
    }

    @Test
    void unixSocketsCarryTlsWithTheNameGivenApart() throws Exception {
        Path sock = dir.resolve("tls.sock");
        assertEquals("over unix\n", Aio.run(unixEcho(sock, clientTls().serverHostname("localhost"))));
    }

    @Test
    void aUnixSocketClientWithoutAServerNameIsToldToGiveOne() {
        Path sock = dir.resolve("tls-noname.sock");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Aio.run(unixEcho(sock,
                clientTls())));
        assertTrue(e.getMessage().contains("serverHostname"), e.getMessage());
    }

    @Async
    static Coroutine<String> unixEcho(Path sock, StreamOptions client) throws IOException {
        try (Server server = await(Aio.startUnixServer(TlsTest::echoUntilEof, sock, serverTls()))) {
            try (Connection c = await(Aio.openUnixConnection(sock, client))) {
                c.writer().write(b("over unix\n"));
                return result(s(await(c.reader().readLine())));
            }
        }
    }

    // ---------------------------------------------------------------- certificates and names

    @Test
    void aNameTheCertificateDoesNotHoldFailsTheHandshake() {
        assertThrows(SSLHandshakeException.class, () -> Aio.run(connectTo(serverContext,
                clientTls().serverHostname("wrong.test"))));
    }

    @Test
    void anAddressTheCertificateDoesNotHoldFailsTheHandshake() throws Exception {
        // The client trusts other's certificate, which names only other.test, not 127.0.0.1.
        SSLContext trustsOther = other.client();
        assertThrows(SSLHandshakeException.class, () -> Aio.run(connectTo(other.server(),
                StreamOptions.defaults().ssl(trustsOther))));
    }

    @Test
    void anUntrustedCertificateFailsTheHandshake() throws Exception {
        SSLContext trustsOnlyOther = other.client();
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> Aio.run(connectTo(serverContext,
                StreamOptions.defaults().ssl(trustsOnlyOther).serverHostname("localhost"))));
        assertTrue(String.valueOf(e.getMessage()).contains("PKIX") || e.getCause() != null, String.valueOf(e));
    }

    @Test
    void theServerKeepsServingAfterAFailedHandshake() throws Exception {
        assertEquals("ok\n", Aio.run(failThenServe()));
    }

    @Async
    static Coroutine<String> failThenServe() throws Exception {
        try (Server server = await(startServer(TlsTest::echoUntilEof, "127.0.0.1", 0, serverTls()))) {
            int port = server.localAddress().getPort();
            try {
                await(openConnection("127.0.0.1", port, clientTls().serverHostname("wrong.test")));
                fail("connected with the wrong name");
            } catch (SSLHandshakeException expected) {
                // the server's side of it is closed, nothing reported
            }
            try (Connection c = await(openConnection("127.0.0.1", port, clientTls()))) {
                c.writer().write(b("ok\n"));
                return result(s(await(c.reader().readLine())));
            }
        }
    }

    @Async
    static Coroutine<Void> connectTo(SSLContext server, StreamOptions client) throws IOException {
        StreamOptions tls = StreamOptions.defaults().ssl(server);
        try (Server s = await(startServer(TlsTest::echoUntilEof, "127.0.0.1", 0, tls))) {
            Connection c = await(openConnection("127.0.0.1", s.localAddress().getPort(), client));
            c.close();
            fail("the handshake succeeded: " + c);
        }
        return done();
    }

    // ---------------------------------------------------------------- peers without TLS

    @Test
    void aTlsClientAgainstAPlaintextServerFailsAndDoesNotHang() {
        assertThrows(SSLException.class, () -> Aio.run(tlsAgainstPlain()));
    }

    @Async
    static Coroutine<Void> tlsAgainstPlain() throws IOException {
        ConnectionHandler answersText = TlsTest::answerText;
        try (Server server = await(startServer(answersText, "127.0.0.1", 0))) {
            await(openConnection("127.0.0.1", server.localAddress().getPort(), clientTls()));
        }
        return done();
    }

    @Async
    static Coroutine<Void> answerText(StreamReader r, StreamWriter w) throws IOException {
        await(r.read(100));
        w.write(b("HTTP/1.0 400 Bad Request\r\n\r\nthis is no TLS server\n"));
        await(w.aclose());
        return done();
    }

    @Test
    void aPlaintextClientDoesNotHangTheTlsServer() throws Exception {
        assertEquals("eof after 0 handlers; then: hello\n", Aio.run(plainAgainstTls()));
    }

    @Async
    static Coroutine<String> plainAgainstTls() throws IOException {
        int[] handlers = {0};
        ConnectionHandler h = (r, w) -> {
            handlers[0]++;
            return echoUntilEof(r, w);
        };
        try (Server server = await(startServer(h, "127.0.0.1", 0, serverTls()))) {
            int port = server.localAddress().getPort();
            String first;
            try (Connection plain = await(openConnection("127.0.0.1", port))) {
                plain.writer().write(b("GET / HTTP/1.0\r\n\r\n"));
                try {
                    await(plain.reader().read(-1)); // the server's alert, if any, then the end
                    first = "eof";
                } catch (IOException reset) {
                    first = "reset";
                }
            }
            try (Connection c = await(openConnection("127.0.0.1", port, clientTls()))) {
                c.writer().write(b("hello\n"));
                return result("eof after " + handlers[0] + " handlers; then: " + s(await(c.reader().readLine())));
            }
        }
    }

    @Test
    void aSilentPeerTimesTheHandshakeOutNamingThePeer() {
        TimeoutError e = assertThrows(TimeoutError.class, () -> Aio.run(silentPeer()));
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
    }

    @Async
    static Coroutine<Void> silentPeer() throws IOException {
        ConnectionHandler silent = TlsTest::readThenClose;
        try (Server server = await(startServer(silent, "127.0.0.1", 0))) {
            await(openConnection("127.0.0.1", server.localAddress().getPort(), clientTls().sslHandshakeTimeout(0.3)));
        }
        return done();
    }

    /** A peer that speaks no TLS and never answers. */
    @Async
    static Coroutine<Void> readThenClose(StreamReader r, StreamWriter w) throws IOException {
        while (await(r.read(100)).length > 0) {
            continue;
        }
        await(w.aclose());
        return done();
    }

    @Test
    void cancellingAHandshakeClosesTheSocket() throws Exception {
        long before = openDescriptors();
        assertEquals("cancelled", Aio.run(cancelHandshake()));
        assertEquals(before, openDescriptors(), "descriptors after a cancelled handshake");
    }

    @Async
    static Coroutine<String> cancelHandshake() throws IOException {
        ConnectionHandler silent = TlsTest::readThenClose;
        try (Server server = await(startServer(silent, "127.0.0.1", 0))) {
            Task<Connection> t = createTask(openConnection("127.0.0.1", server.localAddress().getPort(),
                    clientTls()));
            await(sleep(0.1));
            t.cancel();
            try {
                await(t);
                return result("connected");
            } catch (CancelledError e) {
                server.close();
                await(server.waitClosed());
                return result("cancelled");
            }
        }
    }

    // ---------------------------------------------------------------- protocols and flow control

    /** A protocol that records what happens to it, and can pause its reading at once. */
    static final class Recorder implements Protocol {
        final List<String> events = new ArrayList<>();
        final boolean pauseAtOnce;
        Transport transport;
        long received;
        int pauses;
        int resumes;

        Recorder(boolean pauseAtOnce) {
            this.pauseAtOnce = pauseAtOnce;
        }

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            events.add("made");
            if (pauseAtOnce) {
                t.pauseReading();
            }
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            received += data.remaining();
            data.position(data.limit());
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            return false;
        }

        @Override
        public void connectionLost(Exception failure) {
            events.add("lost " + failure);
        }

        @Override
        public void pauseWriting() {
            pauses++;
        }

        @Override
        public void resumeWriting() {
            resumes++;
        }
    }

    @Test
    void flowControlCrossesTheTlsLayerBothWays() throws Exception {
        assertEquals("paused, raw paused, nothing read, buffered over 64 KiB; resumed; all 33554432 bytes arrived",
                Aio.run(flowControl()));
    }

    @Async
    static Coroutine<String> flowControl() throws IOException {
        List<Recorder> servers = new ArrayList<>();
        Server server = await(getRunningLoop().createServer(() -> {
            Recorder r = new Recorder(true);
            servers.add(r);
            return r;
        }, "127.0.0.1", 0, serverTls()));
        Recorder client = new Recorder(false);
        Transport t = await(getRunningLoop().createConnection(() -> client, "127.0.0.1",
                server.localAddress().getPort(), clientTls()));
        assertEquals(List.of("made"), client.events, "connectionMade comes before the connection is handed out");
        assertFalse(t.canWriteEof());
        int total = 32 << 20; // more than the kernel's socket buffers hold
        t.write(new byte[total]);
        for (int i = 0; i < 200 && servers.isEmpty(); i++) {
            await(sleep(0.01));
        }
        Recorder peer = servers.get(0);
        await(sleep(0.2));
        StringBuilder seen = new StringBuilder();
        seen.append(client.pauses == 1 ? "paused" : "pauses=" + client.pauses);
        boolean rawPaused = !peer.transport.isReading()
                && !((SslTransport) peer.transport).ssl().raw().isReading();
        seen.append(rawPaused ? ", raw paused" : ", raw reading");
        seen.append(peer.received == 0 ? ", nothing read" : ", read " + peer.received);
        long size = t.getWriteBufferSize();
        long rawSize = ((SslTransport) t).ssl().raw().getWriteBufferSize();
        seen.append(size > 64 * 1024 && size >= rawSize ? ", buffered over 64 KiB" : ", buffered " + size);
        peer.transport.resumeReading();
        for (int i = 0; i < 2000 && peer.received < total; i++) {
            await(sleep(0.01));
        }
        seen.append(client.resumes == 1 ? "; resumed" : "; resumes=" + client.resumes);
        seen.append("; all " + peer.received + " bytes arrived");
        t.close();
        server.close();
        await(server.waitClosed());
        return result(seen.toString());
    }

    // ---------------------------------------------------------------- descriptors

    @Test
    void twoHundredTlsConnectionsLeaveNoDescriptorBehind() throws Exception {
        assertEquals(3, Aio.run(connections(3)), "warm-up: the JDK's TLS keeps its own files open once");
        long before = openDescriptors();
        assertEquals(200, Aio.run(connections(200)));
        assertEquals(before, openDescriptors(), "descriptors after 200 TLS connections");
    }

    @Async
    static Coroutine<Integer> connections(int n) throws IOException {
        int ok = 0;
        try (Server server = await(startServer(TlsTest::echoUntilEof, "127.0.0.1", 0, serverTls()))) {
            int port = server.localAddress().getPort();
            for (int i = 0; i < n; i += 10) {
                List<Coroutine<String>> batch = new ArrayList<>();
                for (int j = i; j < Math.min(n, i + 10); j++) {
                    batch.add(ask(port, "conn " + j + "\n"));
                }
                for (String answer : await(Aio.gather(new ArrayList<>(batch)))) {
                    if (answer.startsWith("conn ")) {
                        ok++;
                    }
                }
            }
            server.close();
            await(server.waitClosed());
        }
        return result(ok);
    }

    @Async
    static Coroutine<String> ask(int port, String line) throws IOException {
        try (Connection c = await(openConnection("127.0.0.1", port, clientTls()))) {
            c.writer().write(b(line));
            return result(s(await(c.reader().readLine())));
        }
    }

    static long openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        if (fds == null) {
            throw new AssertionError("no /proc/self/fd on this system");
        }
        return fds.length;
    }
}
