package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.openDatagramEndpoint;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Task;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * UDP endpoints over loopback, IPv4 and IPv6 ({@code ::1}): CPython's datagram tests of
 * {@code test_events.py} (the echo through {@code create_datagram_endpoint}, connected and not)
 * and {@code test_selector_events.py} ({@code _SelectorDatagramTransport}'s sending, buffering and
 * {@code error_received}), with a full socket buffer put in place of the system call where
 * loopback never fills one.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramEndpointTest {
    private static byte[] b(String s) {
        return s.getBytes(US_ASCII);
    }

    private static String s(byte[] b) {
        return new String(b, US_ASCII);
    }

    private static InetSocketAddress any(String host) {
        return new InetSocketAddress(host, 0);
    }

    /** A port that nothing listens on: one just closed. */
    private static int closedPort(String host) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(any(host));
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        }
    }

    // ---------------------------------------------------------------- CPython's echo, test_events.py

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void aConnectedClientGetsTheServersAnswer(String host) throws Exception {
        assertEquals("resp:xxx from the server; the server saw 3 bytes from the client's port",
                Aio.run(echoConnected(host)));
    }

    @Async
    static Coroutine<String> echoConnected(String host) throws IOException {
        try (DatagramEndpoint server = await(openDatagramEndpoint(any(host), null))) {
            InetSocketAddress at = server.localAddress();
            assertTrue(at.getPort() > 0, "the real port");
            assertEquals(host.contains(":"), at.getAddress() instanceof Inet6Address);
            assertNull(server.remoteAddress());
            try (DatagramEndpoint client = await(openDatagramEndpoint(null, at))) {
                assertEquals(at, client.remoteAddress());
                assertTrue(client.localAddress().getPort() > 0, "connecting bound an ephemeral port");
                client.send(b("xxx"));
                Datagram request = await(server.receive());
                assertEquals(client.localAddress().getPort(), request.sender().getPort());
                server.sendTo(concat(b("resp:"), request.data()), request.sender());
                Datagram answer = await(client.receive());
                assertEquals(at, answer.sender());
                return result(s(answer.data()) + " from the server; the server saw " + request.data().length
                        + " bytes from the client's port");
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void unconnectedEndpointsTalkWithSendTo(String host) throws Exception {
        assertEquals(List.of("ping", "pong"), Aio.run(pingPong(host)));
    }

    @Async
    static Coroutine<List<String>> pingPong(String host) throws IOException {
        try (DatagramEndpoint a = await(openDatagramEndpoint(any(host), null));
                DatagramEndpoint c = await(openDatagramEndpoint(any(host), null))) {
            a.sendTo(b("ping"), c.localAddress());
            Datagram ping = await(c.receive());
            assertEquals(a.localAddress(), ping.sender());
            c.sendTo(b("pong"), ping.sender());
            Datagram pong = await(a.receive());
            return result(List.of(s(ping.data()), s(pong.data())));
        }
    }

    @Test
    void datagramsArriveWholeAndInOrderUpToTheLargestIpv4Payload() throws Exception {
        assertEquals(List.of(0, 1, 100, 1472, 65507), Aio.run(sizes()));
    }

    @Async
    static Coroutine<List<Integer>> sizes() throws IOException {
        try (DatagramEndpoint server = await(openDatagramEndpoint(any("127.0.0.1"), null));
                DatagramEndpoint client = await(openDatagramEndpoint(any("127.0.0.1"), null))) {
            int[] sizes = {0, 1, 100, 1472, 65507};
            for (int n : sizes) {
                byte[] data = new byte[n];
                for (int i = 0; i < n; i++) {
                    data[i] = (byte) (i * 7 + n);
                }
                client.sendTo(data, server.localAddress());
            }
            List<Integer> got = new ArrayList<>();
            for (int n : sizes) {
                Datagram d = await(server.receive());
                assertEquals(n, d.data().length);
                for (int i = 0; i < n; i++) {
                    if (d.data()[i] != (byte) (i * 7 + n)) {
                        fail("byte " + i + " of the " + n + "-byte datagram differs");
                    }
                }
                got.add(d.data().length);
            }
            return result(got);
        }
    }

    @Test
    void aNameGivenUnresolvedIsResolvedBeforeConnecting() throws Exception {
        assertEquals("hi", Aio.run(unresolvedRemote()));
    }

    @Async
    static Coroutine<String> unresolvedRemote() throws IOException {
        try (DatagramEndpoint server = await(openDatagramEndpoint(any("127.0.0.1"), null));
                DatagramEndpoint client = await(openDatagramEndpoint(null,
                        InetSocketAddress.createUnresolved("127.0.0.1", server.localAddress().getPort())))) {
            assertFalse(client.remoteAddress().isUnresolved());
            client.send(b("hi"));
            return result(s(await(server.receive()).data()));
        }
    }

    // ---------------------------------------------------------------- misuse

    @Test
    void sendWithoutARemoteFailsNamingTheEndpoint() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.run(sendUnconnected()));
        assertTrue(e.getMessage().startsWith("DatagramEndpoint[127.0.0.1:"), e.getMessage());
        assertTrue(e.getMessage().contains("is not connected"), e.getMessage());
    }

    @Async
    static Coroutine<Void> sendUnconnected() throws IOException {
        try (DatagramEndpoint e = await(openDatagramEndpoint(any("127.0.0.1"), null))) {
            e.send(b("x"));
        }
        return done();
    }

    @Test
    void aConnectedEndpointRefusesAnotherAddressAndTakesItsOwn() throws Exception {
        assertEquals("own", Aio.run(sendToOther()));
    }

    @Async
    static Coroutine<String> sendToOther() throws IOException {
        try (DatagramEndpoint server = await(openDatagramEndpoint(any("127.0.0.1"), null));
                DatagramEndpoint client = await(openDatagramEndpoint(null, server.localAddress()))) {
            InetSocketAddress other = new InetSocketAddress("127.0.0.1", server.localAddress().getPort() ^ 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.sendTo(b("x"), other));
            assertTrue(e.getMessage().contains("is connected to"), e.getMessage());
            client.sendTo(b("own"), server.localAddress());
            return result(s(await(server.receive()).data()));
        }
    }

    @Test
    void emptyDatagramsGoFromAnUnconnectedEndpointAndAreRefusedOnAConnectedOne() throws Exception {
        assertEquals(0, Aio.run(empty()));
    }

    @Async
    static Coroutine<Integer> empty() throws IOException {
        try (DatagramEndpoint server = await(openDatagramEndpoint(any("127.0.0.1"), null));
                DatagramEndpoint client = await(openDatagramEndpoint(any("127.0.0.1"), null));
                DatagramEndpoint connected = await(openDatagramEndpoint(null, server.localAddress()))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> connected.send(new byte[0]));
            assertTrue(e.getMessage().contains("empty datagram"), e.getMessage());
            client.sendTo(new byte[0], server.localAddress());
            return result(await(server.receive()).data().length);
        }
    }

    @Test
    void anUnresolvedAddressForSendToIsRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Aio.run(sendToUnresolved()));
    }

    @Async
    static Coroutine<Void> sendToUnresolved() throws IOException {
        try (DatagramEndpoint e = await(openDatagramEndpoint(any("127.0.0.1"), null))) {
            e.sendTo(b("x"), InetSocketAddress.createUnresolved("example.invalid", 9));
        }
        return done();
    }

    @Test
    void noAddressAtAllIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Aio.run(openDatagramEndpoint(null, null)));
        assertTrue(e.getMessage().contains("both are null"), e.getMessage());
    }

    @Test
    void addressesOfDifferentFamiliesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Aio.run(openDatagramEndpoint(any("127.0.0.1"), new InetSocketAddress("::1", 9))));
        assertTrue(e.getMessage().contains("different families"), e.getMessage());
    }

    @Test
    void aWildcardLocalAddressTakesTheRemotesFamily() throws Exception {
        assertEquals("v6", Aio.run(wildcardLocal()));
    }

    @Async
    static Coroutine<String> wildcardLocal() throws IOException {
        try (DatagramEndpoint server = await(openDatagramEndpoint(any("::1"), null));
                DatagramEndpoint client = await(openDatagramEndpoint(any("0.0.0.0"), server.localAddress()))) {
            assertTrue(client.localAddress().getAddress() instanceof Inet6Address, client.toString());
            client.send(b("v6"));
            return result(s(await(server.receive()).data()));
        }
    }

    @Test
    void aTakenPortFailsWithBindExceptionNamingTheAddress() {
        BindException e = assertThrows(BindException.class, () -> Aio.run(bindTwice()));
        assertTrue(e.getMessage().contains("127.0.0.1:"), e.getMessage());
    }

    @Async
    static Coroutine<Void> bindTwice() throws IOException {
        try (DatagramEndpoint first = await(openDatagramEndpoint(any("127.0.0.1"), null))) {
            DatagramEndpoint second = await(openDatagramEndpoint(first.localAddress(), null));
            second.close();
        }
        return done();
    }

    // ---------------------------------------------------------------- errors: CPython's error_received

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void aClosedRemotePortSurfacesAtTheNextReceiveAndTheEndpointStaysUsable(String host) throws Exception {
        assertEquals("PortUnreachableException, then PortUnreachableException while waiting, then back",
                Aio.run(portUnreachable(host)));
    }

    @Async
    static Coroutine<String> portUnreachable(String host) throws IOException {
        int port = closedPort(host);
        InetSocketAddress nobody = new InetSocketAddress(host, port);
        try (DatagramEndpoint client = await(openDatagramEndpoint(null, nobody))) {
            client.send(b("anyone?"));
            await(sleep(0.1));
            String first;
            try {
                await(client.receive());
                first = "a datagram";
            } catch (PortUnreachableException e) {
                assertTrue(e.getMessage().contains(String.valueOf(port)), e.getMessage());
                first = "PortUnreachableException";
            }
            // Now with the receive waiting before the ICMP error arrives.
            Task<Datagram> waiting = createTask(client.receive());
            await(sleep(0));
            client.send(b("anyone now?"));
            String second;
            try {
                await(waiting);
                second = "a datagram";
            } catch (Exception e) {
                // A task's await declares nothing: its failure is caught as Exception.
                second = e.getClass().getSimpleName() + " while waiting";
            }
            try (DatagramEndpoint server = await(openDatagramEndpoint(nobody, null))) {
                client.send(b("back"));
                Datagram d = await(server.receive());
                server.sendTo(d.data(), d.sender());
                return result(first + ", then " + second + ", then " + s(await(client.receive()).data()));
            }
        }
    }

    @Test
    void aFailedSendIsThrownByTheNextReceive() throws Exception {
        assertEquals("boom: /127.0.0.1:9, then still open", Aio.run(failedSend()));
    }

    @Async
    static Coroutine<String> failedSend() throws IOException {
        try (DatagramEndpoint e = await(openDatagramEndpoint(any("127.0.0.1"), null))) {
            e.send = (ch, data, to) -> {
                throw new SocketException("boom");
            };
            e.sendTo(b("x"), new InetSocketAddress("127.0.0.1", 9));
            String got;
            try {
                await(e.receive());
                got = "a datagram";
            } catch (SocketException failure) {
                got = failure.getMessage();
            }
            e.send = DatagramEndpoint.SYSTEM_SEND;
            e.sendTo(b("still open"), e.localAddress());
            return result(got + ", then " + s(await(e.receive()).data()));
        }
    }

    // ---------------------------------------------------------------- sending into a full buffer

    /** The socket's buffer is full for the first {@code full} sends, then the system call runs. */
    private static DatagramEndpoint.Send fullFor(int[] full) {
        return (ch, data, to) -> full[0]-- > 0 ? 0 : DatagramEndpoint.SYSTEM_SEND.send(ch, data, to);
    }

    @Test
    void datagramsThatFindTheBufferFullAreQueuedAndSentInOrderWhenWritable() throws Exception {
        assertEquals(List.of("one", "two", "three", "11 bytes queued, 0 dropped"), Aio.run(queuedSends()));
    }

    @Async
    static Coroutine<List<String>> queuedSends() throws IOException {
        try (DatagramEndpoint server = await(openDatagramEndpoint(any("127.0.0.1"), null));
                DatagramEndpoint client = await(openDatagramEndpoint(null, server.localAddress()))) {
            client.send = fullFor(new int[] {1});
            byte[] one = b("one");
            client.send(one);
            one[0] = 'X';   // queued as a copy
            client.send(b("two"));
            client.send(b("three"));
            String state = client.sendBufferSize() + " bytes queued, " + client.sendDrops() + " dropped";
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add(s(await(server.receive()).data()));
            }
            assertEquals(0, client.sendBufferSize());
            got.add(state);
            return result(got);
        }
    }

    @Test
    void pastTheSendBufferLimitADatagramIsDroppedAndCounted() throws Exception {
        assertEquals(1L, Aio.run(sendDrops()));
    }

    @Async
    static Coroutine<Long> sendDrops() throws IOException {
        try (DatagramEndpoint server = await(openDatagramEndpoint(any("127.0.0.1"), null));
                DatagramEndpoint client = await(openDatagramEndpoint(null, server.localAddress()))) {
            client.send = fullFor(new int[] {Integer.MAX_VALUE});
            byte[] big = new byte[60_000];
            int fit = DatagramEndpoint.SEND_BUFFER_BYTES / big.length;
            for (int i = 0; i <= fit; i++) {
                client.send(big);
            }
            assertEquals((long) fit * big.length, client.sendBufferSize());
            long drops = client.sendDrops();
            client.send = DatagramEndpoint.SYSTEM_SEND;
            return result(drops);
        }
    }

    @Test
    void closingSendsWhatIsQueuedFirst() throws Exception {
        assertEquals(List.of("a", "b"), Aio.run(closeFlushes()));
    }

    @Async
    static Coroutine<List<String>> closeFlushes() throws IOException {
        try (DatagramEndpoint server = await(openDatagramEndpoint(any("127.0.0.1"), null))) {
            DatagramEndpoint client = await(openDatagramEndpoint(null, server.localAddress()));
            client.send = fullFor(new int[] {1});
            client.send(b("a"));
            client.send(b("b"));
            // Inside @Async code this is await(client.aclose()): it returns once the queue went out.
            client.close();
            assertEquals(0, client.sendBufferSize());
            assertTrue(client.isClosing());
            return result(List.of(s(await(server.receive()).data()), s(await(server.receive()).data())));
        }
    }

    // ---------------------------------------------------------------- receiving: queue, cancellation, close

    @Test
    void datagramsWithNoReceiverWaitingAreQueuedUpToTheBoundThenTheNewestDropped() throws Exception {
        assertEquals(List.of(1024L, 76L, 0L, 1023L), Aio.run(receiveBound()));
    }

    @Async
    static Coroutine<List<Long>> receiveBound() throws IOException {
        try (DatagramEndpoint server = await(openDatagramEndpoint(any("127.0.0.1"), null));
                DatagramEndpoint client = await(openDatagramEndpoint(null, server.localAddress()))) {
            int total = DatagramEndpoint.RECEIVE_QUEUE_DATAGRAMS + 76;
            for (int i = 0; i < total; i++) {
                client.send(b(Integer.toString(i)));
                if (i % 50 == 49) {
                    // Small batches, so that the kernel's own buffer never fills and drops any.
                    await(sleep(0.005));
                }
            }
            await(sleep(0.05));
            long drops = server.receiveDrops();
            long first = Long.parseLong(s(await(server.receive()).data()));
            long last = first;
            long count = 1;
            for (int i = 1; i < DatagramEndpoint.RECEIVE_QUEUE_DATAGRAMS; i++) {
                last = Long.parseLong(s(await(server.receive()).data()));
                count++;
            }
            return result(List.of(count, drops, first, last));
        }
    }

    @Test
    void aCancelledReceiveTakesNothingAndTheNextGetsTheDatagram() throws Exception {
        assertEquals("cancelled, then the other got hello", Aio.run(cancelledReceive()));
    }

    @Async
    static Coroutine<String> cancelledReceive() throws IOException {
        try (DatagramEndpoint server = await(openDatagramEndpoint(any("127.0.0.1"), null));
                DatagramEndpoint client = await(openDatagramEndpoint(null, server.localAddress()))) {
            Task<Datagram> first = createTask(server.receive());
            Task<Datagram> second = createTask(server.receive());
            await(sleep(0));
            first.cancel();
            String how;
            try {
                await(first);
                how = "not cancelled";
            } catch (CancelledError e) {
                how = "cancelled";
            }
            client.send(b("hello"));
            return result(how + ", then the other got " + s(await(second).data()));
        }
    }

    @Test
    void closeFailsAWaitingReceiveAndLaterOnesAtOnce() throws Exception {
        assertEquals(List.of("closed while waiting", "closed", "send ignored"), Aio.run(closeWakesReceivers()));
    }

    @Async
    static Coroutine<List<String>> closeWakesReceivers() throws IOException {
        DatagramEndpoint e = await(openDatagramEndpoint(any("127.0.0.1"), null));
        Task<Datagram> waiting = createTask(e.receive());
        await(sleep(0));
        closeOutsideAsync(e);
        List<String> r = new ArrayList<>();
        try {
            await(waiting);
            r.add("a datagram");
        } catch (Exception s) {
            assertEquals(SocketException.class, s.getClass());
            assertTrue(s.getMessage().startsWith("DatagramEndpoint[127.0.0.1:"), s.getMessage());
            assertTrue(s.getMessage().endsWith("is closed"), s.getMessage());
            r.add("closed while waiting");
        }
        try {
            await(e.receive());
            r.add("a datagram");
        } catch (SocketException s) {
            r.add("closed");
        }
        e.sendTo(b("x"), new InetSocketAddress("127.0.0.1", 9));
        r.add("send ignored");
        return result(r);
    }

    /** Plain Java: {@code close()} starts closing and returns. */
    private static void closeOutsideAsync(DatagramEndpoint e) {
        e.close();
        assertTrue(e.isClosing());
    }

    @Test
    void aClosedEndpointsPortIsFreeAtOnce() throws Exception {
        assertEquals("rebound", Aio.run(rebind()));
    }

    @Async
    static Coroutine<String> rebind() throws IOException {
        InetSocketAddress at;
        try (DatagramEndpoint e = await(openDatagramEndpoint(any("127.0.0.1"), null))) {
            at = e.localAddress();
        }
        try (DatagramEndpoint again = await(openDatagramEndpoint(at, null))) {
            assertEquals(at, again.localAddress());
        }
        return result("rebound");
    }

    @Test
    void anEndpointIsForItsLoopsThread() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.run(fromAnotherThread()));
        assertTrue(e.getMessage().contains("DatagramEndpoint.sendTo"), e.getMessage());
    }

    @Async
    static Coroutine<Void> fromAnotherThread() throws Exception {
        try (DatagramEndpoint e = await(openDatagramEndpoint(any("127.0.0.1"), null))) {
            await(Aio.toThread(() -> {
                e.sendTo(b("x"), e.localAddress());
                return null;
            }));
        }
        return done();
    }

    @Test
    void datagramsEqualByContent() {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 5);
        assertEquals(new Datagram(b("x"), a), new Datagram(b("x"), a));
        assertEquals(new Datagram(b("x"), a).hashCode(), new Datagram(b("x"), a).hashCode());
        assertFalse(new Datagram(b("x"), a).equals(new Datagram(b("y"), a)));
        assertEquals("Datagram[1 bytes from 127.0.0.1:5]", new Datagram(b("x"), a).toString());
        assertArrayEquals(b("x"), new Datagram(b("x"), a).data());
    }
}
