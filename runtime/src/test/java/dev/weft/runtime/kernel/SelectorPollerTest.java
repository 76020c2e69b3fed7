package dev.weft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SelectorPollerTest {
    private final ArrayDeque<Runnable> readyQueue = new ArrayDeque<>();
    private final List<String> checked = new ArrayList<>();
    private final SelectorPoller poller = new SelectorPoller(readyQueue::add, checked::add);
    private final List<String> log = new ArrayList<>();
    private final Pipe pipe;

    SelectorPollerTest() throws IOException {
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
    }

    @AfterEach
    void closeAll() throws IOException {
        poller.close();
        pipe.source().close();
        pipe.sink().close();
    }

    private void runReadyQueue() {
        Runnable r;
        while ((r = readyQueue.poll()) != null) {
            r.run();
        }
    }

    private void write(String s) throws IOException {
        pipe.sink().write(ByteBuffer.wrap(s.getBytes()));
    }

    private String read() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64);
        int n = pipe.source().read(b);
        return new String(b.array(), 0, n);
    }

    @Test
    void aReadyChannelIsQueuedOnTheReadyQueueAndItsCallbackRunsFromThere() throws IOException {
        PollKey key = poller.register(pipe.source(), SelectionKey.OP_READ, (k, ops) -> {
            try {
                log.add("ready " + ops + ": " + read());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(List.of("Poller.register"), checked);
        assertSame(pipe.source(), key.channel());
        poller.poll(0);
        assertTrue(readyQueue.isEmpty(), "nothing to read yet");

        write("hello");
        poller.poll(-1);
        assertEquals(List.of(key), List.copyOf(readyQueue));
        assertTrue(log.isEmpty(), "the poller only queues: the loop runs the callback");
        runReadyQueue();
        assertEquals(List.of("ready " + SelectionKey.OP_READ + ": hello"), log);
    }

    @Test
    void aWakeupEndsAWaitAtOnce() throws IOException {
        poller.register(pipe.source(), SelectionKey.OP_READ, (k, ops) -> log.add("read"));
        Thread other = new Thread(poller::wakeup);
        other.start();
        poller.poll(-1);
        assertTrue(readyQueue.isEmpty());
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aWakeupAfterPrepareToWaitEndsTheWaitThoughOneWhileAwakeWasSkipped() throws Exception {
        poller.register(pipe.source(), SelectionKey.OP_READ, (k, ops) -> log.add("read"));
        poller.poll(0);
        // Awake: this one costs no system call, and the loop would look at its inbox before waiting.
        poller.wakeup();
        poller.prepareToWait();
        Thread other = new Thread(poller::wakeup);
        other.start();
        poller.poll(-1);
        other.join();
        assertTrue(readyQueue.isEmpty(), "woken, not ready");
    }

    @Test
    void interestOpsZeroPausesTheCallbackAndKeepsTheRegistration() throws IOException {
        PollKey key = poller.register(pipe.source(), SelectionKey.OP_READ, (k, ops) -> log.add("read"));
        assertTrue(poller.hasInterest());
        key.interestOps(0);
        assertFalse(poller.hasInterest());
        assertTrue(key.isValid());
        write("x");
        poller.poll(1_000_000);
        runReadyQueue();
        assertEquals(List.of(), log);

        key.interestOps(SelectionKey.OP_READ);
        assertEquals(SelectionKey.OP_READ, key.interestOps());
        poller.poll(-1);
        runReadyQueue();
        assertEquals(List.of("read"), log);
    }

    @Test
    void aCancelledKeyQueuedAlreadyDoesNotRunItsCallback() throws IOException {
        PollKey key = poller.register(pipe.source(), SelectionKey.OP_READ, (k, ops) -> log.add("read"));
        write("x");
        poller.poll(-1);
        assertEquals(1, readyQueue.size());
        key.cancel();
        assertFalse(key.isValid());
        assertEquals(0, key.interestOps());
        assertFalse(poller.hasInterest());
        runReadyQueue();
        assertEquals(List.of(), log);
    }

    @Test
    void aCallbackSeesOnlyTheOperationsItStillWaitsFor() throws IOException {
        PollKey key = poller.register(pipe.sink(), SelectionKey.OP_WRITE, (k, ops) -> log.add("writable " + ops));
        poller.poll(-1);
        key.interestOps(0);
        runReadyQueue();
        assertEquals(List.of(), log, "interest dropped after the poll: the queued readiness is stale");
    }

    @Test
    void aChannelStaysQueuedOnceUntilItsCallbackRuns() throws IOException {
        poller.register(pipe.sink(), SelectionKey.OP_WRITE, (k, ops) -> log.add("writable"));
        poller.poll(-1);
        poller.poll(0);
        assertEquals(1, readyQueue.size());
        runReadyQueue();
        assertEquals(List.of("writable"), log);
    }

    @Test
    void closingThePollerEndsEveryRegistration() throws IOException {
        PollKey key = poller.register(pipe.source(), SelectionKey.OP_READ, (k, ops) -> log.add("read"));
        poller.close();
        assertFalse(key.isValid());
        assertThrows(ClosedSelectorException.class, () -> poller.register(pipe.sink(), SelectionKey.OP_WRITE, (k, ops) -> { }));
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aWakeupTakenUpByFlushCancelledDoesNotSilenceTheNextOne() throws Exception {
        poller.register(pipe.source(), SelectionKey.OP_READ, (k, ops) -> log.add("read"));
        // A wake-up from another thread is pending when the loop carries a closed server's
        // cancellation through: that select takes the wake-up up.
        poller.wakeup();
        poller.flushCancelled();
        // The loop is awake until it prepares to wait; the next wake-up after that must still
        // reach the selector: this poll returns rather than wait for ever.
        poller.prepareToWait();
        Thread other = new Thread(poller::wakeup);
        other.start();
        poller.poll(-1);
        other.join();
        assertTrue(log.isEmpty(), log.toString());
    }
}
