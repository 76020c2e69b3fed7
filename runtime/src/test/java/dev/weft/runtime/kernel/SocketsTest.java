package dev.weft.runtime.kernel;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Task;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop's low-level socket calls, as CPython's {@code test_sock_lowlevel.py} has them. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketsTest {
    private static ServerSocketChannel listener() throws IOException {
        ServerSocketChannel l = ServerSocketChannel.open();
        l.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        l.configureBlocking(false);
        return l;
    }

    private static SocketChannel nonBlocking() throws IOException {
        SocketChannel c = SocketChannel.open();
        c.configureBlocking(false);
        return c;
    }

    /** A connected pair through {@code l}: the client first, then the accepted side. */
    @Async
    private static Coroutine<SocketChannel[]> pair(ServerSocketChannel l) throws IOException {
        EventLoop loop = getRunningLoop();
        SocketChannel c = nonBlocking();
        Task<SocketChannel> accepted = createTask(loop.sockAccept(l));
        await(loop.sockConnect(c, l.getLocalAddress()));
        return result(new SocketChannel[] {c, await(accepted)});
    }

    @Test
    void connectSendallRecvAndRecvIntoCarryTheBytesAndTheEndOfStream() throws Exception {
        assertEquals("ping|4|0|0", Aio.run(clientOps()));
    }

    @Async
    static Coroutine<String> clientOps() throws IOException {
        EventLoop loop = getRunningLoop();
        try (ServerSocketChannel l = listener()) {
            SocketChannel[] p = await(pair(l));
            assertTrue(!p[1].isBlocking(), "the accepted channel is non-blocking");
            await(loop.sockSendall(p[0], "ping".getBytes()));
            String got = new String(await(loop.sockRecv(p[1], 1024)));
            await(loop.sockSendall(p[1], "pong".getBytes()));
            ByteBuffer buf = ByteBuffer.allocate(1024);
            int n = await(loop.sockRecvInto(p[0], buf));
            p[1].shutdownOutput();
            int eofInto = await(loop.sockRecvInto(p[0], buf));
            p[0].shutdownOutput();
            int eofRecv = await(loop.sockRecv(p[1], 10)).length;
            p[0].close();
            p[1].close();
            return result(got + "|" + n + "|" + eofInto + "|" + eofRecv);
        }
    }

    @Test
    void blockingChannelsAreRefusedWithIllegalArgumentException() throws Exception {
        assertEquals(5, Aio.run(blocking()).intValue());
    }

    @Async
    static Coroutine<Integer> blocking() throws IOException {
        EventLoop loop = getRunningLoop();
        int refused = 0;
        try (SocketChannel c = SocketChannel.open(); ServerSocketChannel l = ServerSocketChannel.open()) {
            l.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            for (int i = 0; i < 5; i++) {
                try {
                    if (i == 0) {
                        await(loop.sockConnect(c, l.getLocalAddress()));
                    } else if (i == 1) {
                        await(loop.sockSendall(c, new byte[1]));
                    } else if (i == 2) {
                        await(loop.sockRecv(c, 10));
                    } else if (i == 3) {
                        await(loop.sockRecvInto(c, ByteBuffer.allocate(1)));
                    } else {
                        await(loop.sockAccept(l));
                    }
                } catch (IllegalArgumentException e) {
                    assertTrue(e.getMessage().contains("non-blocking"), e.getMessage());
                    refused++;
                }
            }
        }
        return result(refused);
    }

    @Test
    void aLargeSendallAgainstASlowReaderDeliversEveryByteInOrder() throws Exception {
        assertEquals(4_000_000L, Aio.run(hugeContent(4_000_000)).longValue());
    }

    @Async
    static Coroutine<Long> hugeContent(int size) throws IOException {
        EventLoop loop = getRunningLoop();
        try (ServerSocketChannel l = listener()) {
            SocketChannel[] p = await(pair(l));
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) ('0' + i % 10);
            }
            Task<Void> send = createTask(loop.sockSendall(p[0], data));
            long got = 0;
            while (true) {
                // A slow reader: a little at a time, with a pause between.
                byte[] part = await(loop.sockRecv(p[1], 7919));
                if (part.length == 0) {
                    break;
                }
                for (int i = 0; i < part.length; i++) {
                    if (part[i] != (byte) ('0' + (got + i) % 10)) {
                        throw new AssertionError("byte " + (got + i) + " is wrong");
                    }
                }
                got += part.length;
                await(sleep(0));
                if (got == size) {
                    await(send);
                    p[0].shutdownOutput();
                }
            }
            p[0].close();
            p[1].close();
            return result(got);
        }
    }

    @Test
    void aCancelledRecvLeavesTheChannelReadyForTheNextOne() throws Exception {
        assertEquals("cancelled|hello", Aio.run(recvRacing()));
    }

    @Async
    static Coroutine<String> recvRacing() throws IOException {
        EventLoop loop = getRunningLoop();
        try (ServerSocketChannel l = listener()) {
            SocketChannel[] p = await(pair(l));
            Task<byte[]> first = createTask(loop.sockRecv(p[0], 1024));
            await(sleep(0));
            first.cancel();
            String how;
            try {
                await(first);
                how = "read";
            } catch (CancelledError e) {
                how = "cancelled";
            }
            createTask(loop.sockSendall(p[1], "hello".getBytes()));
            String got = new String(await(loop.sockRecv(p[0], 1024)));
            p[0].close();
            p[1].close();
            return result(how + "|" + got);
        }
    }

    @Test
    void aCancelledAcceptLeavesTheListenerReadyForTheNextOne() throws Exception {
        assertEquals(Boolean.TRUE, Aio.run(acceptRacing()));
    }

    @Async
    static Coroutine<Boolean> acceptRacing() throws IOException {
        EventLoop loop = getRunningLoop();
        try (ServerSocketChannel l = listener()) {
            Task<SocketChannel> first = createTask(loop.sockAccept(l));
            await(sleep(0));
            first.cancel();
            await(sleep(0));
            SocketChannel[] p = await(pair(l));
            boolean ok = p[1].isConnected();
            p[0].close();
            p[1].close();
            return result(ok);
        }
    }

    @Test
    void twoTasksReadingOneChannelAtOnceIsRefused() throws Exception {
        assertEquals("refused", Aio.run(twoReaders()));
    }

    @Async
    static Coroutine<String> twoReaders() throws IOException {
        EventLoop loop = getRunningLoop();
        try (ServerSocketChannel l = listener()) {
            SocketChannel[] p = await(pair(l));
            Task<byte[]> first = createTask(loop.sockRecv(p[0], 10));
            await(sleep(0));
            String r;
            try {
                await(loop.sockRecv(p[0], 10));
                r = "read";
            } catch (IllegalStateException e) {
                r = "refused";
            }
            first.cancel();
            p[0].close();
            p[1].close();
            return result(r);
        }
    }

    @Test
    void aRefusedSockConnectFailsWithConnectExceptionNamingTheAddress() throws Exception {
        int port;
        try (ServerSocketChannel l = listener()) {
            port = ((InetSocketAddress) l.getLocalAddress()).getPort();
        }
        ConnectException e = assertThrows(ConnectException.class, () -> Aio.run(connectTo(port)));
        assertTrue(e.getMessage().contains(":" + port), e.getMessage());
    }

    @Async
    static Coroutine<Void> connectTo(int port) throws IOException {
        try (SocketChannel c = nonBlocking()) {
            await(getRunningLoop().sockConnect(c, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        }
        return done();
    }
}
