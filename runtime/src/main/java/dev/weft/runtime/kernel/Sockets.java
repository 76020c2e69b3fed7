package dev.weft.runtime.kernel;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/** The loop's low-level socket calls, asyncio's {@code loop.sock_*}; {@link EventLoop} delegates here. */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods.
public final class Sockets {
    private Sockets() {
    }

    private static void checkNonBlocking(SelectableChannel channel) {
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the socket must be non-blocking: " + channel
                    + " (call configureBlocking(false) first)");
        }
    }

    /**
     * See {@link EventLoop#sockAccept(ServerSocketChannel)}.
     *
     * @param loop     the loop
     * @param listener a non-blocking listening channel
     * @return an awaitable of the accepted channel, non-blocking
     * @throws IOException when accepting fails
     */
    @Async
    public static Coroutine<SocketChannel> accept(EventLoop loop, ServerSocketChannel listener) throws IOException {
        checkNonBlocking(listener);
        SocketChannel c;
        while ((c = listener.accept()) == null) {
            SockWaiter w = SockWaiter.of(loop, listener);
            try {
                await(w.waitFor(SelectionKey.OP_ACCEPT, "sockAccept"));
            } finally {
                w.done(SelectionKey.OP_ACCEPT);
            }
        }
        c.configureBlocking(false);
        return result(c);
    }

    /**
     * See {@link EventLoop#sockRecvInto(SocketChannel, ByteBuffer)}.
     *
     * @param loop    the loop
     * @param channel a non-blocking channel
     * @param buffer  where the bytes go
     * @return an awaitable of the count, 0 at end of stream or with a full buffer
     * @throws IOException when reading fails
     */
    @Async
    public static Coroutine<Integer> recvInto(EventLoop loop, SocketChannel channel, ByteBuffer buffer)
            throws IOException {
        checkNonBlocking(channel);
        int n;
        while ((n = channel.read(buffer)) == 0 && buffer.hasRemaining()) {
            SockWaiter w = SockWaiter.of(loop, channel);
            try {
                await(w.waitFor(SelectionKey.OP_READ, "sockRecv"));
            } finally {
                w.done(SelectionKey.OP_READ);
            }
        }
        return result(Math.max(n, 0));
    }

    /**
     * See {@link EventLoop#sockRecv(SocketChannel, int)}.
     *
     * @param loop    the loop
     * @param channel a non-blocking channel
     * @param n       the most bytes to read
     * @return an awaitable of the bytes, empty at end of stream
     * @throws IOException when reading fails
     */
    @Async
    public static Coroutine<byte[]> recv(EventLoop loop, SocketChannel channel, int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("sockRecv size must not be negative: " + n);
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        int got = await(recvInto(loop, channel, b));
        return result(got == n ? b.array() : Arrays.copyOf(b.array(), got));
    }

    /**
     * See {@link EventLoop#sockSendall(SocketChannel, byte[])}.
     *
     * @param loop    the loop
     * @param channel a non-blocking channel
     * @param data    the bytes
     * @return an awaitable that completes once every byte is written
     * @throws IOException when writing fails
     */
    @Async
    public static Coroutine<Void> sendAll(EventLoop loop, SocketChannel channel, byte[] data) throws IOException {
        checkNonBlocking(channel);
        ByteBuffer b = ByteBuffer.wrap(data);
        channel.write(b);
        while (b.hasRemaining()) {
            SockWaiter w = SockWaiter.of(loop, channel);
            try {
                await(w.waitFor(SelectionKey.OP_WRITE, "sockSendall"));
            } finally {
                w.done(SelectionKey.OP_WRITE);
            }
            channel.write(b);
        }
        return done();
    }
}
