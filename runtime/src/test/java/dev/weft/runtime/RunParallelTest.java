package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.openConnection;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.runParallel;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Aio.startServer;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.kernel.Sneaky;
import dev.weft.runtime.streams.Connection;
import dev.weft.runtime.streams.Server;
import dev.weft.runtime.streams.StreamOptions;
import dev.weft.runtime.streams.StreamReader;
import dev.weft.runtime.streams.StreamWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One loop per core: {@link Aio#runParallel}, the hand-off between loops, and servers sharing a port. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RunParallelTest {
    private static List<String> loopThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("weft-loop-")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Async
    static Coroutine<String> whoAmI(int i, double seconds) {
        await(sleep(seconds));
        return result(i + " on " + Thread.currentThread().getName());
    }

    @Test
    void resultsComeInLoopOrderEachFromItsOwnThread() {
        // The last loop finishes first: the order is the loops', not the finishing order.
        List<String> r = runParallel(4, i -> whoAmI(i, (4 - i) * 0.02));
        assertEquals(List.of("0 on weft-loop-0", "1 on weft-loop-1", "2 on weft-loop-2", "3 on weft-loop-3"), r);
        assertEquals(List.of(), loopThreads(), "no loop thread is left once runParallel returns");
    }

    @Test
    void oneLoopIsEnough() {
        assertEquals(List.of("0 on weft-loop-0"), runParallel(1, i -> whoAmI(i, 0)));
    }

    @Test
    void fewerThanOneLoopIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> runParallel(0, i -> whoAmI(i, 0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runParallel(-1, i -> whoAmI(i, 0)));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void aRunningLoopCannotBlockOnIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.run(nested()));
        assertTrue(e.getMessage().contains("running event loop"), e.getMessage());
    }

    @Async
    static Coroutine<List<String>> nested() {
        return result(runParallel(2, i -> whoAmI(i, 0)));
    }

    /** Loop {@code failing} fails after a moment; the others wait long and note their cancellation. */
    @Async
    static Coroutine<String> failOrWait(int i, int failing, RuntimeException failure, ConcurrentLinkedQueue<String> log) {
        if (i == failing) {
            await(sleep(0.05));
            throw failure;
        }
        try {
            await(sleep(30));
        } catch (CancelledError e) {
            await(sleep(0.05));   // cleanup that takes a while: runParallel waits for it
            log.add("loop " + i + " cancelled on " + Thread.currentThread().getName());
            throw e;
        }
        return result("not cancelled");
    }

    @Test
    void theFirstFailureCancelsTheOthersWaitsForThemAndIsThrownItself() {
        RuntimeException boom = new IllegalStateException("boom");
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> runParallel(3, i -> failOrWait(i, 1, boom, log)));
        assertSame(boom, thrown);
        assertTrue((System.nanoTime() - start) / 1e9 < 10, "the others were cancelled, not waited out");
        assertEquals(Set.of("loop 0 cancelled on weft-loop-0", "loop 2 cancelled on weft-loop-2"),
                Set.copyOf(log));
        assertEquals(0, boom.getSuppressed().length, "the cancellations it caused are not suppressed in it");
        assertEquals(List.of(), loopThreads());
    }

    /** A checked failure at an await, in a method that runParallel's IntFunction can call. */
    @Async
    static Coroutine<Integer> checkedFailure(int i) {
        await(sleep(0));
        if (i == 0) {
            throw Sneaky.raise(new IOException("checked, from loop 0"));
        }
        return result(i);
    }

    @Test
    void aCheckedFailureIsThrownUnwrapped() {
        IOException e = assertThrows(IOException.class, () -> runParallel(2, RunParallelTest::checkedFailure));
        assertEquals("checked, from loop 0", e.getMessage());
    }

    @Async
    static Coroutine<String> failsWhenCancelled(int i) {
        if (i == 0) {
            await(sleep(0.05));
            throw new IllegalStateException("first");
        }
        try {
            await(sleep(30));
        } catch (CancelledError e) {
            throw new IllegalArgumentException("second, while cancelled");
        }
        return result("not cancelled");
    }

    @Test
    void laterFailuresAreSuppressedInTheFirst() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> runParallel(2, RunParallelTest::failsWhenCancelled));
        assertEquals("first", e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertEquals("second, while cancelled", e.getSuppressed()[0].getMessage());
    }

    @Test
    void aMainThatGivesNoCoroutineFailsThatLoop() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> runParallel(2, i -> i == 1 ? null : whoAmI(i, 0)));
        assertTrue(e.getMessage().contains("loop 1"), e.getMessage());
    }

    @Test
    void anInterruptedCallerCancelsEveryLoopAndKeepsItsInterrupt() throws Exception {
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                runParallel(2, i -> failOrWait(i, -1, null, log));
            } catch (Throwable t) {
                thrown.set(t);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        }, "caller");
        caller.start();
        while (loopThreads().size() < 2) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        caller.interrupt();
        caller.join(10_000);
        assertTrue(thrown.get() instanceof CancelledError, String.valueOf(thrown.get()));
        assertEquals(Boolean.TRUE, stillInterrupted.get());
        assertEquals(2, log.size(), log::toString);
        assertEquals(List.of(), loopThreads());
    }

    // ---------------------------------------------------------------- between loops

    /** Loop 0 hands loop 1 a value through a CompletableFuture and one of its own futures. */
    @Async
    static Coroutine<String> handOff(int i, CompletableFuture<String> plain, CompletableFuture<CompletableFuture<String>> own) {
        if (i == 0) {
            Future<String> mine = getRunningLoop().createFuture();
            own.complete(mine.toCompletableFuture());
            await(sleep(0.05));
            plain.complete("plain from " + Thread.currentThread().getName());
            await(sleep(0.05));
            mine.setResult("own future of " + Thread.currentThread().getName());
            return result("sent");
        }
        String a = await(plain);
        String where = Thread.currentThread().getName();
        String b = await(await(own));
        return result(a + " and " + b + ", resumed on " + where + " and " + Thread.currentThread().getName());
    }

    @Test
    void aFutureCompletedOnAnotherLoopsThreadWakesItsOwnLoop() {
        CompletableFuture<String> plain = new CompletableFuture<>();
        CompletableFuture<CompletableFuture<String>> own = new CompletableFuture<>();
        List<String> r = runParallel(2, i -> handOff(i, plain, own));
        assertEquals(List.of("sent", "plain from weft-loop-0 and own future of weft-loop-0, resumed on weft-loop-1 "
                + "and weft-loop-1"), r);
    }

    // ---------------------------------------------------------------- servers sharing a port

    private static final int CONNECTIONS = 200;

    /** Answers with the loop's index. */
    @Async
    static Coroutine<Void> answerWithLoop(int i, int[] served, StreamReader reader, StreamWriter writer)
            throws IOException {
        await(reader.readLine());
        served[0]++;
        writer.write((i + "\n").getBytes(US_ASCII));
        writer.close();
        await(writer.waitClosed());
        return done();
    }

    /**
     * Loops 0 and 1 serve on one port (loop 0 binds it, loop 1 then binds the same); loop 2
     * connects {@link #CONNECTIONS} times once both listen, then stops them.
     */
    @Async
    static Coroutine<int[]> shareAPort(int i, CompletableFuture<Integer> port, CompletableFuture<Void> ready,
            CompletableFuture<Void> stop) {
        try {
            return result(await(sharing(i, port, ready, stop)));
        } catch (IOException e) {
            // runParallel takes an IntFunction, which cannot throw a checked exception.
            throw new UncheckedIOException(e);
        }
    }

    @Async
    static Coroutine<int[]> sharing(int i, CompletableFuture<Integer> port, CompletableFuture<Void> ready,
            CompletableFuture<Void> stop) throws IOException {
        if (i == 2) {
            await(ready);
            int p = await(port);
            int[] answers = new int[2];
            for (int batch = 0; batch < CONNECTIONS / 20; batch++) {
                List<Coroutine<Integer>> asks = new ArrayList<>();
                for (int k = 0; k < 20; k++) {
                    asks.add(ask(p));
                }
                for (int loop : await(gather(new ArrayList<>(asks)))) {
                    answers[loop]++;
                }
            }
            stop.complete(null);
            return result(answers);
        }
        int[] served = new int[1];
        int wanted = i == 0 ? 0 : await(port);
        try (Server server = await(startServer((r, w) -> answerWithLoop(i, served, r, w), "127.0.0.1", wanted,
                StreamOptions.defaults().reusePort(true)))) {
            int bound = server.localAddress().getPort();
            if (i == 0) {
                port.complete(bound);
            } else {
                assertEquals(wanted, bound, "both servers listen on one port");
                ready.complete(null);
            }
            await(stop);
        }
        return result(new int[] {served[0]});
    }

    @Async
    static Coroutine<Integer> ask(int port) throws IOException {
        try (Connection c = await(openConnection("127.0.0.1", port))) {
            c.writer().write("which loop?\n".getBytes(US_ASCII));
            byte[] line = await(c.reader().readLine());
            return result(Integer.parseInt(new String(line, US_ASCII).trim()));
        }
    }

    @Test
    void serversOnTwoLoopsShareAPortAndBothGetConnections() {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        List<int[]> r = runParallel(3, i -> shareAPort(i, port, ready, stop));
        int[] answers = r.get(2);
        assertEquals(CONNECTIONS, answers[0] + answers[1], "every connection was answered");
        assertArrayEquals(new int[] {r.get(0)[0], r.get(1)[0]}, answers, "each loop counted what it answered");
        assertTrue(answers[0] > 0 && answers[1] > 0, "the kernel gave both loops connections: " + answers[0]
                + " and " + answers[1]);
    }
}
