package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The protocol level under the streams: asyncio's Protocol and Transport callbacks, in their order. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProtocolApiTest {
    private static String s(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new String(a, US_ASCII);
    }

    /** Records every callback; completes {@code lost} at connectionLost. */
    static class Recorder implements Protocol {
        final List<String> log = new ArrayList<>();
        final StringBuilder data = new StringBuilder();
        Transport transport;
        Future<Void> lost;
        Future<Void> eof;
        boolean keepOpenAtEof;

        Recorder(EventLoop loop) {
            lost = loop.createFuture();
            eof = loop.createFuture();
        }

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            log.add("made");
        }

        @Override
        public void dataReceived(ByteBuffer b) {
            data.append(s(b));
        }

        @Override
        public boolean eofReceived() {
            log.add("eof");
            eof.setResult(null);
            return keepOpenAtEof;
        }

        @Override
        public void connectionLost(Exception failure) {
            log.add("lost " + failure);
            lost.setResult(null);
        }

        @Override
        public void pauseWriting() {
            log.add("pause");
        }

        @Override
        public void resumeWriting() {
            log.add("resume");
        }
    }

    /** Echoes what it gets, three writes per read. */
    static final class ThreeTimes implements Protocol {
        Transport transport;
        final List<Long> bufferedAfterWrites = new ArrayList<>();

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer b) {
            String got = s(b);
            transport.write((got + "1").getBytes(US_ASCII));
            transport.write((got + "2").getBytes(US_ASCII));
            transport.write((got + "3").getBytes(US_ASCII));
            bufferedAfterWrites.add(transport.getWriteBufferSize());
        }
    }

    @Test
    void writesOfOneTurnWaitForTheEndOfTheTurnAndGoOutTogether() throws Exception {
        assertEquals("x1x2x3|6", Aio.run(threeWrites()));
    }

    @Async
    static Coroutine<String> threeWrites() throws IOException {
        EventLoop loop = getRunningLoop();
        List<ThreeTimes> servers = new ArrayList<>();
        try (Server server = await(loop.createServer(() -> {
            ThreeTimes t = new ThreeTimes();
            servers.add(t);
            return t;
        }, "127.0.0.1", 0))) {
            Recorder client = new Recorder(loop);
            Transport t = await(loop.createConnection(() -> client, "127.0.0.1", server.localAddress().getPort()));
            t.write("x".getBytes(US_ASCII));
            while (client.data.length() < 6) {
                await(sleep(0.01));
            }
            t.close();
            await(client.lost);
            // All three writes were still buffered after the callback: they went out after it, together.
            return result(client.data + "|" + servers.get(0).bufferedAfterWrites.get(0));
        }
    }

    @Test
    void callbacksComeInCPythonsOrderAndConnectionLostOnceWithNullOnClose() throws Exception {
        assertEquals(List.of("made", "eof", "lost null"), Aio.run(order()));
    }

    @Async
    static Coroutine<List<String>> order() throws IOException {
        EventLoop loop = getRunningLoop();
        try (Server server = await(loop.createServer(() -> new Protocol() {
            private Transport t;

            @Override
            public void connectionMade(Transport transport) {
                t = transport;
                t.write("bye".getBytes(US_ASCII));
                t.close();
            }
        }, "127.0.0.1", 0))) {
            Recorder client = new Recorder(loop);
            await(loop.createConnection(() -> client, "127.0.0.1", server.localAddress().getPort()));
            await(client.lost);
            await(sleep(0.05));
            assertEquals("bye", client.data.toString());
            return result(client.log);
        }
    }

    @Test
    void eofReceivedReturningTrueKeepsTheConnectionOpenForAnAnswer() throws Exception {
        assertEquals("question?answer!", Aio.run(halfOpen()));
    }

    @Async
    static Coroutine<String> halfOpen() throws IOException {
        EventLoop loop = getRunningLoop();
        try (Server server = await(loop.createServer(() -> new Protocol() {
            private Transport t;
            private final StringBuilder got = new StringBuilder();

            @Override
            public void connectionMade(Transport transport) {
                t = transport;
            }

            @Override
            public void dataReceived(ByteBuffer data) {
                got.append(s(data));
            }

            @Override
            public boolean eofReceived() {
                t.write((got + "answer!").getBytes(US_ASCII));
                t.close();
                return true;
            }
        }, "127.0.0.1", 0))) {
            Recorder client = new Recorder(loop);
            Transport t = await(loop.createConnection(() -> client, "127.0.0.1", server.localAddress().getPort()));
            assertTrue(t.canWriteEof());
            t.write("question?".getBytes(US_ASCII));
            t.writeEof();
            await(client.lost);
            return result(client.data.toString());
        }
    }

    @Test
    void pausedReadingHoldsTheDataBackUntilResumed() throws Exception {
        assertEquals("|hello", Aio.run(pausedReading()));
    }

    @Async
    static Coroutine<String> pausedReading() throws IOException {
        EventLoop loop = getRunningLoop();
        List<Recorder> servers = new ArrayList<>();
        try (Server server = await(loop.createServer(() -> {
            Recorder r = new Recorder(loop) {
                @Override
                public void connectionMade(Transport t) {
                    super.connectionMade(t);
                    t.pauseReading();
                }
            };
            servers.add(r);
            return r;
        }, "127.0.0.1", 0))) {
            Recorder client = new Recorder(loop);
            Transport t = await(loop.createConnection(() -> client, "127.0.0.1", server.localAddress().getPort()));
            t.write("hello".getBytes(US_ASCII));
            await(sleep(0.1));
            Recorder r = servers.get(0);
            String before = r.data.toString();
            assertFalse(r.transport.isReading());
            r.transport.resumeReading();
            assertTrue(r.transport.isReading());
            while (r.data.length() < 5) {
                await(sleep(0.01));
            }
            t.close();
            return result(before + "|" + r.data);
        }
    }

    @Test
    void aPeerThatReadsNothingPausesWritingPastTheHighWaterMark() throws Exception {
        assertEquals(List.of("made", "pause"), Aio.run(pauseWriting()));
    }

    @Async
    static Coroutine<List<String>> pauseWriting() throws IOException {
        EventLoop loop = getRunningLoop();
        try (Server server = await(loop.createServer(() -> new Protocol() {
            @Override
            public void connectionMade(Transport t) {
                t.pauseReading();   // never reads
            }
        }, "127.0.0.1", 0))) {
            Recorder client = new Recorder(loop);
            Transport t = await(loop.createConnection(() -> client, "127.0.0.1", server.localAddress().getPort()));
            t.setWriteBufferLimits(1024, 256);
            byte[] block = new byte[64 * 1024];
            // The kernel's buffers take some megabytes; past them the transport's own buffer grows.
            for (int i = 0; i < 400 && !client.log.contains("pause"); i++) {
                t.write(block);
                await(sleep(0));
            }
            assertTrue(t.getWriteBufferSize() > 1024);
            t.abort();
            await(client.lost);
            assertEquals(0, t.getWriteBufferSize(), "abort drops the buffer");
            List<String> log = new ArrayList<>(client.log);
            log.remove(log.size() - 1);
            return result(log);
        }
    }

    @Test
    void aProtocolThatThrowsInDataReceivedLosesItsConnectionWithThatFailure() throws Exception {
        assertEquals("lost java.lang.IllegalStateException: bad data", Aio.run(throwingProtocol()));
    }

    @Async
    static Coroutine<String> throwingProtocol() throws IOException {
        EventLoop loop = getRunningLoop();
        List<String> reported = new ArrayList<>();
        loop.setExceptionHandler((l, ctx) -> reported.add(ctx.message()));
        List<Recorder> servers = new ArrayList<>();
        try (Server server = await(loop.createServer(() -> {
            Recorder r = new Recorder(loop) {
                @Override
                public void dataReceived(ByteBuffer b) {
                    throw new IllegalStateException("bad data");
                }
            };
            servers.add(r);
            return r;
        }, "127.0.0.1", 0))) {
            Recorder client = new Recorder(loop);
            Transport t = await(loop.createConnection(() -> client, "127.0.0.1", server.localAddress().getPort()));
            t.write("x".getBytes(US_ASCII));
            await(client.lost);
            Recorder r = servers.get(0);
            await(r.lost);
            assertEquals(1, reported.size(), reported.toString());
            assertNull(t.protocol() == client ? null : "other");
            return result(r.log.get(r.log.size() - 1));
        }
    }
}
