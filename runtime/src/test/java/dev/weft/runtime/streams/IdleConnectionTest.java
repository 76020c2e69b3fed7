package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Clock;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an idle connection is made of, kept honest: the server's protocol that is its handler
 * task's root coroutine (and its debug-mode stand-in), the hand-written reads with their waits,
 * their task stacks, and a read that cannot park.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IdleConnectionTest {
    private static byte[] b(String s) {
        return s.getBytes(US_ASCII);
    }

    // ------------------------------------------------------------ 1: debug mode, handler cancelled before its first step

    @Test
    void aHandlerTaskCancelledBeforeItsFirstStepIsNotReportedAsNeverAwaited() throws Exception {
        cancelledBeforeItsFirstStep(true);
    }

    /** Without debug mode the server's protocol is the task's root: its done callback closes the connection. */
    @Test
    void aHandlerTaskCancelledBeforeItsFirstStepClosesItsConnection() throws Exception {
        cancelledBeforeItsFirstStep(false);
    }

    private static void cancelledBeforeItsFirstStep(boolean debug) throws Exception {
        EventLoop loop = new EventLoop();
        loop.setDebug(debug);
        List<String> reports = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> reports.add(c.message()));
        ConnectionHandler h = (r, w) -> {
            EventLoop l = Aio.getRunningLoop();
            // Runs before the handler task's first step (it is scheduled after this).
            l.callSoon(() -> {
                for (Task<?> t : l.allTasks()) {
                    if (t.getName().startsWith("connection")) {
                        t.cancel();
                    }
                }
            });
            return serve(r, w);
        };
        loop.runUntilComplete(loop.createTask(connectOnce(h), "main"));
        loop.close();
        List<String> neverAwaited = reports.stream().filter(m -> m.contains("never awaited")).toList();
        assertEquals(List.of(), neverAwaited, "all reports: " + reports);
    }

    @Async
    static Coroutine<Void> serve(StreamReader r, StreamWriter w) throws IOException {
        await(r.readLine());
        return done();
    }

    @Async
    static Coroutine<Void> connectOnce(ConnectionHandler h) throws IOException {
        try (Server server = await(Aio.startServer(h, "127.0.0.1", 0))) {
            try (Connection c = await(Aio.openConnection("127.0.0.1", server.localAddress().getPort()))) {
                // The cancelled handler task closes the connection: the client sees the end.
                byte[] rest = await(c.reader().read(-1));
                assertEquals(0, rest.length);
            }
        }
        return done();
    }

    // ------------------------------------------------------------ 2: a read whose await fails at once leaves its waiter behind

    @Test
    void aReadThatCannotParkLeavesTheReaderUsable() throws Exception {
        String outcome = Aio.run(crossLoop(), Clock.virtual());
        assertEquals("second read ok", outcome);
    }

    @Async
    static Coroutine<String> crossLoop() throws Exception {
        StreamReader r = new StreamReader(getRunningLoop(), 1024);
        Throwable[] seen = {null};
        Thread t = new Thread(() -> {
            try {
                Aio.run(readOnce(r), Clock.virtual());
            } catch (Throwable e) {
                seen[0] = e;
            }
        });
        t.start();
        t.join();
        assertTrue(seen[0] instanceof IllegalStateException, String.valueOf(seen[0]));
        // The reader's own loop: a read must wait normally, not be refused as a second reader.
        Task<byte[]> read = createTask(r.read(10));
        await(sleep(0));
        r.feedData(b("x"));
        byte[] got = await(read);
        assertArrayEquals(b("x"), got);
        return result("second read ok");
    }

    @Async
    static Coroutine<byte[]> readOnce(StreamReader r) throws IOException {
        return result(await(r.read(1)));
    }

    // ------------------------------------------------------------ 3: sanity of the hand-written reads' resumed paths

    @Test
    void resumedPathsBehaveAsCPython() throws Exception {
        assertEquals("ok", Aio.run(resumedPaths(), Clock.virtual()));
    }

    @Async
    static Coroutine<String> resumedPaths() throws Exception {
        EventLoop loop = getRunningLoop();
        // readLine over the limit after a wait: LimitOverrunError, line dropped, reader usable.
        StreamReader r = new StreamReader(loop, 4);
        Task<byte[]> line = createTask(r.readLine());
        await(sleep(0));
        r.feedData(b("abcdefgh\nok\n"));
        await(sleep(0));
        assertTrue(line.isDone());
        assertTrue(line.exception() instanceof LimitOverrunError, String.valueOf(line.exception()));
        assertArrayEquals(b("ok\n"), await(r.readLine()));

        // readExactly resumed, then the end: IncompleteReadError with the partial bytes.
        StreamReader r2 = new StreamReader(loop, 1024);
        Task<byte[]> ex = createTask(r2.readExactly(5));
        await(sleep(0));
        r2.feedData(b("ab"));
        await(sleep(0));
        r2.feedEof();
        await(sleep(0));
        assertTrue(ex.exception() instanceof IncompleteReadError, String.valueOf(ex.exception()));
        assertArrayEquals(b("ab"), ((IncompleteReadError) ex.exception()).partial());

        // A cancelled waiting readUntil leaves the reader usable; a second concurrent reader is refused.
        StreamReader r3 = new StreamReader(loop, 1024);
        Task<byte[]> u = createTask(r3.readUntil(b("--")));
        await(sleep(0));
        Task<byte[]> second = createTaskNow(r3);
        await(sleep(0));
        assertTrue(second.exception() instanceof IllegalStateException, String.valueOf(second.exception()));
        u.cancel();
        await(sleep(0));
        assertTrue(u.isCancelled());
        Task<byte[]> u2 = createTask(r3.readUntil(b("--")));
        await(sleep(0));
        r3.feedData(b("a-"));
        await(sleep(0));
        r3.feedData(b("-b"));
        assertArrayEquals(b("a--"), await(u2));

        // The stack of a task waiting in readLine shows the read as StreamReader's frame, under the caller's.
        StreamReader r4 = new StreamReader(loop, 1024);
        Task<Void> waiting = createTask(waitLine(r4));
        await(sleep(0));
        StackTraceElement[] stack = waiting.getStack();
        assertEquals("StreamReader.readLine", stack[0].getClassName().replaceAll(".*\\.", "") + "." + stack[0].getMethodName(),
                Arrays.toString(stack));
        assertEquals("StreamReader.java", stack[0].getFileName());
        assertEquals("waitLine", stack[1].getMethodName(), Arrays.toString(stack));
        assertEquals(2, stack.length, Arrays.toString(stack));
        waiting.cancel();
        await(sleep(0));
        // A task whose root is a read has that read as its stack.
        Task<byte[]> rootRead = createTask(r4.read(1));
        await(sleep(0));
        StackTraceElement[] rootStack = rootRead.getStack();
        assertEquals(1, rootStack.length, Arrays.toString(rootStack));
        assertEquals("read", rootStack[0].getMethodName());
        rootRead.cancel();
        await(sleep(0));
        return result("ok");
    }

    @Async
    static Coroutine<Void> waitLine(StreamReader r) throws IOException {
        await(r.readLine());
        return done();
    }

    private static Task<byte[]> createTaskNow(StreamReader r) throws IOException {
        return getRunningLoop().createTask(r.read(1));
    }

    // ------------------------------------------------------------ 4: debug mode, a served protocol that never becomes a task

    @Test
    void aHandlerThatThrowsLeavesNoNeverAwaitedReport() throws Exception {
        ConnectionHandler h = (r, w) -> {
            throw new IOException("refused by the handler");
        };
        List<String> reports = debugRun(h, StreamOptions.defaults(), false);
        assertEquals(List.of(), reports.stream().filter(m -> m.contains("never awaited")).toList(), "all: " + reports);
    }

    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path dir;

    @Test
    void aFailedTlsHandshakeLeavesNoNeverAwaitedReport() throws Exception {
        TestCertificates good = TestCertificates.make(dir, "localhost", "dns:localhost,ip:127.0.0.1");
        StreamOptions tls = StreamOptions.defaults().ssl(good.server());
        List<String> reports = debugRun(IdleConnectionTest::serve, tls, true);
        assertEquals(List.of(), reports.stream().filter(m -> m.contains("never awaited")).toList(), "all: " + reports);
    }

    private static List<String> debugRun(ConnectionHandler h, StreamOptions options, boolean garbage) throws IOException {
        EventLoop loop = new EventLoop();
        loop.setDebug(true);
        List<String> reports = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> reports.add(c.message()));
        loop.runUntilComplete(loop.createTask(connectAndSend(h, options, garbage), "main"));
        loop.close();
        return reports;
    }

    @Async
    static Coroutine<Void> connectAndSend(ConnectionHandler h, StreamOptions options, boolean garbage) throws IOException {
        try (Server server = await(Aio.startServer(h, "127.0.0.1", 0, options))) {
            try (Connection c = await(Aio.openConnection("127.0.0.1", server.localAddress().getPort()))) {
                if (garbage) {
                    c.writer().write(b("GET / HTTP/1.0\r\n\r\n"));
                }
                try {
                    await(c.reader().read(-1));
                } catch (IOException expected) {
                    // reset by the server
                }
            }
            await(sleep(0.05));
        }
        return done();
    }
}
