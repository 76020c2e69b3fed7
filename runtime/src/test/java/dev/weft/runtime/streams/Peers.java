package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Raw peers for the stream tests: a listener whose accepted socket the test drives by hand, and the descriptor count. */
final class Peers {
    private Peers() {
    }

    /** A non-blocking listener on 127.0.0.1 with a small receive buffer, so a peer that reads nothing fills up soon. */
    static ServerSocketChannel listener() throws IOException {
        ServerSocketChannel l = ServerSocketChannel.open();
        l.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        l.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        l.configureBlocking(false);
        return l;
    }

    static int port(ServerSocketChannel l) throws IOException {
        return ((InetSocketAddress) l.getLocalAddress()).getPort();
    }

    /** Opens a stream connection to {@code l} and accepts it there: the client and the raw peer. */
    @Async
    static Coroutine<Pair> connect(ServerSocketChannel l) throws IOException {
        Connection c = await(Streams.openConnection("127.0.0.1", port(l), StreamOptions.defaults()));
        SocketChannel peer = await(getRunningLoop().sockAccept(l));
        return result(new Pair(c, peer));
    }

    /** A client connection and the raw socket at its other end. */
    record Pair(Connection client, SocketChannel peer) {
    }

    /** Closes {@code ch} with a reset: SO_LINGER 0 makes the close send RST instead of FIN. */
    static void reset(SocketChannel ch) throws IOException {
        ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        ch.close();
    }

    /** The process's open descriptors, from {@code /proc/self/fd}. */
    static int openDescriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }
}
