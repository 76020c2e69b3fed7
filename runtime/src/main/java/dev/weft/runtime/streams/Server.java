package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.AsyncCloseable;
import dev.weft.runtime.Awaitable;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.ExceptionContext;
import dev.weft.runtime.Future;
import dev.weft.runtime.kernel.Engine;
import dev.weft.runtime.kernel.IoCallback;
import dev.weft.runtime.kernel.LoopIo;
import dev.weft.runtime.kernel.Net;
import dev.weft.runtime.kernel.PollKey;
import dev.weft.runtime.kernel.Waiters;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A listening server: asyncio's {@code Server}. It serves from the moment it is made: each
 * accepted connection gets a protocol from its factory (for {@link dev.weft.runtime.Aio#startServer}, a
 * stream pair and a task running the handler).
 *
 * <pre>{@code
 * try (Server server = await(startServer(Echo::handle, "127.0.0.1", 8888))) {
 *     await(server.serveForever());
 * }
 * }</pre>
 *
 * <p>{@link #close()} (and {@link #aclose()}) stops listening and closes the listening sockets at
 * once, so that a new connection is refused, without waiting for the live connections;
 * {@link #waitClosed()} waits for those too, as Python 3.12+. For the loop's thread.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods.
public final class Server implements AsyncCloseable {
    /** After an accept fails (out of descriptors, say), accepting waits this long: CPython's. */
    private static final double ACCEPT_RETRY_DELAY = 1.0;

    private final EventLoop loop;
    private final LoopIo io;
    private final Supplier<? extends Protocol> factory;
    private final StreamOptions options;
    private final List<Listener> listeners = new ArrayList<>();
    private final boolean unix;
    private final Path unixPath;
    private Object unixFileKey;
    private int active;
    private boolean closed;
    private List<Future<Void>> closeWaiters;
    private Future<Void> servingForever;

    private Server(EventLoop loop, Supplier<? extends Protocol> factory, StreamOptions options, Path unixPath) {
        this.loop = loop;
        this.io = Engine.get().io(loop);
        this.connections = new ConnectionGroup(io, this::detach);
        this.factory = factory;
        this.options = options;
        this.unix = unixPath != null;
        this.unixPath = unixPath;
    }

    /** One listening socket. */
    private final class Listener implements IoCallback {
        final ServerSocketChannel channel;
        final SocketAddress address;
        PollKey key;

        Listener(ServerSocketChannel channel) throws IOException {
            this.channel = channel;
            this.address = channel.getLocalAddress();
        }

        @Override
        public void ready(PollKey k, int readyOps) {
            accept(this);
        }

        @Override
        public String toString() {
            return "listener " + address;
        }
    }

    // ---------------------------------------------------------------- making

    /**
     * Starts a server on {@code host:port} whose connections go to protocols from {@code factory}:
     * asyncio's {@code loop.create_server}. A null or empty host listens on every interface; a name
     * is resolved off the loop and each of its addresses is listened on, all with the same port (the
     * one the first bind got, when 0 is asked).
     *
     * @param factory makes a protocol per connection
     * @param host    a name, a literal address, or null for every interface
     * @param port    the port, 0 for any
     * @param options the backlog, port sharing and TLS
     * @return an awaitable of the server, listening
     * @throws IOException the JDK's failure ({@code BindException} when the address is in use),
     *                     naming the address
     */
    @Async
    public static Coroutine<Server> create(Supplier<? extends Protocol> factory, String host, int port,
            StreamOptions options) throws IOException {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(options, "options");
        Transports.checkPort(port);
        EventLoop loop = getRunningLoop();
        List<InetAddress> addresses;
        if (host == null || host.isEmpty()) {
            addresses = null;
        } else {
            addresses = new ArrayList<>(new LinkedHashSet<>(await(Net.resolve(loop, host))));
        }
        Server s = new Server(loop, factory, options, null);
        try {
            if (addresses == null) {
                s.bind(ServerSocketChannel.open(), new InetSocketAddress(port));
            } else {
                int p = port;
                for (InetAddress a : addresses) {
                    ServerSocketChannel ch = ServerSocketChannel.open(a instanceof Inet6Address
                            ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                    s.bind(ch, new InetSocketAddress(a, p));
                    if (p == 0) {
                        p = ((InetSocketAddress) ch.getLocalAddress()).getPort();
                    }
                }
            }
            s.startServing();
        } catch (IOException | RuntimeException e) {
            s.closeListeners();
            throw e;
        }
        return result(s);
    }

    /**
     * Starts a server on the Unix-domain socket {@code path}: asyncio's
     * {@code loop.create_unix_server}. A socket file left at {@code path} by an earlier server is
     * removed first, and the server removes its own file when it closes (Python 3.13).
     *
     * @param factory makes a protocol per connection
     * @param path    the socket's path
     * @param options the backlog and TLS
     * @return an awaitable of the server, listening
     * @throws IOException the JDK's failure, naming the path ({@code BindException} when a file
     *                     that is not a socket is in the way)
     */
    @Async
    public static Coroutine<Server> createUnix(Supplier<? extends Protocol> factory, Path path,
            StreamOptions options) throws IOException {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        EventLoop loop = getRunningLoop();
        BasicFileAttributes old = attributes(path);
        if (old != null && old.isOther() && isSocket(path)) {
            Files.deleteIfExists(path);
        }
        Server s = new Server(loop, factory, options, path);
        try {
            s.bind(ServerSocketChannel.open(StandardProtocolFamily.UNIX), UnixDomainSocketAddress.of(path));
            BasicFileAttributes a = attributes(path);
            s.unixFileKey = a == null ? null : a.fileKey();
            s.startServing();
        } catch (IOException | RuntimeException e) {
            s.closeListeners();
            throw e;
        }
        return result(s);
    }

    /** S_IFMT and S_IFSOCK of POSIX {@code st_mode}. */
    private static final int FILE_TYPE = 0170000;
    private static final int SOCKET_FILE = 0140000;

    /**
     * Whether {@code path} is a socket file, as CPython's {@code stat.S_ISSOCK} asks before removing
     * a stale one: "other" files are FIFOs and devices too, which are never removed. Where the
     * file's mode cannot be read, nothing is taken for a socket.
     */
    private static boolean isSocket(Path path) {
        try {
            return Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) instanceof Integer mode
                    && (mode & FILE_TYPE) == SOCKET_FILE;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static BasicFileAttributes attributes(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    private void bind(ServerSocketChannel ch, SocketAddress address) throws IOException {
        Listener l;
        try {
            if (!unix) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (options.reusePort()) {
                    if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                        throw new UnsupportedOperationException("reusePort(true): SO_REUSEPORT is not supported here");
                    }
                    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
            }
            try {
                ch.bind(address, options.backlog());
            } catch (IOException e) {
                throw Net.naming(e, address);
            }
            ch.configureBlocking(false);
            l = new Listener(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        listeners.add(l);
    }

    private void startServing() throws IOException {
        for (Listener l : listeners) {
            l.key = io.register(l.channel, SelectionKey.OP_ACCEPT, l);
        }
    }

    // ---------------------------------------------------------------- serving

    private void accept(Listener l) {
        for (int i = 0, n = options.backlog(); i < n && !closed; i++) {
            SocketChannel c;
            try {
                c = l.channel.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // Out of descriptors, say: stop accepting for a while rather than spin.
                loop.callExceptionHandler(new ExceptionContext("accept failed on " + l.address
                        + "; accepting again in " + ACCEPT_RETRY_DELAY + " s", e, null, null, null));
                l.key.interestOps(0);
                loop.callLater(ACCEPT_RETRY_DELAY, () -> {
                    if (!closed && l.key.isValid()) {
                        l.key.interestOps(SelectionKey.OP_ACCEPT);
                    }
                });
                return;
            }
            if (c == null) {
                return;
            }
            active++;
            try {
                c.configureBlocking(false);
                if (!unix) {
                    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                Transports.attach(loop, c, factory.get(), options, true, null, connections);
            } catch (IOException | RuntimeException e) {
                active--;
                try {
                    c.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                loop.callExceptionHandler(new ExceptionContext("setting up a connection accepted on " + l.address
                        + " failed", e, null, null, null));
            }
        }
    }

    /** What every connection of this server shares: its flush before the poll, and {@link #detach()}. */
    private final ConnectionGroup connections;

    private void detach() {
        active--;
        if (closed && active == 0) {
            wakeUpCloseWaiters();
        }
    }

    private void wakeUpCloseWaiters() {
        List<Future<Void>> ws = closeWaiters;
        closeWaiters = null;
        Waiters.settle(ws, null);
    }

    /**
     * Serves until cancelled, then closes the server and waits for its connections: asyncio's
     * {@code serve_forever}.
     *
     * @return an awaitable that ends only by cancellation
     * @throws IllegalStateException when the server is closed, or another task serves it forever already
     */
    @Async
    public Coroutine<Void> serveForever() {
        io.checkThread("Server.serveForever");
        if (servingForever != null) {
            throw new IllegalStateException("server " + this + " is already being awaited on serveForever()");
        }
        if (closed) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        Future<Void> f = loop.createFuture();
        servingForever = f;
        try {
            await(f);
        } catch (CancelledError e) {
            try {
                stopListening();
                await(waitClosed());
            } finally {
                throw e;
            }
        } finally {
            servingForever = null;
        }
        return done();
    }

    /**
     * Whether the server accepts connections.
     *
     * @return true until closed
     */
    public boolean isServing() {
        return !closed;
    }

    /**
     * The address of the first listening socket, with the real port when 0 was asked.
     *
     * @return the address, or null for a Unix-domain server (see {@link #addresses()})
     */
    public InetSocketAddress localAddress() {
        return listeners.isEmpty() || !(listeners.get(0).address instanceof InetSocketAddress a) ? null : a;
    }

    /**
     * The addresses of every listening socket: asyncio's {@code server.sockets}.
     *
     * @return the addresses, empty once closed
     */
    public List<SocketAddress> addresses() {
        List<SocketAddress> r = new ArrayList<>(listeners.size());
        if (!closed) {
            for (Listener l : listeners) {
                r.add(l.address);
            }
        }
        return r;
    }

    /**
     * How many connections of this server are open.
     *
     * @return the count
     */
    public int activeConnections() {
        return active;
    }

    // ---------------------------------------------------------------- closing

    /**
     * Stops listening: the listening sockets are closed at once, so a new connection is refused;
     * live connections go on. Idempotent.
     */
    @Override
    public void close() {
        stopListening();
    }

    /** {@link #close()}, under a name that {@code @Async} code can call without awaiting {@link #aclose()}. */
    private void stopListening() {
        if (closed) {
            return;
        }
        closed = true;
        closeListeners();
        if (servingForever != null && !servingForever.isDone()) {
            servingForever.cancel();
        }
        if (active == 0) {
            wakeUpCloseWaiters();
        }
    }

    private void closeListeners() {
        closed = true;
        Set<Throwable> failures = new LinkedHashSet<>();
        for (Listener l : listeners) {
            if (l.key != null) {
                l.key.cancel();
            }
            try {
                l.channel.close();
            } catch (IOException e) {
                failures.add(e);
            }
        }
        try {
            // A registered listening socket keeps listening until the selector's next select.
            if (!loop.isClosed()) {
                io.flushCancelled();
            }
        } catch (IOException | IllegalStateException e) {
            failures.add(e);
        }
        if (unixPath != null && unixFileKey != null) {
            BasicFileAttributes a = attributes(unixPath);
            if (a != null && unixFileKey.equals(a.fileKey())) {
                try {
                    Files.deleteIfExists(unixPath);
                } catch (IOException e) {
                    failures.add(e);
                }
            }
        }
        for (Throwable t : failures) {
            loop.callExceptionHandler(new ExceptionContext("closing server " + this + " failed", t, null, null, null));
        }
    }

    /**
     * Stops listening ({@link #close()}); does not wait for the live connections, so that a
     * handler may close its own server: await {@link #waitClosed()} for them.
     *
     * @return an awaitable, done
     */
    @Override
    public Awaitable<Void> aclose() {
        close();
        return done();
    }

    /**
     * Waits until the server is closed and each of its connections is closed.
     *
     * @return an awaitable of that
     */
    @Async
    public Coroutine<Void> waitClosed() {
        if (closed && active == 0) {
            return done();
        }
        Future<Void> w = loop.createFuture();
        if (closeWaiters == null) {
            closeWaiters = new ArrayList<>(1);
        }
        closeWaiters.add(w);
        await(w);
        return done();
    }

    @Override
    public String toString() {
        List<SocketAddress> a = new ArrayList<>();
        for (Listener l : listeners) {
            a.add(l.address);
        }
        return "Server[" + a + (closed ? ", closed" : ", serving") + ", connections=" + active + "]";
    }
}
