package dev.weft.runtime.kernel;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Name resolution and connecting, for the streams and the loop's low-level socket calls. A name is
 * resolved on the loop's default executor, never on the loop's thread; a literal address is
 * parsed, not resolved.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods.
public final class Net {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Net() {
    }

    /**
     * Whether {@code host} is a literal IPv4 or IPv6 address, which needs no lookup.
     *
     * @param host the host
     * @return true for a literal
     */
    public static boolean isLiteral(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }

    /**
     * The addresses of {@code host}: parsed at once for a literal, else looked up on the loop's
     * default executor.
     *
     * @param loop the running loop
     * @param host a name or a literal address
     * @return an awaitable of the addresses, in the resolver's order
     * @throws UnknownHostException when the name has no address, or a literal is malformed
     */
    @Async
    public static Coroutine<List<InetAddress>> resolve(EventLoop loop, String host) throws UnknownHostException {
        if (host == null || host.isEmpty()) {
            throw new UnknownHostException("no host given (null or empty)");
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (isLiteral(h)) {
            return result(List.of(InetAddress.getByName(h)));
        }
        InetAddress[] all = await(loop.runInExecutor(null, () -> InetAddress.getAllByName(h)));
        return result(List.of(all));
    }

    /**
     * Connects a non-blocking channel: at once where the kernel can (loopback often can), else
     * when the channel is ready to finish connecting.
     *
     * @param loop    the running loop
     * @param channel a non-blocking socket channel
     * @param address where to connect
     * @return an awaitable of the connect
     * @throws IOException the JDK's failure ({@code ConnectException} for a refusal), its message
     *                     naming the address
     */
    @Async
    public static Coroutine<Void> connect(EventLoop loop, SocketChannel channel, SocketAddress address)
            throws IOException {
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the socket must be non-blocking: " + channel);
        }
        boolean connected;
        try {
            connected = channel.connect(address);
        } catch (IOException e) {
            throw naming(e, address);
        }
        if (!connected) {
            SockWaiter w = SockWaiter.of(loop, channel);
            try {
                await(w.waitFor(SelectionKey.OP_CONNECT, "sockConnect"));
            } finally {
                w.done(SelectionKey.OP_CONNECT);
            }
            try {
                channel.finishConnect();
            } catch (IOException e) {
                throw naming(e, address);
            }
        }
        return done();
    }

    /**
     * {@code e} again, as the same JDK type where it is one of the socket exceptions, with the
     * address in its message: {@link #describe} of it for a {@link BindException} (the address
     * asked for), the address's own text for the others.
     *
     * @param e       the failure
     * @param address the address it concerns
     * @return an exception of the same kind naming the address, caused by {@code e}
     */
    public static IOException naming(IOException e, SocketAddress address) {
        String m = (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ": "
                + (e instanceof BindException ? describe(address) : String.valueOf(address));
        IOException named;
        if (e instanceof BindException) {
            named = new BindException(m);
        } else if (e instanceof ConnectException) {
            named = new ConnectException(m);
        } else if (e instanceof NoRouteToHostException) {
            named = new NoRouteToHostException(m);
        } else if (e instanceof PortUnreachableException) {
            named = new PortUnreachableException(m);
        } else if (e.getClass() == SocketException.class) {
            named = new SocketException(m);
        } else if (e.getClass() == IOException.class) {
            named = new IOException(m);
        } else {
            return e;
        }
        named.initCause(e);
        return named;
    }

    /**
     * An address as a user writes it: {@code host:port} for an {@link InetSocketAddress} (the
     * host as given, not looked up), else its own text.
     *
     * @param address the address, or null
     * @return the text
     */
    public static String describe(SocketAddress address) {
        return address instanceof InetSocketAddress i ? i.getHostString() + ":" + i.getPort() : String.valueOf(address);
    }
}
