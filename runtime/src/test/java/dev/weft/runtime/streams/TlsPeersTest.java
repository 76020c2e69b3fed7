package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.openConnection;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.startServer;
import static dev.weft.runtime.Aio.toThread;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Coroutine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weft's TLS against the JDK's blocking {@code SSLSocket} as the peer, for what Weft never does
 * itself: a TLS 1.2 peer that asks for a new handshake (refused), and TLS 1.3 post-handshake
 * messages (a KeyUpdate; the server's NewSessionTicket), which must just work.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsPeersTest {
    @TempDir
    static Path dir;
    static TestCertificates good;
    static SSLContext serverContext;
    static SSLContext clientContext;

    @BeforeAll
    static void makeKeys() throws Exception {
        good = TestCertificates.make(dir, "localhost", "dns:localhost,ip:127.0.0.1");
        serverContext = good.server();
        clientContext = good.client();
    }

    private static byte[] b(String s) {
        return s.getBytes(US_ASCII);
    }

    /** Echoes lines; what ends the connection goes to {@code log}. */
    @Async
    static Coroutine<Void> echo(StreamReader r, StreamWriter w, List<String> log) throws IOException {
        try {
            for (AsyncIterator<byte[]> it = r.lines(); await(it.hasNext()); ) {
                w.write(it.next());
                await(w.drain());
            }
            log.add("server: eof");
        } catch (IOException e) {
            log.add("server: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        await(w.aclose());
        return done();
    }

    /** A blocking TLS client of the given protocol, connected to {@code port}. */
    static SSLSocket blockingClient(int port, String protocol) throws IOException {
        SSLSocket s = (SSLSocket) clientContext.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(20_000);
        s.setEnabledProtocols(new String[] {protocol});
        s.startHandshake();
        return s;
    }

    static String askLine(SSLSocket s, BufferedReader in, String line) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(b(line));
        out.flush();
        return in.readLine();
    }

    @Test
    void aTls12ClientAskingForANewHandshakeIsRefused() throws Exception {
        List<String> log = Aio.run(renegotiatingClient());
        assertEquals(2, log.size(), log::toString);
        assertEquals("client: hello", log.get(0));
        assertTrue(log.get(1).startsWith("server: SSLException: renegotiation refused"), log::toString);
    }

    @Async
    static Coroutine<List<String>> renegotiatingClient() throws IOException {
        List<String> log = new ArrayList<>();
        CompletableFuture<Void> handled = new CompletableFuture<>();
        ConnectionHandler h = (r, w) -> echoThen(r, w, log, handled);
        try (Server server = await(startServer(h, "127.0.0.1", 0, StreamOptions.defaults().ssl(serverContext)))) {
            int port = server.localAddress().getPort();
            await(toThread(() -> {
                try (SSLSocket s = blockingClient(port, "TLSv1.2")) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
                    log.add("client: " + askLine(s, in, "hello\n"));
                    try {
                        s.startHandshake(); // a new handshake: a ClientHello on the session
                        s.getOutputStream().write(b("after\n"));
                        s.getOutputStream().flush();
                        in.readLine();
                    } catch (IOException refused) {
                        // closed by the server: what the server saw is in the log
                    }
                }
                return null;
            }));
            await(handled);
        }
        return result(log);
    }

    @Async
    static Coroutine<Void> echoThen(StreamReader r, StreamWriter w, List<String> log, CompletableFuture<Void> done)
            throws IOException {
        try {
            await(echo(r, w, log));
        } finally {
            done.complete(null);
        }
        return done();
    }

    @Test
    void aTls13KeyUpdateFromTheClientJustWorks() throws Exception {
        assertEquals(List.of("client: before", "client: after", "server: eof"), Aio.run(keyUpdatingClient()));
    }

    @Async
    static Coroutine<List<String>> keyUpdatingClient() throws IOException {
        List<String> log = new ArrayList<>();
        CompletableFuture<Void> handled = new CompletableFuture<>();
        ConnectionHandler h = (r, w) -> echoThen(r, w, log, handled);
        try (Server server = await(startServer(h, "127.0.0.1", 0, StreamOptions.defaults().ssl(serverContext)))) {
            int port = server.localAddress().getPort();
            await(toThread(() -> {
                try (SSLSocket s = blockingClient(port, "TLSv1.3")) {
                    assertEquals("TLSv1.3", s.getSession().getProtocol());
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
                    log.add("client: " + askLine(s, in, "before\n"));
                    s.startHandshake(); // in TLS 1.3: a KeyUpdate, asking the peer to update too
                    log.add("client: " + askLine(s, in, "after\n"));
                }
                return null;
            }));
            await(handled);
        }
        return result(log);
    }

    @Test
    void aTls12ServerAskingForANewHandshakeIsRefusedByTheClient() throws Exception {
        assertEquals("first: hello; then SSLException: renegotiation refused", Aio.run(renegotiatingServer()));
    }

    @Async
    static Coroutine<String> renegotiatingServer() throws IOException {
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0,
                1, InetAddress.getLoopbackAddress())) {
            listener.setEnabledProtocols(new String[] {"TLSv1.2"});
            listener.setSoTimeout(20_000);
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> serveThenRenegotiate(listener));
            try (Connection c = await(openConnection("127.0.0.1", listener.getLocalPort(),
                    StreamOptions.defaults().ssl(clientContext)))) {
                c.writer().write(b("hello\n"));
                String first = new String(await(c.reader().readLine()), US_ASCII).trim();
                String then;
                try {
                    await(c.reader().read(100));
                    then = "no failure";
                } catch (SSLException e) {
                    then = "SSLException: " + e.getMessage();
                }
                await(served.exceptionally(e -> null));
                return result("first: " + first + "; then " + then.replaceAll(": [0-9.:]+ started .*", ""));
            }
        }
    }

    static void serveThenRenegotiate(SSLServerSocket listener) {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
            s.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
            String line = in.readLine();
            s.getOutputStream().write(b(line + "\n"));
            s.getOutputStream().flush();
            s.startHandshake(); // in TLS 1.2 a server's HelloRequest
            in.readLine();
        } catch (IOException refused) {
            // the client closed the connection
        }
    }

    @Test
    void aWeftClientTakesTheNewSessionTicketOfATls13Server() throws Exception {
        assertEquals("ticket\n", Aio.run(ticketFromJdkServer()));
    }

    @Async
    static Coroutine<String> ticketFromJdkServer() throws IOException {
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0,
                1, InetAddress.getLoopbackAddress())) {
            listener.setEnabledProtocols(new String[] {"TLSv1.3"});
            listener.setSoTimeout(20_000);
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> echoOneLine(listener));
            try (Connection c = await(openConnection("127.0.0.1", listener.getLocalPort(),
                    StreamOptions.defaults().ssl(clientContext)))) {
                c.writer().write(b("ticket\n"));
                byte[] line = await(c.reader().readLine());
                await(served);
                return result(new String(line, US_ASCII));
            }
        }
    }

    static void echoOneLine(SSLServerSocket listener) {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
            s.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
            s.getOutputStream().write(b(in.readLine() + "\n"));
            s.getOutputStream().flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
