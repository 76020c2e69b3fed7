package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.kernel.PollKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EventLoopTest {
    private final VirtualClock clock = Clock.virtual();
    private final EventLoop loop = new EventLoop(clock);
    private final List<String> log = new ArrayList<>();
    private final List<EventLoop.ExceptionContext> reported = new ArrayList<>();

    EventLoopTest() {
        loop.setExceptionHandler((l, context) -> reported.add(context));
    }

    private void runOnce() {
        loop.stop();
        loop.runForever();
    }

    @Test
    void callSoonRunsCallbacksFirstInFirstOut() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            loop.callSoon(() -> log.add("cb" + n));
        }
        runOnce();
        assertEquals(List.of("cb0", "cb1", "cb2", "cb3", "cb4"), log);
    }

    @Test
    void callbacksScheduledWhileTheReadyQueueRunsWaitForTheNextIteration() {
        // tag::ready-snapshot[]
        loop.callSoon(() -> {
            log.add("a");
            loop.callSoon(() -> log.add("c, scheduled by a"));
        });
        loop.callSoon(() -> log.add("b"));
        runOnce();
        assertEquals(List.of("a", "b"), log);
        runOnce();
        assertEquals(List.of("a", "b", "c, scheduled by a"), log);
        // end::ready-snapshot[]
    }

    @Test
    void stopFinishesTheCurrentIterationAsCPythonDoes() {
        loop.callSoon(() -> {
            log.add("first stops the loop");
            loop.stop();
        });
        loop.callSoon(() -> log.add("second still runs"));
        loop.runForever();
        assertEquals(List.of("first stops the loop", "second still runs"), log);
        assertFalse(loop.isRunning());
    }

    @Test
    void aCancelledHandleDoesNotRun() {
        Handle h = loop.callSoon(() -> log.add("cancelled one"));
        loop.callSoon(() -> log.add("kept"));
        h.cancel();
        assertTrue(h.isCancelled());
        runOnce();
        assertEquals(List.of("kept"), log);
    }

    @Test
    void callLaterRunsAtItsTimeOnTheVirtualClockAndTiesRunInOrder() {
        // tag::virtual-clock[]
        loop.callLater(2, () -> log.add("2 s at " + loop.time()));
        loop.callLater(1, () -> log.add("1 s, first at " + loop.time()));
        loop.callLater(1, () -> log.add("1 s, second at " + loop.time()));
        loop.callLater(3, loop::stop);
        loop.runForever();
        assertEquals(List.of("1 s, first at 1.0", "1 s, second at 1.0", "2 s at 2.0"), log);
        assertEquals(3.0, loop.time());
        // end::virtual-clock[]
    }

    @Test
    void callAtTakesALoopTimeAndACancelledTimerNeverRuns() {
        clock.advance(Duration.ofSeconds(10));
        TimerHandle at = loop.callAt(12.5, () -> log.add("at " + loop.time()));
        TimerHandle gone = loop.callAt(11, () -> log.add("cancelled timer"));
        assertEquals(12.5, at.when());
        gone.cancel();
        loop.callAt(13, loop::stop);
        loop.runForever();
        assertEquals(List.of("at 12.5"), log);
    }

    @Test
    void negativeDelaysRunInDeadlineOrder() {
        // CPython's test_call_later_negative_delays.
        loop.callLater(-1, () -> log.add("a"));
        loop.callLater(-2, () -> log.add("b"));
        runOnce();
        assertEquals(List.of("b", "a"), log);
    }

    @Test
    void farTimesSaturateAlikeInCallAtAndCallLater() {
        clock.advance(Duration.ofSeconds(10));
        double cap = loop.callLater(Double.POSITIVE_INFINITY, () -> { }).when();
        assertEquals(cap, loop.callLater(5e9, () -> { }).when(), "a delay past the cap is the cap");
        assertEquals(cap, loop.callAt(Double.POSITIVE_INFINITY, () -> { }).when());
        assertEquals(cap, loop.callAt(1e300, () -> { }).when());
        assertEquals(loop.callLater(Double.NEGATIVE_INFINITY, () -> { }).when(),
                loop.callAt(Double.NEGATIVE_INFINITY, () -> { }).when());
    }

    @Test
    void farTimesNeitherFireEarlyNorNeverWhereverTheClockStarts() {
        for (long start : new long[] {-8_000_000_000_000_000_000L, 0, 8_000_000_000_000_000_000L}) {
            EventLoop l = new EventLoop(new StartedClock(start));
            List<String> got = new ArrayList<>();
            l.callAt(Double.POSITIVE_INFINITY, () -> got.add("at infinity"));
            l.callAt(1e300, () -> got.add("at 1e300"));
            l.callLater(Double.POSITIVE_INFINITY, () -> got.add("in infinity"));
            l.callAt(Double.NEGATIVE_INFINITY, () -> got.add("at -infinity"));
            l.callAt(-1e300, () -> got.add("at -1e300"));
            l.callLater(Double.NEGATIVE_INFINITY, () -> got.add("in -infinity"));
            l.callLater(1, l::stop);
            l.runForever();
            l.close();
            assertEquals(List.of("at -infinity", "at -1e300", "in -infinity"), got, "clock starting at " + start);
        }
    }

    /** A virtual clock that starts where it is told, as System.nanoTime may be negative or huge. */
    private static final class StartedClock extends Clock {
        private long now;

        StartedClock(long start) {
            now = start;
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        boolean isVirtual() {
            return true;
        }

        @Override
        void jumpTo(long nanos) {
            if (nanos - now > 0) {
                now = nanos;
            }
        }
    }

    @Test
    void callAtRefusesNaNAsCallLaterDoes() {
        IllegalArgumentException later = assertThrows(IllegalArgumentException.class,
                () -> loop.callLater(Double.NaN, () -> log.add("never")));
        IllegalArgumentException at = assertThrows(IllegalArgumentException.class,
                () -> loop.callAt(Double.NaN, () -> log.add("never")));
        assertEquals("delay is NaN", later.getMessage());
        assertEquals("when is NaN", at.getMessage());
        assertEquals(0, loop.timers().size());
    }

    @Test
    void timeReadsTheInjectedClock() {
        assertEquals(0.0, loop.time());
        clock.advance(Duration.ofMillis(1500));
        assertEquals(1.5, loop.time());
        assertSame(clock, loop.clock());
    }

    @Test
    void aMillionTimersHalfCancelledLeaveNoGarbageInTheHeap() {
        List<TimerHandle> handles = new ArrayList<>(1_000_000);
        for (int i = 0; i < 1_000_000; i++) {
            handles.add(loop.callLater(1 + i % 1000, () -> { }));
        }
        for (int i = 0; i < 1_000_000; i += 2) {
            handles.get(i).cancel();
        }
        assertEquals(500_000, loop.timers().size());
        assertEquals(0, loop.timers().garbage());
        assertTrue(loop.timers().capacity() <= 2 * 1_048_576 / 2 + 1, "capacity " + loop.timers().capacity());
    }

    @Test
    void aMillionSleepsHalfCancelledAreSweptFromTheHeap() {
        List<Future<Void>> sleeps = new ArrayList<>(1_000_000);
        Task<Void> t = loop.createTask(sleepAMillionTimesAndCancelHalf(sleeps));
        loop.runUntilComplete(t);
        assertEquals(500_000, loop.timers().size());
        assertEquals(0, loop.timers().garbage());
    }

    @Async
    static Coroutine<Void> sleepAMillionTimesAndCancelHalf(List<Future<Void>> sleeps) {
        for (int i = 0; i < 1_000_000; i++) {
            sleeps.add(Aio.sleep(1 + i % 1000));
        }
        for (int i = 0; i < 1_000_000; i += 2) {
            sleeps.get(i).cancel();
        }
        return Aio.done();
    }

    @Test
    void cancelledSleepsNeverHoldTheVirtualClockBack() {
        Task<Double> t = loop.createTask(cancelASleepThenSleep());
        assertEquals(1.0, loop.runUntilComplete(t));
    }

    @Async
    Coroutine<Double> cancelASleepThenSleep() {
        Aio.sleep(100).cancel();
        Aio.await(Aio.sleep(1));
        return Aio.result(loop.time());
    }

    @Test
    void callSoonThreadsafeFromFourThreadsLosesNoCallback() throws InterruptedException {
        AtomicInteger count = new AtomicInteger();
        int[] onLoop = {0};
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < 100_000; i++) {
                    loop.callSoonThreadsafe(() -> {
                        onLoop[0]++;
                        if (count.incrementAndGet() == 400_000) {
                            loop.stop();
                        }
                    });
                }
            });
            threads.add(th);
            th.start();
        }
        start.countDown();
        loop.runForever();
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(400_000, count.get());
        assertEquals(400_000, onLoop[0]);
    }

    @Test
    void callSoonThreadsafeWakesALoopWaitingInItsSelector() throws InterruptedException {
        EventLoop real = new EventLoop();
        Thread other = new Thread(() -> {
            while (!real.isRunning()) {
                Thread.onSpinWait();
            }
            real.callSoonThreadsafe(() -> log.add("woken"));
            real.callSoonThreadsafe(real::stop);
        });
        other.start();
        real.runForever();
        other.join();
        real.close();
        assertEquals(List.of("woken"), log);
    }

    /**
     * The loop's wake-ups cost no system call while it is awake; one sent just as it is about to
     * wait must still end that wait. Each round here hands the loop one callback and waits for it
     * to run before the next, so the loop goes to wait between most rounds: a lost wake-up hangs
     * a round, which fails the test after 30 s instead of hanging it.
     */
    @Test
    void aHandOffJustAsTheLoopGoesToWaitIsNeverLost() throws InterruptedException {
        EventLoop real = new EventLoop();
        int rounds = 20_000;
        Semaphore ran = new Semaphore(0);
        AtomicInteger lost = new AtomicInteger(-1);
        int[] onLoop = {0};
        Thread other = new Thread(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    real.callSoonThreadsafe(() -> {
                        onLoop[0]++;
                        ran.release();
                    });
                    if (!ran.tryAcquire(30, TimeUnit.SECONDS)) {
                        lost.set(i);
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            real.stop();
        });
        other.start();
        real.runForever();
        other.join();
        real.close();
        assertEquals(-1, lost.get(), "the hand-off of this round never ran");
        assertEquals(rounds, onLoop[0]);
    }

    /** The same for {@link EventLoop#stop()} from another thread: each of many runs ends. */
    @Test
    void aStopFromAnotherThreadEndsEveryRun() throws InterruptedException {
        EventLoop real = new EventLoop();
        int runs = 2_000;
        for (int i = 0; i < runs; i++) {
            Thread other = new Thread(() -> {
                while (!real.isRunning()) {
                    Thread.onSpinWait();
                }
                real.stop();
            });
            other.start();
            // A timer far away keeps the loop waiting in its selector, not returning by itself.
            TimerHandle far = real.callLater(60, () -> log.add("the timer, not the stop, ended a run"));
            real.runForever();
            far.cancel();
            other.join();
        }
        real.close();
        assertEquals(List.of(), log);
    }

    @Test
    void aLoopOnlyMethodCalledFromAnotherThreadFailsAtOnce() {
        Throwable[] seen = new Throwable[1];
        loop.callSoon(() -> {
            Thread other = new Thread(() -> {
                try {
                    loop.callSoon(() -> { });
                } catch (Throwable t) {
                    seen[0] = t;
                }
            });
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        runOnce();
        assertTrue(seen[0] instanceof IllegalStateException, String.valueOf(seen[0]));
        assertTrue(seen[0].getMessage().contains("use callSoonThreadsafe"), seen[0].getMessage());
    }

    @Test
    void runUntilCompleteReturnsTheResultOfAFutureDoneAlready() {
        Future<String> f = loop.createFuture();
        f.setResult("done before the run");
        assertEquals("done before the run", loop.runUntilComplete(f));
    }

    @Test
    void runUntilCompleteThrowsTheFailureUnwrapped() {
        Task<Object> t = loop.createTask(Naps.sleepThenFail(1, new java.io.IOException("checked")));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> loop.runUntilComplete(t));
        assertEquals("checked", e.getMessage());
    }

    @Test
    void runUntilCompleteFailsWhenTheLoopStopsFirst() {
        Future<String> never = loop.createFuture();
        loop.callLater(1, loop::stop);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(never));
        assertTrue(e.getMessage().contains("stopped before the future completed"), e.getMessage());
    }

    @Test
    void runningALoopInsideARunningLoopIsRefused() {
        Throwable[] seen = new Throwable[2];
        loop.callSoon(() -> {
            try {
                loop.runForever();
            } catch (IllegalStateException e) {
                seen[0] = e;
            }
            EventLoop other = new EventLoop(Clock.virtual());
            try {
                other.runUntilComplete(other.createFuture());
            } catch (IllegalStateException e) {
                seen[1] = e;
            }
        });
        runOnce();
        assertTrue(seen[0].getMessage().contains("already running"));
        assertTrue(seen[1].getMessage().contains("another loop is running on this thread"));
    }

    @Test
    void closeIsIdempotentRefusedWhileRunningAndLaterSchedulingFails() {
        Throwable[] seen = new Throwable[1];
        loop.callSoon(() -> {
            try {
                loop.close();
            } catch (IllegalStateException e) {
                seen[0] = e;
            }
        });
        runOnce();
        assertTrue(seen[0].getMessage().contains("cannot close a running event loop"));
        loop.close();
        loop.close();
        assertTrue(loop.isClosed());
        for (Runnable r : List.<Runnable>of(() -> loop.callSoon(() -> { }), () -> loop.callLater(1, () -> { }),
                () -> loop.callSoonThreadsafe(() -> { }), () -> loop.createFuture(), loop::runForever)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, r::run);
            assertTrue(e.getMessage().startsWith("event loop is closed"), e.getMessage());
        }
    }

    @Test
    void aFailingCallbackGoesToTheExceptionHandlerWithItsHandle() {
        RuntimeException boom = new RuntimeException("boom");
        Handle h = loop.callSoon(() -> {
            throw boom;
        });
        loop.callSoon(() -> log.add("the loop goes on"));
        runOnce();
        assertEquals(1, reported.size());
        assertSame(boom, reported.get(0).exception());
        assertSame(h, reported.get(0).handle());
        assertTrue(reported.get(0).message().startsWith("Exception in callback"));
        assertEquals(List.of("the loop goes on"), log);
    }

    @Test
    void aFailingExceptionHandlerFallsBackToTheDefaultOne() {
        loop.setExceptionHandler((l, c) -> {
            throw new IllegalStateException("handler broken");
        });
        loop.callSoon(() -> {
            throw new RuntimeException("boom");
        });
        loop.callSoon(() -> log.add("still running"));
        runOnce();
        assertEquals(List.of("still running"), log);
        assertNotNull(loop.getExceptionHandler());
        loop.setExceptionHandler(null);
        assertNull(loop.getExceptionHandler());
    }

    @Test
    void tasksStillPendingAtCloseAreReportedWithTheirNames() {
        loop.createTask(Naps.sleepThen(10, "never"), "stuck");
        loop.callLater(1, loop::stop);
        loop.runForever();
        loop.close();
        assertEquals(1, reported.size());
        assertTrue(reported.get(0).message().contains("task stuck never finished"), reported.get(0).message());
        assertEquals("stuck", reported.get(0).task().getName());
    }

    @Test
    void aFailureNobodyRetrievedIsReportedAtCloseWithTheTaskNameAndStackTrace() {
        IllegalStateException failure = new IllegalStateException("lost");
        loop.createTask(Naps.sleepThenFail(1, failure), "orphan");
        loop.callLater(2, loop::stop);
        loop.runForever();
        assertTrue(reported.isEmpty(), "nothing is reported while the task could still be awaited");
        loop.close();
        assertEquals(1, reported.size());
        EventLoop.ExceptionContext c = reported.get(0);
        assertTrue(c.message().contains("task orphan failed"), c.message());
        assertSame(failure, c.exception());
        assertTrue(c.exception().getStackTrace().length > 0);
        assertEquals("orphan", c.task().getName());
    }

    @Test
    void aFailureRetrievedLaterIsNotReported() {
        Task<Object> t = loop.createTask(Naps.sleepThenFail(1, new IllegalStateException("seen later")));
        loop.callLater(2, loop::stop);
        loop.runForever();
        assertEquals("seen later", t.exception().getMessage());
        loop.close();
        assertTrue(reported.isEmpty());
    }

    @Test
    void debugModeLogsASlowCallbackAndTheCreationSiteOfASlowTask() {
        List<LogRecord> records = new ArrayList<>();
        Logger jul = Logger.getLogger("dev.weft.runtime");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(capture);
        try {
            loop.setDebug(true);
            assertTrue(loop.isDebug());
            assertEquals(0.1, loop.getSlowCallbackDuration());
            loop.callSoon(() -> clock.advance(Duration.ofMillis(150)));
            loop.callSoon(() -> clock.advance(Duration.ofMillis(50)));
            Task<Void> slow = loop.createTask(slowStep());
            loop.runUntilComplete(slow);
        } finally {
            jul.removeHandler(capture);
        }
        assertEquals(2, records.size(), records.stream().map(LogRecord::getMessage).toList().toString());
        assertTrue(records.get(0).getMessage().matches("Executing callback .* took 0\\.150 seconds"),
                records.get(0).getMessage());
        assertTrue(records.get(1).getMessage().matches("Executing step of Task\\[Task-1.* took 0\\.200 seconds"),
                records.get(1).getMessage());
        Throwable site = records.get(1).getThrown();
        assertEquals("task created here", site.getMessage());
        assertTrue(List.of(site.getStackTrace()).stream().anyMatch(f -> f.getMethodName().startsWith("debugMode")));
    }

    @Async
    Coroutine<Void> slowStep() {
        clock.advance(Duration.ofMillis(200));
        return Aio.done();
    }

    @Test
    void debugModeReportsACoroutineThatWasNeverAwaitedAtCloseWithItsCreationSite() {
        List<EventLoop.ExceptionContext> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add(context));
        loop.setDebug(true);
        Task<String> main = loop.createTask(forgetOneAwaitAnother());
        assertEquals("done", loop.runUntilComplete(main));
        assertTrue(reported.isEmpty(), reported::toString);

        loop.close();

        assertEquals(1, reported.size(), reported::toString);
        assertEquals("coroutine EventLoopTest.forgotten was never awaited: await it, or wrap it in createTask",
                reported.get(0).message());
        assertTrue(List.of(reported.get(0).exception().getStackTrace()).stream()
                .anyMatch(f -> f.getMethodName().equals("forgetOneAwaitAnother")));
    }

    @Async
    static Coroutine<String> forgetOneAwaitAnother() {
        // Kept in a local, not dropped, so that the weaver does not warn of the forgotten await the test is about.
        Coroutine<String> forgotten = forgotten();
        return awaited();
    }

    @Async
    static Coroutine<String> forgotten() {
        return Aio.result("never run");
    }

    @Async
    static Coroutine<String> awaited() {
        return Aio.result("done");
    }

    @Test
    void aDebugLoopThatIsNeverClosedLeavesCoroutineTrackingOffOnceItStops() {
        int before = DebugRegistry.DEBUG_LOOPS.get();
        loop.setDebug(true);
        int[] whileRunning = new int[1];
        loop.callSoon(() -> whileRunning[0] = DebugRegistry.DEBUG_LOOPS.get());
        runOnce();
        assertEquals(before + 1, whileRunning[0], "coroutines are tracked while the debug loop runs");
        assertTrue(loop.isDebug());
        assertFalse(loop.isClosed());
        assertEquals(before, DebugRegistry.DEBUG_LOOPS.get(), "an open debug loop that stopped tracks nothing");
    }

    @Test
    void debugModeSwitchedDuringARunTracksCoroutinesUntilTheRunEnds() {
        int before = DebugRegistry.DEBUG_LOOPS.get();
        List<Integer> counts = new ArrayList<>();
        loop.callSoon(() -> {
            counts.add(DebugRegistry.DEBUG_LOOPS.get() - before);
            loop.setDebug(true);
            counts.add(DebugRegistry.DEBUG_LOOPS.get() - before);
            loop.setDebug(false);
            counts.add(DebugRegistry.DEBUG_LOOPS.get() - before);
            loop.setDebug(true);
        });
        runOnce();
        assertEquals(List.of(0, 1, 0), counts);
        assertEquals(before, DebugRegistry.DEBUG_LOOPS.get());
        loop.close();
        assertEquals(before, DebugRegistry.DEBUG_LOOPS.get());
    }

    @Test
    void withoutDebugModeNoCoroutineIsRecorded() {
        List<EventLoop.ExceptionContext> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add(context));
        loop.runUntilComplete(loop.createTask(forgetOne()));
        loop.close();
        assertTrue(reported.isEmpty(), reported::toString);
    }

    @Async
    static Coroutine<Void> forgetOne() {
        Coroutine<String> forgotten = forgotten();
        return Aio.done();
    }

    @Test
    void runInExecutorRunsOnAnotherThreadAndCloseShutsTheDefaultExecutorDown() {
        Thread loopThread = Thread.currentThread();
        Task<Thread> t = loop.createTask(threadOfTheDefaultExecutor());
        Thread worker = loop.runUntilComplete(t);
        assertNotEquals(loopThread, worker);
        assertTrue(worker.getName().startsWith("weft-executor-"));
        loop.close();
        assertThrows(IllegalStateException.class, () -> loop.runInExecutor(null, () -> 1));
    }

    @Async
    Coroutine<Thread> threadOfTheDefaultExecutor() {
        return Aio.result(Aio.await(loop.runInExecutor(null, Thread::currentThread)));
    }

    @Test
    void theVirtualClockWaitsForWorkOnOtherThreadsBeforeJumpingToATimer() {
        Task<String> t = loop.createTask(waitForWorkOnTheDefaultExecutor());
        assertEquals("in time", loop.runUntilComplete(t));
        assertEquals(0.0, loop.time());
        loop.close();
    }

    @Async
    Coroutine<String> waitForWorkOnTheDefaultExecutor() {
        return Aio.result(Aio.await(Aio.waitFor(loop.runInExecutor(null, () -> {
            Thread.sleep(20);
            return "in time";
        }), 10)));
    }

    @Test
    void toStringShowsTheStateOfTheLoop() {
        assertTrue(loop.toString().startsWith("EventLoop[idle"), loop.toString());
        loop.close();
        assertTrue(loop.toString().startsWith("EventLoop[closed"), loop.toString());
    }

    @Test
    void anExecutorThatRejectsAJobLeavesTheVirtualClockFreeToJump() {
        java.util.concurrent.Executor refusing = r -> {
            throw new java.util.concurrent.RejectedExecutionException("full");
        };
        long realStart = System.nanoTime();
        String outcome = loop.runUntilComplete(sleepWhenTheExecutorRefuses(refusing));
        assertEquals("slept until 30.0", outcome);
        assertTrue(System.nanoTime() - realStart < 20_000_000_000L, "the virtual 30 s must not be waited for real");
    }

    @Async
    Coroutine<String> sleepWhenTheExecutorRefuses(java.util.concurrent.Executor refusing) {
        try {
            loop.runInExecutor(refusing, () -> "never");
            return Aio.result("accepted");
        } catch (java.util.concurrent.RejectedExecutionException e) {
            Aio.await(Aio.sleep(30));
        }
        return Aio.result("slept until " + loop.time());
    }

    private static Pipe nonBlockingPipe() throws IOException {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
        return pipe;
    }

    private static String readAll(Pipe.SourceChannel source) {
        ByteBuffer b = ByteBuffer.allocate(64);
        try {
            int n = source.read(b);
            return new String(b.array(), 0, Math.max(0, n));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes {@code text} into the pipe from another thread, after the loop has had time to start waiting. */
    private static Thread writeLater(Pipe pipe, String text) {
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(50);
                pipe.sink().write(ByteBuffer.wrap(text.getBytes()));
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        writer.start();
        return writer;
    }

    @Test
    void aChannelRegisteredOnTheLoopRunsItsCallbackOnTheLoopsThreadWhenReady() throws Exception {
        Pipe pipe = nonBlockingPipe();
        try {
            Thread[] ranOn = new Thread[1];
            loop.registerChannel(pipe.source(), SelectionKey.OP_READ, (key, ops) -> {
                ranOn[0] = Thread.currentThread();
                log.add("read " + readAll(pipe.source()));
                key.cancel();
                loop.stop();
            });
            Thread writer = writeLater(pipe, "ping");
            loop.runForever();
            writer.join();
            assertSame(Thread.currentThread(), ranOn[0]);
            assertEquals(List.of("read ping"), log);
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void theVirtualClockWaitsForRealForAChannelWithInterestBeforeJumpingToATimer() throws Exception {
        Pipe pipe = nonBlockingPipe();
        try {
            // tag::virtual-clock-io[]
            loop.registerChannel(pipe.source(), SelectionKey.OP_READ, (key, ops) -> {
                log.add("read " + readAll(pipe.source()) + " at " + loop.time());
                key.cancel();
            });
            loop.callLater(10, () -> {
                log.add("timeout at " + loop.time());
                loop.stop();
            });
            Thread writer = writeLater(pipe, "ping");   // 50 ms of real time from now
            loop.runForever();
            assertEquals(List.of("read ping at 0.0", "timeout at 10.0"), log);
            // end::virtual-clock-io[]
            writer.join();
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    @Timeout(60)
    void aChannelWaitingForNothingDoesNotHoldTheVirtualClockBack() throws Exception {
        Pipe pipe = nonBlockingPipe();
        try {
            PollKey paused = loop.registerChannel(pipe.source(), SelectionKey.OP_READ, (key, ops) -> log.add("read"));
            paused.interestOps(0);
            loop.callLater(3600, loop::stop);
            loop.runForever();
            assertEquals(3600.0, loop.time());
            assertTrue(paused.isValid());
            assertEquals(List.of(), log);
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void aFailingChannelCallbackGoesToTheExceptionHandlerAndTheLoopGoesOn() throws Exception {
        Pipe pipe = nonBlockingPipe();
        try {
            RuntimeException boom = new RuntimeException("boom");
            PollKey writable = loop.registerChannel(pipe.sink(), SelectionKey.OP_WRITE, (key, ops) -> {
                key.cancel();
                throw boom;
            });
            loop.callSoon(() -> log.add("the loop goes on"));
            runOnce();
            assertEquals(1, reported.size());
            assertSame(boom, reported.get(0).exception());
            assertTrue(reported.get(0).message().startsWith("Exception in callback PollKey["), reported.get(0).message());
            assertFalse(writable.isValid());
            assertEquals(List.of("the loop goes on"), log);
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void closingTheLoopEndsItsChannelRegistrations() throws Exception {
        Pipe pipe = nonBlockingPipe();
        try {
            PollKey key = loop.registerChannel(pipe.source(), SelectionKey.OP_READ, (k, ops) -> log.add("read"));
            loop.close();
            assertFalse(key.isValid());
            assertThrows(IllegalStateException.class,
                    () -> loop.registerChannel(pipe.sink(), SelectionKey.OP_WRITE, (k, ops) -> { }));
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }
}
