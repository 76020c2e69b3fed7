package dev.weft.runtime.subprocess;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createSubprocessExec;
import static dev.weft.runtime.Aio.createSubprocessShell;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.result;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Child processes: output, input, exit codes, big pipes both ways, missing programs, no child left. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SubprocessTest {
    @Test
    void communicateGathersOutputAndExitCode() throws Exception {
        Subprocess.Output out = Aio.run(communicate("echo out; echo err >&2; exit 3", null));
        assertEquals("out\n", new String(out.stdout(), UTF_8));
        assertEquals("err\n", new String(out.stderr(), UTF_8));
        assertEquals(3, out.exitCode());
    }

    @Async
    static Coroutine<Subprocess.Output> communicate(String shell, byte[] input) throws IOException {
        Subprocess p = await(createSubprocessShell(shell));
        return result(await(p.communicate(input)));
    }

    /**
     * A child's pipes are read and written by threads that the next child's pipes use again: after
     * children one after the other, at most three pipe threads live, each named for its pipe
     * while it serves one and idle between children.
     */
    @Test
    void childrenOneAfterTheOtherReuseThePipeThreads() throws Exception {
        List<String> during = Aio.run(childrenInTurn(30));
        assertTrue(during.stream().anyMatch(SubprocessTest::isStdoutThread), during.toString());
        // The last child's pipe threads go back to the pool once they have delivered its ends,
        // on their own threads: on a busy machine that can take a while after communicate.
        List<String> after = pipeThreads();
        for (int i = 0; i < 500 && after.stream().noneMatch(n -> n.equals("weft-pipe (idle)")); i++) {
            Thread.sleep(10);
            after = pipeThreads();
        }
        long idle = after.stream().filter(n -> n.equals("weft-pipe (idle)")).count();
        assertTrue(idle >= 1 && after.size() <= 3, "pipe threads after 30 children: " + after);
    }

    private static boolean isStdoutThread(String name) {
        return name.matches("weft-pipe stdout of pid \\d+ \\(/bin/sh\\)");
    }

    @Async
    static Coroutine<List<String>> childrenInTurn(int n) throws IOException {
        List<String> during = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Subprocess p = await(createSubprocessShell("read x; echo $x"));
            if (i == n - 1) {
                // The child waits for its input: its pipe threads take their names as they start,
                // which a busy machine can delay past the spawn.
                during = pipeThreads();
                for (int k = 0; k < 500 && during.stream().noneMatch(SubprocessTest::isStdoutThread); k++) {
                    await(Aio.sleep(0.01));
                    during = pipeThreads();
                }
            }
            Subprocess.Output out = await(p.communicate(("child " + i + "\n").getBytes(UTF_8)));
            assertEquals("child " + i + "\n", new String(out.stdout(), UTF_8));
            // The pipe threads are handed back once their ends are delivered: wait for the last one.
            await(Aio.sleep(0.02));
        }
        return result(during);
    }

    private static List<String> pipeThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("weft-pipe")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    void communicateNeverDeadlocksOnMebibytesOnBothPipes() throws Exception {
        byte[] input = new byte[6 << 20];
        new Random(7).nextBytes(input);
        // cat echoes the input while the shell also fills stderr: both pipes are far over their buffers.
        Subprocess.Output out = Aio.run(communicate("head -c 4000000 /dev/zero >&2 & cat; wait", input));
        assertArrayEquals(input, out.stdout());
        assertEquals(4_000_000, out.stderr().length);
        assertEquals(0, out.exitCode());
    }

    @Test
    void aConversationLineByLineWithCat() throws Exception {
        assertEquals(List.of("one\n", "two\n"), Aio.run(talkToCat()));
    }

    @Async
    static Coroutine<List<String>> talkToCat() throws IOException {
        Subprocess cat = await(createSubprocessExec("cat"));
        List<String> got = new ArrayList<>();
        for (String line : new String[] {"one\n", "two\n"}) {
            cat.stdin().write(line.getBytes(UTF_8));
            await(cat.stdin().drain());
            got.add(new String(await(cat.stdout().readLine()), UTF_8));
        }
        assertNull(cat.returnCode(), "cat runs until its input ends");
        cat.stdin().close();
        assertEquals(0, (int) await(cat.waitFor()));
        assertEquals(0, cat.returnCode());
        assertEquals(0, await(cat.stdout().read(-1)).length);
        return result(got);
    }

    @Test
    void aMissingProgramFailsAtTheAwaitWithTheJdksIOException() {
        IOException e = assertThrows(IOException.class,
                () -> Aio.run(SubprocessTest.start("weft-no-such-program-anywhere")));
        assertTrue(e.getMessage().contains("weft-no-such-program-anywhere"), e.getMessage());
    }

    @Async
    static Coroutine<Long> start(String program) throws IOException {
        Subprocess p = await(createSubprocessExec(program));
        return result(p.pid());
    }

    @Test
    void aKilledChildExitsWith128PlusTheSignal() throws Exception {
        assertEquals(137, (int) Aio.run(killSleep()));
    }

    @Async
    static Coroutine<Integer> killSleep() throws IOException {
        Subprocess p = await(createSubprocessExec("sleep", "30"));
        p.kill();
        return result(await(p.waitFor()));
    }

    @Test
    void terminateSendsSigterm() throws Exception {
        assertEquals(143, (int) Aio.run(terminateSleep()));
    }

    @Async
    static Coroutine<Integer> terminateSleep() throws IOException {
        Subprocess p = await(createSubprocessExec("sleep", "30"));
        p.terminate();
        return result(await(p.waitFor()));
    }

    @Test
    void runLeavesNoChildBehind() throws Exception {
        long pid = Aio.run(start("sleep", "30"));
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        assertTrue(h == null || !h.isAlive(), "the child of a closed loop is killed");
    }

    @Async
    static Coroutine<Long> start(String program, String arg) throws IOException {
        Subprocess p = await(createSubprocessExec(program, arg));
        return result(p.pid());
    }

    @Test
    void redirectsAreKeptAndOnlyPipesBecomeStreams() throws Exception {
        ProcessBuilder b = new ProcessBuilder("sh", "-c", "echo both; echo err >&2").redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Subprocess.Output out = Aio.run(communicateBuilder(b));
        assertEquals("both\nerr\n", new String(out.stdout(), UTF_8));
        assertNull(out.stderr(), "merged into stdout");
    }

    @Async
    static Coroutine<Subprocess.Output> communicateBuilder(ProcessBuilder b) throws IOException {
        Subprocess p = await(createSubprocessExec(b));
        assertNull(p.stdin(), "stdin comes from a file");
        assertNull(p.stderr(), "stderr is merged");
        return result(await(p.communicate(null)));
    }

    @Test
    void severalChildrenAtOnce() throws Exception {
        assertEquals(List.of("0\n", "1\n", "2\n", "3\n"), Aio.run(several()));
    }

    @Async
    static Coroutine<List<String>> several() throws IOException {
        List<Coroutine<Subprocess.Output>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(communicate("sleep 0.2; echo " + i, null));
        }
        List<Subprocess.Output> outs = await(gather(new ArrayList<>(runs)));
        List<String> got = new ArrayList<>();
        for (Subprocess.Output o : outs) {
            got.add(new String(o.stdout(), UTF_8));
        }
        return result(got);
    }

    @Test
    void aFastWriterIsHeldUpByThePipeNotBufferedWithoutBound() throws Exception {
        assertTrue(Aio.run(slowReader()), "the reader's buffer stayed within twice its limit and a chunk");
    }

    @Async
    static Coroutine<Boolean> slowReader() throws IOException {
        Subprocess p = await(createSubprocessShell("head -c 20000000 /dev/zero"));
        await(Aio.sleep(0.3));
        // Nothing read yet: the child is blocked on the full pipe, the reader holds a bounded amount.
        String state = p.stdout().toString();
        long held = Long.parseLong(state.substring(state.indexOf('[') + 1, state.indexOf(" bytes")));
        boolean bounded = held <= 2L * 64 * 1024 + 64 * 1024;
        assertFalse(p.returnCode() != null, "the child waits on its pipe");
        byte[] all = await(p.stdout().read(-1));
        assertEquals(20_000_000, all.length);
        assertEquals(0, (int) await(p.waitFor()));
        return result(bounded);
    }

    @Test
    void aStartCancelledWhileTheChildIsBeingMadeStopsTheChild() throws Exception {
        Aio.run(cancelStart());
        long alive = ProcessHandle.current().descendants()
                .filter(h -> h.info().arguments().map(a -> List.of(a).contains("31.25")).orElse(false))
                .filter(ProcessHandle::isAlive).count();
        assertEquals(0, alive, "the child of a cancelled start is stopped");
    }

    @Async
    static Coroutine<Void> cancelStart() throws IOException {
        dev.weft.runtime.Task<Subprocess> t = dev.weft.runtime.Aio.createTask(createSubprocessExec("sleep", "31.25"));
        await(Aio.sleep(0));
        t.cancel();
        try {
            await(t);
        } catch (dev.weft.runtime.CancelledError expected) {
            // The start was cancelled while the executor made the child.
        }
        // The job finishes after the cancel; its child is stopped when it arrives.
        await(Aio.sleep(0.5));
        return dev.weft.runtime.Aio.done();
    }

    @Test
    void returnCodeIsSetOnceWaitForReturnsEvenWhenTheExitCameFirst() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertEquals(0, Aio.run(exitBeforeWait()));
        }
    }

    @Async
    static Coroutine<Integer> exitBeforeWait() throws IOException, InterruptedException {
        Subprocess p = await(createSubprocessExec("true"));
        // Holds the loop until the child has exited, so its exit is done before waitFor awaits it.
        Thread.sleep(100);
        await(Aio.sleep(0));
        await(p.waitFor());
        return result(p.returnCode());
    }
}
