package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.openConnection;
import static dev.weft.runtime.Aio.openUnixConnection;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Aio.startServer;
import static dev.weft.runtime.Aio.startUnixServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Servers as CPython's {@code test_server.py} has them: serving, closing, waiting, the socket file. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServerTest {
    @TempDir
    Path dir;

    @Test
    void serveForeverEndsByCancellationClosingTheServerAndRefusesASecondCall() throws Exception {
        assertEquals("cancelled|closed|refused|1", Aio.run(serveForever()));
    }

    @Async
    static Coroutine<String> serveForever() throws IOException {
        Server server = await(startServer(StreamsTest::echoLine, "127.0.0.1", 0));
        Task<Void> serving = createTask(server.serveForever());
        await(sleep(0));
        String second;
        try {
            await(server.serveForever());
            second = "second call served";
        } catch (IllegalStateException e) {
            second = "refused";
        }
        String echoed = await(StreamsTest.ask(server.localAddress().getPort(), "x\n"));
        serving.cancel();
        String how;
        try {
            await(serving);
            how = "returned";
        } catch (CancelledError e) {
            how = "cancelled";
        }
        String state = server.isServing() ? "serving" : "closed";
        assertTrue(server.addresses().isEmpty());
        try {
            await(server.serveForever());
            throw new AssertionError("serveForever on a closed server");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
        return result(how + "|" + state + "|" + second + "|" + (echoed.equals("x\n") ? 1 : 0));
    }

    @Test
    void aTakenPortFailsWithBindExceptionNamingTheAddress() {
        BindException e = assertThrows(BindException.class, () -> Aio.run(bindTwice()));
        assertTrue(e.getCause() instanceof BindException, String.valueOf(e.getCause()));
        assertTrue(e.getMessage().matches(Pattern.quote(e.getCause().getMessage()) + ": 127\\.0\\.0\\.1:\\d+"),
                e.getMessage());
    }

    @Async
    static Coroutine<Void> bindTwice() throws IOException {
        try (Server first = await(startServer(StreamsTest::echoLine, "127.0.0.1", 0))) {
            Server second = await(startServer(StreamsTest::echoLine, "127.0.0.1", first.localAddress().getPort()));
            second.close();
        }
        return done();
    }

    @Test
    void closeCancelsServeForeverInItsTask() throws Exception {
        assertEquals("cancelled", Aio.run(closeEndsServeForever()));
    }

    @Async
    static Coroutine<String> closeEndsServeForever() throws IOException {
        Server server = await(startServer(StreamsTest::echoLine, "127.0.0.1", 0));
        Task<Void> serving = createTask(server.serveForever());
        await(sleep(0));
        server.close();
        try {
            await(serving);
            return result("returned");
        } catch (CancelledError e) {
            return result("cancelled");
        }
    }

    @Test
    void waitClosedWaitsWhileNotClosedAndWhileConnectionsLiveThenReturnsAtOnce() throws Exception {
        assertEquals("open|open|open|all done|at once", Aio.run(waitClosedBasic()));
    }

    @Async
    static Coroutine<String> waitClosedBasic() throws IOException {
        ConnectionHandler serve = ServerTest::readToEndThenClose;
        Server srv = await(startServer(serve, "127.0.0.1", 0));
        StringBuilder sb = new StringBuilder();
        Task<Void> t1 = createTask(srv.waitClosed());
        await(sleep(0));
        sb.append(t1.isDone() ? "done" : "open");
        Connection c = await(openConnection("127.0.0.1", srv.localAddress().getPort()));
        Task<Void> t2 = createTask(srv.waitClosed());
        await(sleep(0.01));
        sb.append('|').append(t1.isDone() || t2.isDone() ? "done" : "open");
        srv.close();
        await(sleep(0));
        Task<Void> t3 = createTask(srv.waitClosed());
        await(sleep(0.01));
        sb.append('|').append(t1.isDone() || t2.isDone() || t3.isDone() ? "done" : "open");
        await(c.aclose());
        await(t1);
        await(t2);
        await(t3);
        sb.append("|all done");
        Task<Void> t4 = createTask(srv.waitClosed());
        await(sleep(0));
        sb.append('|').append(t4.isDone() ? "at once" : "waits");
        return result(sb.toString());
    }

    @Async
    static Coroutine<Void> readToEndThenClose(StreamReader r, StreamWriter w) throws IOException {
        try {
            await(r.read(-1));
        } finally {
            await(w.aclose());
        }
        return done();
    }

    @Test
    void closingTheServerAndTheClientInTheSameIterationStillEndsWaitClosed() throws Exception {
        assertEquals(Boolean.TRUE, Aio.run(waitClosedRace()));
    }

    @Async
    static Coroutine<Boolean> waitClosedRace() throws IOException {
        ConnectionHandler serve = ServerTest::readToEndThenClose;
        Server srv = await(startServer(serve, "127.0.0.1", 0));
        Task<Void> waiting = createTask(srv.waitClosed());
        await(sleep(0));
        Connection c = await(openConnection("127.0.0.1", srv.localAddress().getPort()));
        await(sleep(0.01));
        srv.close();
        StreamWriterTest.startClosing(c.writer());
        await(srv.waitClosed());
        await(waiting);
        return result(true);
    }

    @Test
    void afterCloseANewConnectionIsRefusedAtOnceWhileALiveOneGoesOn() throws Exception {
        assertEquals("refused|still echoing\n", Aio.run(closeKeepsLiveConnections()));
    }

    @Async
    static Coroutine<String> closeKeepsLiveConnections() throws IOException {
        Server srv = await(startServer(StreamsTest::echoUntilEof, "127.0.0.1", 0));
        int port = srv.localAddress().getPort();
        Connection live = await(openConnection("127.0.0.1", port));
        await(sleep(0.01));
        assertEquals(1, srv.activeConnections());
        srv.close();
        String refused;
        try {
            await(openConnection("127.0.0.1", port));
            refused = "connected";
        } catch (ConnectException e) {
            refused = "refused";
        }
        live.writer().write("still echoing\n".getBytes());
        String echo = new String(await(live.reader().readLine()));
        await(live.aclose());
        await(srv.waitClosed());
        assertEquals(0, srv.activeConnections());
        return result(refused + "|" + echo);
    }

    @Test
    void aHandlerThatIsCancelledClosesItsConnection() throws Exception {
        assertEquals("eof|0", Aio.run(cancelledHandler()));
    }

    @Async
    static Coroutine<String> cancelledHandler() throws IOException {
        Future<Task<?>> handler = Aio.getRunningLoop().createFuture();
        ConnectionHandler h = (r, w) -> waitForever(handler);
        try (Server srv = await(startServer(h, "127.0.0.1", 0))) {
            Connection c = await(openConnection("127.0.0.1", srv.localAddress().getPort()));
            Task<?> t = await(handler);
            t.cancel();
            byte[] end = await(c.reader().read(10));
            await(c.aclose());
            while (srv.activeConnections() > 0) {
                await(sleep(0.001));
            }
            return result((end.length == 0 ? "eof" : "data") + "|" + srv.activeConnections());
        }
    }

    @Async
    static Coroutine<Void> waitForever(Future<Task<?>> handler) {
        handler.setResult(Aio.currentTask());
        await(Aio.getRunningLoop().createFuture());
        return done();
    }

    @Test
    void aFailingHandlerIsReportedAndTheOthersGoOn() throws Exception {
        List<String> reported = new ArrayList<>();
        assertEquals("eof|ok\n|ok\n", Aio.run(failingHandlers(reported)));
        assertEquals(List.of("boom"), reported);
    }

    @Async
    static Coroutine<String> failingHandlers(List<String> reported) throws IOException {
        Aio.getRunningLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx.exception().getMessage()));
        try (Server srv = await(startServer(StreamsTest::failOnBoom, "127.0.0.1", 0))) {
            int port = srv.localAddress().getPort();
            Connection good = await(openConnection("127.0.0.1", port));
            Connection bad = await(openConnection("127.0.0.1", port));
            bad.writer().write("boom\n".getBytes());
            byte[] end = await(bad.reader().read(10));
            good.writer().write("ok\n".getBytes());
            String a = new String(await(good.reader().readLine()));
            String b = await(StreamsTest.ask(port, "ok\n"));
            await(good.aclose());
            await(bad.aclose());
            return result((end.length == 0 ? "eof" : "data") + "|" + a + "|" + b);
        }
    }

    @Test
    void aUnixServerRemovesAStaleSocketFileButNotAnotherKindOfFile() throws Exception {
        Path regular = dir.resolve("regular");
        Files.writeString(regular, "keep me");
        assertThrows(IOException.class, () -> Aio.run(unixServerAt(regular)));
        assertEquals("keep me", Files.readString(regular));

        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mk.waitFor());
        assertThrows(IOException.class, () -> Aio.run(unixServerAt(fifo)));
        assertTrue(Files.exists(fifo), "a FIFO in the way is not deleted");

        Path stale = dir.resolve("stale.sock");
        // A server that is never closed leaves its socket file behind.
        Aio.run(unixServerLeftOpen(stale));
        assertTrue(Files.exists(stale));
        assertEquals("over unix\n", Aio.run(unixServerAt(stale)));
        assertFalse(Files.exists(stale), "the file goes with the server");
    }

    @Async
    static Coroutine<String> unixServerAt(Path path) throws IOException {
        try (Server srv = await(startUnixServer(StreamsTest::echoLine, path))) {
            try (Connection c = await(openUnixConnection(path))) {
                c.writer().write("over unix\n".getBytes());
                return result(new String(await(c.reader().readLine())));
            }
        }
    }

    @Async
    static Coroutine<Void> unixServerLeftOpen(Path path) throws IOException {
        await(startUnixServer(StreamsTest::echoLine, path));
        return done();
    }

    @Test
    void aUnixServerLeavesAFileThatReplacedItsOwn() throws Exception {
        Path p = dir.resolve("replaced.sock");
        assertTrue(Aio.run(replaced(p)));
        assertEquals("someone else's", Files.readString(p));
    }

    @Async
    static Coroutine<Boolean> replaced(Path path) throws IOException {
        Server srv = await(startUnixServer(StreamsTest::echoLine, path));
        Files.delete(path);
        Files.writeString(path, "someone else's");
        srv.close();
        return result(Files.exists(path));
    }
}
