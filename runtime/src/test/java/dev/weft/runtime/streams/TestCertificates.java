package dev.weft.runtime.streams;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed keys made at test time with the JDK's {@code keytool}, and the TLS contexts built
 * from them: a server's (its key) and a client's (trusting only that key's certificate).
 */
final class TestCertificates {
    static final char[] PASSWORD = "weft-test".toCharArray();

    private final Path keystore;

    private TestCertificates(Path keystore) {
        this.keystore = keystore;
    }

    /**
     * A self-signed EC key pair whose certificate names {@code san} (keytool's syntax:
     * {@code dns:localhost,ip:127.0.0.1}).
     */
    static TestCertificates make(Path dir, String name, String san) throws IOException, InterruptedException {
        Path ks = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + name, "-ext", "SAN=" + san, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", new String(PASSWORD),
                "-keypass", new String(PASSWORD)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !Files.exists(ks)) {
            throw new IOException("keytool failed: " + out);
        }
        return new TestCertificates(ks);
    }

    KeyStore keyStore() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    Certificate certificate() throws Exception {
        KeyStore ks = keyStore();
        return ks.getCertificate(ks.aliases().nextElement());
    }

    /** A server context presenting this key. */
    SSLContext server() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore(), PASSWORD);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    /** A client context trusting only the certificates of {@code trusted}. */
    static SSLContext clientTrusting(List<TestCertificates> trusted) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (TestCertificates t : trusted) {
            ts.setCertificateEntry("trusted" + i++, t.certificate());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    /** A client context trusting this key's certificate. */
    SSLContext client() throws Exception {
        return clientTrusting(List.of(this));
    }
}
