package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.kernel.Engine;
import dev.weft.runtime.kernel.LoopIo;
import dev.weft.runtime.kernel.Net;
import dev.weft.runtime.kernel.PollKey;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Connections at the protocol level: asyncio's {@code loop.create_connection} and
 * {@code loop.create_unix_connection}. {@link EventLoop#createConnection} and
 * {@link dev.weft.runtime.Aio#openConnection} come here.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods.
public final class Transports {
    private Transports() {
    }

    /**
     * Connects to {@code host:port} and hands the connection to a protocol from {@code factory}.
     * A name is resolved off the loop; its addresses are tried in order until one connects.
     *
     * @param factory makes the protocol
     * @param host    a name or a literal address
     * @param port    the port
     * @param options TLS and the rest
     * @return an awaitable of the transport, once connected (and, with TLS, handshaken)
     * @throws IOException the JDK's failure: {@code ConnectException} when refused,
     *                     {@code UnknownHostException} for an unknown name
     */
    @Async
    public static Coroutine<Transport> connect(Supplier<? extends Protocol> factory, String host, int port,
            StreamOptions options) throws IOException {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(options, "options");
        checkPort(port);
        EventLoop loop = getRunningLoop();
        SocketChannel ch = await(connectTcp(loop, host, port));
        Transport t = attach(loop, ch, factory.get(), options, false, host, null);
        await(handshaken(t));
        return result(t);
    }

    /**
     * Connects to the Unix-domain socket at {@code path}; see {@link #connect}.
     *
     * @param factory makes the protocol
     * @param path    the socket's path
     * @param options TLS and the rest
     * @return an awaitable of the transport
     * @throws IOException the JDK's failure, naming the path
     */
    @Async
    public static Coroutine<Transport> connectUnix(Supplier<? extends Protocol> factory, Path path,
            StreamOptions options) throws IOException {
        Objects.requireNonNull(factory, "factory");
        EventLoop loop = getRunningLoop();
        SocketChannel ch = await(connectUnixChannel(loop, path));
        Transport t = attach(loop, ch, factory.get(), options, false, null, null);
        await(handshaken(t));
        return result(t);
    }

    static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
    }

    /** A connected, non-blocking TCP channel to the first address of {@code host} that accepts. */
    @Async
    static Coroutine<SocketChannel> connectTcp(EventLoop loop, String host, int port) throws IOException {
        List<InetAddress> addresses = await(Net.resolve(loop, host));
        IOException failure = null;
        for (InetAddress a : addresses) {
            SocketChannel ch = SocketChannel.open(a instanceof Inet6Address ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET);
            boolean connected = false;
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                await(Net.connect(loop, ch, new InetSocketAddress(a, port)));
                connected = true;
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            } finally {
                if (!connected) {
                    ch.close();
                }
            }
            if (connected) {
                return result(ch);
            }
        }
        throw failure != null ? failure : new java.net.UnknownHostException("no address for " + host);
    }

    @Async
    static Coroutine<SocketChannel> connectUnixChannel(EventLoop loop, Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        boolean connected = false;
        try {
            ch.configureBlocking(false);
            await(Net.connect(loop, ch, UnixDomainSocketAddress.of(path)));
            connected = true;
        } finally {
            if (!connected) {
                ch.close();
            }
        }
        return result(ch);
    }

    /**
     * Puts a transport on a connected channel and starts it, calling the protocol's
     * {@code connectionMade}. The channel's registration, if it has one, passes to the transport.
     * A server's connections share its {@code group}; with null, the loop's clients share one.
     */
    static Transport attach(EventLoop loop, SocketChannel ch, Protocol protocol, StreamOptions options, boolean server,
            String host, ConnectionGroup group) throws IOException {
        LoopIo io = Engine.get().io(loop);
        PollKey key = io.keyFor(ch);
        SocketTransport t;
        SslProtocol ssl = null;
        try {
            if (options.ssl() != null) {
                ssl = SslProtocol.create(loop, options, server, host, ch.getRemoteAddress(), protocol);
            }
            t = new SocketTransport(loop, ch, key, ssl != null ? ssl : protocol,
                    group != null ? group : ConnectionGroup.clients(io));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        t.start();
        return ssl != null ? ssl.appTransport() : t;
    }

    /**
     * Waits until a client's TLS handshake on {@code t} is done (at once without TLS). The
     * handshake's failure is thrown as the engine threw it, with the connection closed; a
     * cancellation aborts the connection.
     */
    @Async
    static Coroutine<Void> handshaken(Transport t) {
        if (t instanceof SslTransport s && s.ssl().handshakeWaiter() != null) {
            try {
                await(s.ssl().handshakeWaiter());
            } catch (Throwable e) {
                t.abort();
                throw e;
            }
        }
        return done();
    }
}
