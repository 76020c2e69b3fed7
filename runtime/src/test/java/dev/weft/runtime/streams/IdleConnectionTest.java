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
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * task's root coroutine in debug mode as without it, the hand-written reads with their waits,
 * their task stacks, and a read that cannot park.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IdleConnectionTest {
    private static byte[] b(String s) {
        return s.getBytes(US_ASCII);
    }

    // ------------------------------------------------------------ 1: a handler task cancelled before its first step

    @Test
    void aHandlerTaskCancelledBeforeItsFirstStepIsNotReportedAsNeverAwaited() throws Exception {
        Cancelled seen = cancelledBeforeItsFirstStep(true);
        assertEquals(List.of(), seen.reports().stream().filter(m -> m.contains("never awaited")).toList(),
                "all reports: " + seen.reports());
    }

    /** Without debug mode the server's protocol is the task's root: its done callback closes the connection. */
    @Test
    void aHandlerTaskCancelledBeforeItsFirstStepClosesItsConnection() throws Exception {
        Cancelled seen = cancelledBeforeItsFirstStep(false);
        assertEquals(List.of(), seen.reports(), "nothing to report: the cancelled task closed the connection");
    }

    /**
     * In debug mode, which records every coroutine made: the handler's coroutine, which its task
     * never ran, is finished as the task's root is, and nothing of the connection is left.
     */
    @Test
    void aHandlerTaskCancelledBeforeItsFirstStepFinishesItsCoroutineAndLeavesNothingInDebugMode() throws Exception {
        Cancelled seen = cancelledBeforeItsFirstStep(true);
        assertEquals(1, seen.bodies().size(), "the handler ran once: " + seen.bodies());
        assertTrue(seen.bodies().get(0).isDone(), "the handler's coroutine was left unstarted: " + seen.bodies());
        assertEquals("1 task pending", seen.dumpAtEnd().lines().findFirst().orElse(""), seen.dumpAtEnd());
        assertFalse(seen.dumpAtEnd().contains("task connection"), seen.dumpAtEnd());
        assertEquals(List.of(), seen.reports(), "nothing to report at close");
    }

    /** What a run with a handler task cancelled before its first step leaves. */
    private record Cancelled(List<String> reports, List<Coroutine<Void>> bodies, String dumpAtEnd) {
    }

    private static Cancelled cancelledBeforeItsFirstStep(boolean debug) throws Exception {
        List<String> reports = new ArrayList<>();
        EventLoop loop = reportingLoop(debug, reports);
        List<Coroutine<Void>> bodies = new ArrayList<>();
        ConnectionHandler h = serving(bodies, () -> {
            EventLoop l = Aio.getRunningLoop();
            // Runs before the handler task's first step (it is scheduled after this).
            l.callSoon(() -> {
                Task<?> t = connectionTask(l);
                if (t != null) {
                    t.cancel();
                }
            });
        });
        String[] dump = {null};
        loop.runUntilComplete(loop.createTask(connectOnce(h, dump), "main"));
        loop.close();
        return new Cancelled(reports, bodies, dump[0]);
    }

    @Async
    static Coroutine<Void> serve(StreamReader r, StreamWriter w) throws IOException {
        await(r.readLine());
        return done();
    }

    /** Connects once; {@code dump[0]} is the loop's task dump once the client has seen the end. */
    @Async
    static Coroutine<Void> connectOnce(ConnectionHandler h, String[] dump) throws IOException {
        try (Server server = await(Aio.startServer(h, "127.0.0.1", 0))) {
            try (Connection c = await(Aio.openConnection("127.0.0.1", server.localAddress().getPort()))) {
                // The cancelled handler task closes the connection: the client sees the end.
                byte[] rest = await(c.reader().read(-1));
                assertEquals(0, rest.length);
                dump[0] = getRunningLoop().dumpTasks();
            }
        }
        return done();
    }

    // ------------------------------------------------------------ 1b: a handler that runs, in debug mode as without it

    /** In debug mode, which records every coroutine made, the same protocol runs the handler. */
    @Test
    void inDebugModeAServedConnectionsTaskShowsItsHandlerWhileItRunsAndNothingIsLeftAfterItEnds() throws Exception {
        servedOnce(true);
    }

    @Test
    void withoutDebugModeAServedConnectionsTaskShowsItsHandlerWhileItRunsAndNothingIsLeftAfterItEnds() throws Exception {
        servedOnce(false);
    }

    /**
     * One connection whose handler waits for a line: while it waits, the loop has its task, whose
     * await chain shows the handler; once the line came and the handler returned, the handler's
     * coroutine is done, the loop has no task of the connection, and closing the loop reports
     * nothing.
     */
    private static void servedOnce(boolean debug) throws Exception {
        List<String> reports = new ArrayList<>();
        EventLoop loop = reportingLoop(debug, reports);
        List<Coroutine<Void>> bodies = new ArrayList<>();
        loop.runUntilComplete(loop.createTask(sendOneLine(serving(bodies, () -> { }), bodies), "main"));
        loop.close();
        assertEquals(List.of(), reports, "nothing to report at close");
    }

    @Async
    static Coroutine<Void> sendOneLine(ConnectionHandler h, List<Coroutine<Void>> bodies) throws IOException {
        EventLoop loop = getRunningLoop();
        try (Server server = await(Aio.startServer(h, "127.0.0.1", 0))) {
            try (Connection c = await(Aio.openConnection("127.0.0.1", server.localAddress().getPort()))) {
                Task<?> task = null;
                for (int i = 0; i < 500 && task == null; i++) {
                    await(sleep(0.01));
                    task = connectionTask(loop);
                }
                assertTrue(task != null, "no connection task: " + loop.dumpTasks());
                await(sleep(0.01));
                assertEquals(1, bodies.size(), "the handler ran once: " + bodies);
                assertFalse(bodies.get(0).isDone(), "the handler ended early: " + bodies);
                List<String> chain = Arrays.stream(task.getStack()).map(StackTraceElement::getMethodName).toList();
                assertEquals("readLine", chain.get(0), chain::toString);
                assertEquals("serve", chain.get(1), chain::toString);
                assertTrue(loop.dumpTasks().contains("Stack for task connection /127.0.0.1:"), loop.dumpTasks());
                // In debug mode the connection's task was created where the server was started.
                String section = connectionSection(loop);
                int created = section.indexOf("  created at ");
                assertEquals(loop.isDebug(), created >= 0, section);
                if (created >= 0) {
                    assertTrue(section.startsWith("  created at dev.weft.runtime.streams.IdleConnectionTest.sendOneLine("
                            + "IdleConnectionTest.java:", created), section);
                }

                c.writer().write(b("one line\n"));
                for (int i = 0; i < 500 && !bodies.get(0).isDone(); i++) {
                    await(sleep(0.01));
                }
                assertTrue(bodies.get(0).isDone(), "the handler did not end: " + loop.dumpTasks());
                await(sleep(0));
                assertEquals(null, connectionTask(loop), loop.dumpTasks());
                assertFalse(loop.dumpTasks().contains("task connection"), loop.dumpTasks());
            }
        }
        return done();
    }

    /**
     * A server started before debug mode was turned on: its connections' tasks, made in debug
     * mode, have no creation site (the accept's frames are the loop's, which would say nothing).
     */
    @Test
    void aServerStartedBeforeDebugModeGivesItsConnectionsTasksNoCreationSite() throws Exception {
        EventLoop loop = new EventLoop();
        String[] section = new String[1];
        loop.runUntilComplete(loop.createTask(debugAfterStart(section), "main"));
        loop.close();
        assertTrue(section[0].contains("serve"), section[0]);
        assertFalse(section[0].contains("created at"), section[0]);
    }

    @Async
    static Coroutine<Void> debugAfterStart(String[] section) throws IOException {
        EventLoop loop = getRunningLoop();
        try (Server server = await(Aio.startServer(IdleConnectionTest::serve, "127.0.0.1", 0))) {
            loop.setDebug(true);
            try (Connection c = await(Aio.openConnection("127.0.0.1", server.localAddress().getPort()))) {
                for (int i = 0; i < 500 && connectionTask(loop) == null; i++) {
                    await(sleep(0.01));
                }
                await(sleep(0.01));
                section[0] = connectionSection(loop);
                c.writer().write(b("one line\n"));
                await(c.writer().drain());
                for (int i = 0; i < 500 && connectionTask(loop) != null; i++) {
                    await(sleep(0.01));
                }
            }
        }
        loop.setDebug(false);
        return done();
    }

    /**
     * A handler whose coroutine fails is reported to the exception handler with the connection's
     * task, whose creation site (in debug mode) is where the server was started.
     */
    @Test
    void aHandlersFailureIsReportedWithTheConnectionsTask() throws Exception {
        EventLoop loop = new EventLoop();
        loop.setDebug(true);
        List<String> tasks = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> {
            if (c.message().startsWith("Unhandled exception in the connection handler")) {
                tasks.add(c.task() == null ? "no task" : c.task().getName());
            }
        });
        loop.runUntilComplete(loop.createTask(failOnce(), "main"));
        loop.close();
        assertEquals(1, tasks.size(), tasks::toString);
        assertTrue(tasks.get(0).startsWith("connection /127.0.0.1:"), tasks::toString);
    }

    @Async
    static Coroutine<Void> failOnce() throws IOException {
        ConnectionHandler h = (r, w) -> failAfterALine(r);
        try (Server server = await(Aio.startServer(h, "127.0.0.1", 0))) {
            try (Connection c = await(Aio.openConnection("127.0.0.1", server.localAddress().getPort()))) {
                c.writer().write(b("one line\n"));
                await(c.writer().drain());
                // The handler fails, and the server closes the connection: the client reads the end.
                byte[] rest = await(c.reader().read(-1));
                assertEquals(0, rest.length);
            }
        }
        return done();
    }

    @Async
    static Coroutine<Void> failAfterALine(StreamReader r) throws IOException {
        await(r.readLine());
        throw new IOException("the handler gives up");
    }

    /** A new loop, in debug mode or not, whose exception handler adds each report's message to {@code reports}. */
    private static EventLoop reportingLoop(boolean debug, List<String> reports) {
        EventLoop loop = new EventLoop();
        loop.setDebug(debug);
        loop.setExceptionHandler((l, c) -> reports.add(c.message()));
        return loop;
    }

    /** A handler that runs {@code first}, then returns {@link #serve}'s coroutine, kept in {@code bodies}. */
    private static ConnectionHandler serving(List<Coroutine<Void>> bodies, Runnable first) {
        return (r, w) -> {
            first.run();
            Coroutine<Void> body = serve(r, w);
            bodies.add(body);
            return body;
        };
    }

    /** The part of the loop's task dump about its first connection's task. */
    private static String connectionSection(EventLoop loop) {
        return loop.dumpTasks().split("Stack for task connection", 2)[1].split(System.lineSeparator().repeat(2), 2)[0];
    }

    /** The loop's task of a server's connection, or null. */
    private static Task<?> connectionTask(EventLoop loop) {
        for (Task<?> t : loop.allTasks()) {
            if (t.getName().startsWith("connection")) {
                return t;
            }
        }
        return null;
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
        List<String> reports = new ArrayList<>();
        EventLoop loop = reportingLoop(true, reports);
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
