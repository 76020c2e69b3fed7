package dev.weft.runtime.streams;

import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How a connection or a server is set up: the reader's buffer limit, TLS, the listen backlog and
 * port sharing. Immutable: each setter returns a new value.
 *
 * <pre>{@code
 * StreamOptions tls = StreamOptions.defaults().ssl(context).serverHostname("example.test");
 * Connection c = await(Aio.openConnection("127.0.0.1", 8443, tls));
 * }</pre>
 */
public final class StreamOptions {
    /** asyncio's {@code _DEFAULT_LIMIT}: 64 KiB. */
    static final int DEFAULT_LIMIT = 64 * 1024;
    private static final StreamOptions DEFAULTS = new StreamOptions(DEFAULT_LIMIT, null, null, 60.0, 100, false);

    private final int limit;
    private final SSLContext ssl;
    private final String serverHostname;
    private final double sslHandshakeTimeout;
    private final int backlog;
    private final boolean reusePort;

    private StreamOptions(int limit, SSLContext ssl, String serverHostname, double sslHandshakeTimeout, int backlog,
            boolean reusePort) {
        this.limit = limit;
        this.ssl = ssl;
        this.serverHostname = serverHostname;
        this.sslHandshakeTimeout = sslHandshakeTimeout;
        this.backlog = backlog;
        this.reusePort = reusePort;
    }

    /**
     * The defaults: a 64 KiB limit, no TLS, a 60 s handshake timeout, a backlog of 100 (asyncio's)
     * and no port sharing.
     *
     * @return the default options
     */
    public static StreamOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The reader's buffer limit: the longest line or separated chunk, and the buffer size past
     * twice which the reader pauses the transport.
     *
     * @param limit the limit in bytes, positive
     * @return options with that limit
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    public StreamOptions limit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
        return new StreamOptions(limit, ssl, serverHostname, sslHandshakeTimeout, backlog, reusePort);
    }

    /**
     * TLS through this context's {@code SSLEngine}: a client handshakes as a client, a server as a
     * server. Null turns TLS off.
     *
     * @param context the context, or null
     * @return options with that context
     */
    public StreamOptions ssl(SSLContext context) {
        return new StreamOptions(limit, context, serverHostname, sslHandshakeTimeout, backlog, reusePort);
    }

    /**
     * The name a TLS client sends as SNI and checks the server's certificate against (by default
     * the host it connects to, unless that is a literal address). Null clears it.
     *
     * @param hostname the expected server name, or null
     * @return options with that name
     */
    public StreamOptions serverHostname(String hostname) {
        return new StreamOptions(limit, ssl, hostname, sslHandshakeTimeout, backlog, reusePort);
    }

    /**
     * How long a TLS handshake may take before the connection is aborted with a
     * {@link dev.weft.runtime.TimeoutError}.
     *
     * @param seconds the timeout, positive and finite
     * @return options with that timeout
     * @throws IllegalArgumentException when {@code seconds} is not positive and finite
     */
    public StreamOptions sslHandshakeTimeout(double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("sslHandshakeTimeout must be positive and finite, not " + seconds);
        }
        return new StreamOptions(limit, ssl, serverHostname, seconds, backlog, reusePort);
    }

    /**
     * A server's listen backlog, also the most connections accepted in one turn of the loop.
     *
     * @param backlog the backlog, positive
     * @return options with that backlog
     * @throws IllegalArgumentException when {@code backlog} is not positive
     */
    public StreamOptions backlog(int backlog) {
        if (backlog <= 0) {
            throw new IllegalArgumentException("backlog must be positive, not " + backlog);
        }
        return new StreamOptions(limit, ssl, serverHostname, sslHandshakeTimeout, backlog, reusePort);
    }

    /**
     * Whether a server's listening sockets set {@code SO_REUSEPORT}, so that servers on several
     * loops share one port and the kernel spreads the connections among them.
     *
     * @param reusePort true to share the port
     * @return options with that setting
     */
    public StreamOptions reusePort(boolean reusePort) {
        return new StreamOptions(limit, ssl, serverHostname, sslHandshakeTimeout, backlog, reusePort);
    }

    /**
     * The reader's buffer limit.
     *
     * @return the limit in bytes
     */
    public int limit() {
        return limit;
    }

    /**
     * The TLS context.
     *
     * @return the context, or null without TLS
     */
    public SSLContext ssl() {
        return ssl;
    }

    /**
     * The server name a TLS client expects.
     *
     * @return the name, or null
     */
    public String serverHostname() {
        return serverHostname;
    }

    /**
     * The TLS handshake timeout.
     *
     * @return seconds
     */
    public double sslHandshakeTimeout() {
        return sslHandshakeTimeout;
    }

    /**
     * The listen backlog.
     *
     * @return the backlog
     */
    public int backlog() {
        return backlog;
    }

    /**
     * Whether servers share their port.
     *
     * @return true with {@code SO_REUSEPORT}
     */
    public boolean reusePort() {
        return reusePort;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamOptions that && limit == that.limit && ssl == that.ssl
                && Objects.equals(serverHostname, that.serverHostname)
                && Double.compare(sslHandshakeTimeout, that.sslHandshakeTimeout) == 0 && backlog == that.backlog
                && reusePort == that.reusePort;
    }

    @Override
    public int hashCode() {
        return Objects.hash(limit, System.identityHashCode(ssl), serverHostname, sslHandshakeTimeout, backlog,
                reusePort);
    }

    @Override
    public String toString() {
        return "StreamOptions[limit=" + limit + ", ssl=" + (ssl == null ? "off" : ssl.getProtocol())
                + (serverHostname == null ? "" : ", serverHostname=" + serverHostname) + ", sslHandshakeTimeout="
                + sslHandshakeTimeout + ", backlog=" + backlog + ", reusePort=" + reusePort + "]";
    }
}
