package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.openConnection;
import static dev.weft.runtime.Aio.startServer;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.streams.Connection;
import dev.weft.runtime.streams.Server;
import dev.weft.runtime.streams.StreamOptions;
import dev.weft.runtime.streams.StreamReader;
import dev.weft.runtime.streams.StreamWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The asyncio documentation's TCP echo server and client, over TLS: the same streams, with
 * {@code StreamOptions.ssl(context)} on both sides. The server's key is made at run time with the
 * JDK's {@code keytool} in a temporary folder; the client trusts that one certificate and checks
 * that it names {@code localhost}. A second client, expecting another name, is refused.
 */
public final class TlsEcho {
    private static final char[] PASSWORD = "weft-sample".toCharArray();

    private TlsEcho() {
    }

    // tag::tls[]
    @Async
    static Coroutine<Void> handleEcho(StreamReader reader, StreamWriter writer) throws IOException {
        byte[] data = await(reader.readLine());   // the handshake is done before the handler runs
        System.out.println("Server received '" + new String(data, UTF_8).strip() + "'");
        writer.write(data);
        await(writer.drain());
        writer.close();                           // sends close_notify
        await(writer.waitClosed());
        return done();
    }

    @Async
    static Coroutine<Void> echoClient(int port, SSLContext trusting, String message) throws IOException {
        StreamOptions tls = StreamOptions.defaults().ssl(trusting).serverHostname("localhost");
        try (Connection c = await(openConnection("127.0.0.1", port, tls))) {   // returns once handshaken
            System.out.println("Send: '" + message + "'");
            c.writer().write((message + "\n").getBytes(UTF_8));
            byte[] answer = await(c.reader().readLine());
            System.out.println("Received: '" + new String(answer, UTF_8).strip() + "'");
            byte[] rest = await(c.reader().read(-1));   // the server's close_notify ends the stream
            System.out.println("End of stream: " + (rest.length == 0 && c.reader().atEof()));
            System.out.println("Close the connection");
        }
        return done();
    }

    @Async
    static Coroutine<Void> main(SSLContext serverContext, SSLContext clientContext) throws IOException {
        StreamOptions tls = StreamOptions.defaults().ssl(serverContext);
        try (Server server = await(startServer(TlsEcho::handleEcho, "127.0.0.1", 0, tls))) {
            System.out.println("Serving TLS on 127.0.0.1");
            int port = server.localAddress().getPort();
            await(echoClient(port, clientContext, "Hello World!"));
            try {
                await(openConnection("127.0.0.1", port, StreamOptions.defaults().ssl(clientContext)
                        .serverHostname("example.com")));
            } catch (SSLHandshakeException e) {
                System.out.println("A client expecting example.com: " + e.getClass().getSimpleName());
            }
        }
        return done();
    }
    // end::tls[]

    /**
     * Makes the key in a temporary folder, runs the demo and removes the folder.
     *
     * @throws Exception when {@code keytool} or the demo fails
     */
    static void run() throws Exception {
        Path dir = Files.createTempDirectory("weft-tls");
        try {
            Path keystore = makeKey(dir);
            Aio.run(main(serverContext(keystore), clientContext(keystore)));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A self-signed EC key for localhost and 127.0.0.1, made by the running JDK's keytool. */
    static Path makeKey(Path dir) throws IOException, InterruptedException {
        Path keystore = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        return keystore;
    }

    private static KeyStore load(Path keystore) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    /** A server context presenting the key. */
    static SSLContext serverContext(Path keystore) throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keystore), PASSWORD);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    /** A client context trusting only the key's certificate. */
    static SSLContext clientContext(Path keystore) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", load(keystore).getCertificate("server"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }
}
