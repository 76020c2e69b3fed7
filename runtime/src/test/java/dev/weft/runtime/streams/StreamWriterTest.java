package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The writer's flow control against real peers: {@code drain} over the high-water mark, a peer that
 * reads nothing, a peer that resets, and writing after close.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamWriterTest {
    private static final int WRITE = 16 * 1024;

    /** The most a writer held, and how many bytes it wrote before its drain had to wait. */
    static final class Fill {
        long most;
        long written;
        final Future<Void> waiting;

        Fill(EventLoop loop) {
            waiting = loop.createFuture();
        }
    }

    /**
     * Writes {@code total} bytes in {@link #WRITE}-byte writes, each followed by a drain, noting the
     * most the transport held; completes {@code fill.waiting} when a drain has to wait.
     */
    @Async
    static Coroutine<Void> writeAll(StreamWriter w, long total, Fill fill) throws IOException {
        byte[] chunk = new byte[WRITE];
        for (long sent = 0; sent < total; sent += WRITE) {
            for (int i = 0; i < WRITE; i++) {
                chunk[i] = (byte) ((sent + i) % 251);
            }
            w.write(chunk);
            fill.written += WRITE;
            fill.most = Math.max(fill.most, w.transport().getWriteBufferSize());
            if (w.transport().getWriteBufferSize() > SocketTransport.DEFAULT_HIGH && !fill.waiting.isDone()) {
                fill.waiting.setResult(null);
            }
            await(w.drain());
        }
        return done();
    }

    /** Python's {@code writer.close()}: outside {@code @Async} code it starts closing and does not wait. */
    static void startClosing(StreamWriter w) {
        w.close();
    }

    @Test
    void drainWaitsForAPeerThatReadsNothingAndTheWriterHoldsAtMostTheHighWaterMarkAndOneWrite() throws Exception {
        long[] r = Aio.run(nonReadingPeer(8L << 20));
        long most = r[0];
        assertTrue(most > SocketTransport.DEFAULT_HIGH, "the writer went over the high-water mark: " + most);
        assertTrue(most <= SocketTransport.DEFAULT_HIGH + WRITE, "held " + most + " bytes");
        assertEquals(8L << 20, r[1], "every byte reached the peer once it read");
        assertEquals(1, r[2], "the checksum of what arrived");
    }

    @Async
    static Coroutine<long[]> nonReadingPeer(long total) throws IOException {
        try (ServerSocketChannel l = Peers.listener()) {
            Peers.Pair p = await(Peers.connect(l));
            Fill fill = new Fill(getRunningLoop());
            Task<Void> writer = createTask(writeAll(p.client().writer(), total, fill));
            await(fill.waiting);
            long before = fill.written;
            for (int i = 0; i < 20; i++) {
                await(sleep(0));
            }
            assertFalse(writer.isDone(), "drain waits while the peer reads nothing");
            assertEquals(before, fill.written, "no write got past the waiting drain");
            // Now the peer reads: the drain completes and the writer finishes.
            long got = 0;
            boolean intact = true;
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (got < total) {
                buf.clear();
                int n = await(getRunningLoop().sockRecvInto(p.peer(), buf));
                if (n == 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    intact &= buf.get(i) == (byte) ((got + i) % 251);
                }
                got += n;
            }
            await(writer);
            p.client().close();
            p.peer().close();
            return result(new long[] {fill.most, got, intact ? 1 : 0});
        }
    }

    @Test
    void aDrainWaitingOnAPeerThatResetsIsWokenWithTheIOException() throws Exception {
        assertEquals("IOException", Aio.run(resetWhileDraining()));
    }

    @Async
    static Coroutine<String> resetWhileDraining() throws IOException {
        try (ServerSocketChannel l = Peers.listener()) {
            Peers.Pair p = await(Peers.connect(l));
            Fill fill = new Fill(getRunningLoop());
            Task<Void> writer = createTask(writeAll(p.client().writer(), Long.MAX_VALUE / 2, fill));
            await(fill.waiting);
            await(sleep(0));
            assertFalse(writer.isDone());
            Peers.reset(p.peer());
            try {
                await(writer);
                return result("the drain returned");
            } catch (Exception e) {
                assertTrue(e instanceof IOException, e.toString());
                assertTrue(e.getMessage().contains("127.0.0.1"), "names the peer: " + e.getMessage());
                // The JDK's own: a SocketException ("Connection reset") or an IOException ("Broken pipe").
                return result("IOException");
            } finally {
                p.client().close();
            }
        }
    }

    @Test
    void afterCloseAWriteIsIgnoredAndDrainFails() throws Exception {
        assertEquals("ignored|drain failed|hello", Aio.run(writeAfterClose()));
    }

    @Async
    static Coroutine<String> writeAfterClose() throws IOException {
        try (ServerSocketChannel l = Peers.listener()) {
            Peers.Pair p = await(Peers.connect(l));
            StreamWriter w = p.client().writer();
            w.write("hello".getBytes());
            startClosing(w);
            assertTrue(w.isClosing());
            w.write("ignored".getBytes());
            String wrote = w.transport().getWriteBufferSize() <= 5 ? "ignored" : "buffered";
            String drained;
            try {
                await(w.drain());
                drained = "drain returned";
            } catch (SocketException e) {
                drained = "drain failed";
            }
            await(w.waitClosed());
            byte[] all = new byte[0];
            while (true) {
                byte[] part = await(getRunningLoop().sockRecv(p.peer(), 100));
                if (part.length == 0) {
                    break;
                }
                byte[] more = java.util.Arrays.copyOf(all, all.length + part.length);
                System.arraycopy(part, 0, more, all.length, part.length);
                all = more;
            }
            p.peer().close();
            return result(wrote + "|" + drained + "|" + new String(all));
        }
    }

    @Test
    void drainBelowTheHighWaterMarkReturnsAtOnce() throws Exception {
        assertEquals(Boolean.TRUE, Aio.run(drainAtOnce()));
    }

    @Async
    static Coroutine<Boolean> drainAtOnce() throws IOException {
        try (ServerSocketChannel l = Peers.listener()) {
            Peers.Pair p = await(Peers.connect(l));
            p.client().writer().write(new byte[100]);
            Coroutine<Void> d = p.client().writer().drain();
            Task<Void> t = createTask(d);
            await(sleep(0));
            boolean doneAtOnce = t.isDone();
            p.client().close();
            SocketChannel peer = p.peer();
            peer.close();
            return result(doneAtOnce);
        }
    }

    @Test
    void closeWithBufferedBytesSendsThemAllBeforeTheEnd() throws Exception {
        assertEquals(1 << 20, Aio.run(closeWithBuffered()).intValue());
    }

    @Async
    static Coroutine<Integer> closeWithBuffered() throws IOException {
        try (ServerSocketChannel l = Peers.listener()) {
            Peers.Pair p = await(Peers.connect(l));
            StreamWriter w = p.client().writer();
            for (int i = 0; i < 64; i++) {
                w.write(new byte[WRITE]);
            }
            startClosing(w);
            int got = 0;
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (true) {
                buf.clear();
                int n = await(getRunningLoop().sockRecvInto(p.peer(), buf));
                if (n == 0) {
                    break;
                }
                got += n;
            }
            await(w.waitClosed());
            p.peer().close();
            return result(got);
        }
    }
}
