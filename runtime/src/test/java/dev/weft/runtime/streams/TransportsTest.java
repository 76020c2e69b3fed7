package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.openConnection;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Task;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connecting: refusals, unknown names resolved off the loop, bad arguments. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TransportsTest {
    /** A port that nothing listens on: bound once, then closed. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aRefusedConnectFailsWithConnectExceptionNamingTheAddressAndPort() throws Exception {
        int port = closedPort();
        ConnectException e = assertThrows(ConnectException.class,
                () -> Aio.run(openConnection("127.0.0.1", port)));
        assertTrue(e.getMessage().contains("127.0.0.1") && e.getMessage().contains(":" + port), e.getMessage());
    }

    @Test
    void aRefusedConnectOverIpv6FailsTheSameWay() throws Exception {
        int port = closedPort();
        IOException e = assertThrows(IOException.class, () -> Aio.run(openConnection("::1", port)));
        // Without IPv6 on loopback the JDK says so in its own words; with it, the port is refused.
        assertTrue(e instanceof ConnectException || e instanceof java.net.SocketException, e.toString());
    }

    @Test
    void anUnknownHostFailsWithUnknownHostExceptionResolvedOffTheLoop() throws Exception {
        String r = Aio.run(unknownHost());
        assertTrue(r.startsWith("UnknownHostException|ticked "), r);
    }

    @Async
    static Coroutine<String> unknownHost() {
        int[] ticks = {0};
        boolean[] stop = {false};
        Task<Void> ticker = createTask(tick(ticks, stop));
        await(sleep(0));
        int before = ticks[0];
        String what;
        try {
            await(openConnection("no-such-host.weft.invalid", 80));
            what = "connected";
        } catch (IOException e) {
            what = e.getClass().getSimpleName();
            assertTrue(e.getMessage().contains("no-such-host.weft.invalid"), e.getMessage());
        }
        // The loop ran the ticker while the name was being looked up: the lookup was not on its thread.
        int during = ticks[0] - before;
        stop[0] = true;
        await(ticker);
        assertTrue(during > 0, "the loop stood still during the lookup");
        return result(what + "|ticked " + during);
    }

    @Async
    static Coroutine<Void> tick(int[] ticks, boolean[] stop) {
        while (!stop[0]) {
            ticks[0]++;
            await(sleep(0));
        }
        return done();
    }

    @Test
    void anEmptyHostIsAnUnknownHost() {
        assertThrows(UnknownHostException.class, () -> Aio.run(openConnection("", 80)));
    }

    @Test
    void aPortOutOfRangeIsRefusedBeforeConnecting() {
        assertThrows(IllegalArgumentException.class, () -> Aio.run(openConnection("127.0.0.1", 70_000)));
    }

    @Test
    void aNameConnectsToItsFirstAddressThatAccepts() throws Exception {
        assertEquals("hi\n", Aio.run(connectByName()));
    }

    @Async
    static Coroutine<String> connectByName() throws IOException {
        try (Server server = await(Aio.startServer(StreamsTest::echoLine, "127.0.0.1", 0))) {
            InetSocketAddress a = server.localAddress();
            return result(await(askByName("localhost", a.getPort())));
        }
    }

    @Async
    static Coroutine<String> askByName(String host, int port) throws IOException {
        try (Connection c = await(openConnection(host, port))) {
            c.writer().write("hi\n".getBytes());
            return result(new String(await(c.reader().readLine())));
        }
    }
}
