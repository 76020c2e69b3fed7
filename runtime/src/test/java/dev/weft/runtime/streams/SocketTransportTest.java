package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.openConnection;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Aio.startServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TCP transport under faults and load: a peer that resets, the end of the stream, closing with
 * and without buffered bytes, and no descriptor left behind.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketTransportTest {
    /**
     * Descriptors the JDK may open on first use and keep (a cached {@code /dev/urandom} or jar
     * file, say) while a test runs. A leak of even one descriptor per connection would be
     * thousands, so a small allowance hides none.
     */
    private static final int JDK_SLACK = 4;

    @Test
    void aPeerThatResetsMidReadFailsThePendingReadWithAnIOException() throws Exception {
        assertEquals("SocketException", Aio.run(resetMidRead()));
    }

    @Async
    static Coroutine<String> resetMidRead() throws IOException {
        try (ServerSocketChannel l = Peers.listener()) {
            Peers.Pair p = await(Peers.connect(l));
            Task<byte[]> line = createTask(p.client().reader().readLine());
            p.peer().write(ByteBuffer.wrap("half a li".getBytes()));
            await(sleep(0.05));
            assertFalse(line.isDone(), "no newline yet");
            Peers.reset(p.peer());
            try {
                await(line);
                return result("the read returned");
            } catch (Exception e) {
                assertTrue(e instanceof IOException, e.toString());
                assertTrue(e.getMessage().contains("127.0.0.1"), "names the peer: " + e.getMessage());
                assertTrue(p.client().writer().isClosing());
                return result(e.getClass().getSimpleName());
            } finally {
                p.client().close();
            }
        }
    }

    @Test
    void aPeerThatResetsFailsEveryLaterReadAndWaitClosedButNotAclose() throws Exception {
        assertEquals("read failed|waitClosed failed|closed", Aio.run(resetThenRead()));
    }

    @Async
    static Coroutine<String> resetThenRead() throws IOException {
        try (ServerSocketChannel l = Peers.listener()) {
            Peers.Pair p = await(Peers.connect(l));
            Task<byte[]> pending = createTask(p.client().reader().read(10));
            await(sleep(0));
            Peers.reset(p.peer());
            StringBuilder sb = new StringBuilder();
            try {
                await(pending);
            } catch (Exception e) {
                sb.append(e instanceof IOException ? "read failed" : e.toString());
            }
            try {
                await(p.client().writer().waitClosed());
            } catch (IOException e) {
                sb.append("|waitClosed failed");
            }
            await(p.client().aclose());
            return result(sb.append("|closed").toString());
        }
    }

    @Test
    void thePeersEndOfStreamEndsTheReaderAndWritingGoesOnUntilClosed() throws Exception {
        assertEquals("rest|true|late answer", Aio.run(peerHalfCloses()));
    }

    @Async
    static Coroutine<String> peerHalfCloses() throws IOException {
        try (ServerSocketChannel l = Peers.listener()) {
            Peers.Pair p = await(Peers.connect(l));
            p.peer().write(ByteBuffer.wrap("rest".getBytes()));
            p.peer().shutdownOutput();
            String got = new String(await(p.client().reader().read(-1)));
            boolean eof = p.client().reader().atEof();
            p.client().writer().write("late answer".getBytes());
            StreamWriterTest.startClosing(p.client().writer());
            StringBuilder answer = new StringBuilder();
            while (true) {
                byte[] part = await(getRunningLoop().sockRecv(p.peer(), 100));
                if (part.length == 0) {
                    break;
                }
                answer.append(new String(part));
            }
            p.peer().close();
            return result(got + "|" + eof + "|" + answer);
        }
    }

    @Test
    void abortDropsTheBufferedBytesAndEndsTheStreamAtOnce() throws Exception {
        assertEquals("lost|eof", Aio.run(abortWithBuffered()));
    }

    @Async
    static Coroutine<String> abortWithBuffered() throws IOException {
        try (ServerSocketChannel l = Peers.listener()) {
            Peers.Pair p = await(Peers.connect(l));
            Transport t = p.client().writer().transport();
            // The kernel takes megabytes on loopback before the transport has to keep any.
            for (int i = 0; i < 4096 && t.getWriteBufferSize() == 0; i++) {
                t.write(new byte[16 * 1024]);
            }
            assertTrue(t.getWriteBufferSize() > 0, "the peer reads nothing: bytes wait");
            t.abort();
            assertEquals(0, t.getWriteBufferSize());
            assertTrue(t.isClosing());
            await(p.client().writer().waitClosed());
            String end = p.client().reader().atEof() ? "eof" : "open";
            p.peer().close();
            return result("lost|" + end);
        }
    }

    @Test
    void aLoopClosedWithAServerAndConnectionsStillOpenLeaksNoDescriptor() throws Exception {
        Aio.run(leaveOpen(5));
        int before = Peers.openDescriptors();
        Aio.run(leaveOpen(20));
        int after = Peers.openDescriptors();
        assertTrue(after <= before + JDK_SLACK, "descriptors before " + before + ", after " + after);
    }

    /** Starts a server and {@code n} connections to it, each with a line in flight, and returns with all open. */
    @Async
    static Coroutine<Void> leaveOpen(int n) throws IOException {
        ConnectionHandler idle = (r, w) -> readForever(r);
        Server server = await(startServer(idle, "127.0.0.1", 0));
        for (int i = 0; i < n; i++) {
            Connection c = await(openConnection("127.0.0.1", server.localAddress().getPort()));
            c.writer().write("left open\n".getBytes());
        }
        await(sleep(0.02));
        assertEquals(n, server.activeConnections());
        return done();
    }

    @Async
    static Coroutine<Void> readForever(StreamReader r) throws IOException {
        while (await(r.readLine()).length > 0) {
            // Reads until the loop goes away.
        }
        return done();
    }

    @Test
    void tenThousandConnectionsOpenedAndClosedLeaveTheDescriptorCountWhereItWas() throws Exception {
        Aio.run(churn(200, 100));
        int before = Peers.openDescriptors();
        assertEquals(10_000, Aio.run(churn(10_000, 250)).intValue());
        int after = Peers.openDescriptors();
        assertTrue(after <= before + JDK_SLACK, "descriptors before " + before + ", after " + after);
    }

    /**
     * Opens and closes {@code total} connections to one server in batches of {@code batch} at once,
     * each echoing a line; checks the descriptors after each batch and returns how many echoed.
     */
    @Async
    static Coroutine<Integer> churn(int total, int batch) throws IOException {
        int base = Peers.openDescriptors();
        int ok = 0;
        // A backlog above the batch: connects dropped by a full accept queue come again only after a second.
        StreamOptions options = StreamOptions.defaults().backlog(2 * batch);
        try (Server server = await(startServer(StreamsTest::echoLine, "127.0.0.1", 0, options))) {
            int port = server.localAddress().getPort();
            for (int done = 0; done < total; done += batch) {
                List<Coroutine<String>> round = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    round.add(StreamsTest.ask(port, "n" + (done + i) + "\n"));
                }
                List<String> answers = await(gather(new ArrayList<>(round)));
                for (int i = 0; i < batch; i++) {
                    if (answers.get(i).equals("n" + (done + i) + "\n")) {
                        ok++;
                    }
                }
                while (server.activeConnections() > 0) {
                    await(sleep(0.001));
                }
                int now = Peers.openDescriptors();
                assertTrue(now <= base + 2 + JDK_SLACK, "after " + (done + batch) + " connections: " + now
                        + " descriptors, " + base + " at the start");
            }
        }
        return result(ok);
    }
}
