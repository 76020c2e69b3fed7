package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.toThread;
import static dev.weft.runtime.Naps.sleepThen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FutureTest {
    private final EventLoop loop = new EventLoop(Clock.virtual());
    private final List<String> log = new ArrayList<>();

    /**
     * The engine makes a waiter pending again for a queue's next wait only when it is a plain
     * future done with a result: never one pending, failed or cancelled, and never a task or
     * another kind of future (a task, a sleep), whose state others read.
     */
    @Test
    void onlyAPlainFutureDoneWithAResultIsMadePendingAgain() {
        dev.weft.runtime.kernel.Engine engine = dev.weft.runtime.kernel.Engine.get();
        Future<String> woke = loop.createFuture();
        assertFalse(engine.reuse(woke), "pending");
        woke.setResult("v");
        assertTrue(engine.reuse(woke));
        assertFalse(woke.isDone());
        woke.setResult("again");
        assertEquals("again", woke.result());
        Future<String> failed = loop.createFuture();
        failed.setException(new IllegalStateException("boom"));
        assertFalse(engine.reuse(failed), "failed");
        assertTrue(failed.isDone());
        failed.exception();
        Future<String> cancelled = loop.createFuture();
        cancelled.cancel();
        assertFalse(engine.reuse(cancelled), "cancelled");
        assertTrue(cancelled.isCancelled());
        Future<String> kind = new Future<>(loop) {
        };
        kind.setResult("v");
        assertFalse(engine.reuse(kind), "another kind of future");
        assertTrue(kind.isDone());
    }

    @Test
    void aResultIsSetOnceAndReadBack() {
        Future<String> f = loop.createFuture();
        assertFalse(f.isDone());
        f.setResult("v");
        assertTrue(f.isDone());
        assertFalse(f.isCancelled());
        assertEquals("v", f.result());
        assertNull(f.exception());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.setResult("again"));
        assertTrue(e.getMessage().contains("is done already"));
        assertFalse(f.cancel());
    }

    @Test
    void readingAPendingFutureFails() {
        Future<String> f = loop.createFuture();
        assertTrue(assertThrows(IllegalStateException.class, f::result).getMessage().startsWith("Result is not set"));
        assertTrue(assertThrows(IllegalStateException.class, f::exception).getMessage()
                .startsWith("Exception is not set"));
    }

    @Test
    void anExceptionIsThrownUnwrappedByResultAndReturnedByException() {
        Future<String> f = loop.createFuture();
        IOException failure = new IOException("io");
        f.setException(failure);
        assertSame(failure, assertThrows(IOException.class, f::result));
        assertSame(failure, f.exception());
    }

    @Test
    void aCancelledErrorCannotBeSetAsAnException() {
        Future<String> f = loop.createFuture();
        assertThrows(IllegalArgumentException.class, () -> f.setException(new CancelledError()));
    }

    @Test
    void aCancelledFutureThrowsCancelledErrorWithItsMessage() {
        Future<String> f = loop.createFuture();
        assertTrue(f.cancel("no longer needed"));
        assertTrue(f.isCancelled());
        assertEquals("no longer needed", assertThrows(CancelledError.class, f::result).getMessage());
        assertThrows(CancelledError.class, f::exception);
        assertEquals("Future[cancelled]", f.toString());
    }

    @Test
    void doneCallbacksRunOnTheLoopNotInline() {
        Future<String> f = loop.createFuture();
        f.addDoneCallback(done -> log.add("first saw " + done.result()));
        f.addDoneCallback(done -> log.add("second"));
        f.setResult("v");
        assertTrue(log.isEmpty(), "callbacks are scheduled, not run inline");
        loop.stop();
        loop.runForever();
        assertEquals(List.of("first saw v", "second"), log);
        f.addDoneCallback(done -> log.add("added when done"));
        loop.stop();
        loop.runForever();
        assertEquals("added when done", log.get(2));
    }

    @Test
    void removeDoneCallbackRemovesEveryRegistration() {
        Future<String> f = loop.createFuture();
        Consumer<Future<String>> cb = done -> log.add("removed one ran");
        f.addDoneCallback(cb);
        f.addDoneCallback(done -> log.add("kept"));
        f.addDoneCallback(cb);
        assertEquals(2, f.removeDoneCallback(cb));
        f.setResult("v");
        loop.stop();
        loop.runForever();
        assertEquals(List.of("kept"), log);
        Future<String> single = loop.createFuture();
        single.addDoneCallback(cb);
        assertEquals(1, single.removeDoneCallback(cb));
    }

    @Test
    void toCompletableFutureCompletesWithTheOutcome() throws Exception {
        Future<String> ok = loop.createFuture();
        Future<String> bad = loop.createFuture();
        Future<String> gone = loop.createFuture();
        CompletableFuture<String> okCf = ok.toCompletableFuture();
        CompletableFuture<String> badCf = bad.toCompletableFuture();
        CompletableFuture<String> goneCf = gone.toCompletableFuture();
        ok.setResult("v");
        bad.setException(new IOException("io"));
        gone.cancel();
        loop.stop();
        loop.runForever();
        assertEquals("v", okCf.get());
        assertTrue(assertThrows(ExecutionException.class, badCf::get).getCause() instanceof IOException);
        assertTrue(goneCf.isCancelled());
        assertEquals("v", ok.toCompletableFuture().getNow(null), "a done future converts at once");
    }

    @Test
    void fromStageFollowsACompletableFutureCompletedOnAnotherThread() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Task<String> t = loop.createTask(awaitAStageCompletedElsewhere(cf));
        assertEquals("elsewhere", loop.runUntilComplete(t));
    }

    @Async
    static Coroutine<String> awaitAStageCompletedElsewhere(CompletableFuture<String> cf) {
        new Thread(() -> cf.complete("elsewhere")).start();
        return result(await(Future.fromStage(cf)));
    }

    @Test
    void fromStageUnwrapsTheFailureAndCancellingItCancelsTheStage() {
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        Task<Void> t = loop.createTask(awaitAFailedStageThenCancelOne(failing, cancelled));
        loop.runUntilComplete(t);
        assertEquals(List.of("IOException: wrapped"), log);
        assertTrue(cancelled.isCancelled());
    }

    @Async
    Coroutine<Void> awaitAFailedStageThenCancelOne(CompletableFuture<String> failing,
            CompletableFuture<String> cancelled) {
        Future<String> f = Future.fromStage(failing);
        failing.completeExceptionally(new java.util.concurrent.CompletionException(new IOException("wrapped")));
        try {
            await(f);
        } catch (Exception e) {
            log.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            Future<String> g = Future.fromStage(cancelled);
            g.cancel();
        }
        return done();
    }

    @Test
    void joinOnTheLoopsOwnThreadFailsInsteadOfDeadlocking() {
        Future<String> f = loop.createFuture();
        Throwable[] seen = new Throwable[2];
        loop.callSoon(() -> {
            seen[0] = assertThrows(IllegalStateException.class, f::join);
            seen[1] = assertThrows(IllegalStateException.class, f::get);
        });
        loop.stop();
        loop.runForever();
        assertTrue(seen[0].getMessage().contains("Future.join() called on the event loop's own thread"));
        assertTrue(seen[1].getMessage().contains("would deadlock"));
    }

    @Test
    void joinFromAnotherThreadWaitsForTheLoop() throws InterruptedException {
        Future<String> f = loop.createFuture();
        String[] got = new String[1];
        Thread waiter = new Thread(() -> got[0] = f.join());
        loop.callSoon(waiter::start);
        loop.callLater(1, () -> f.setResult("joined"));
        loop.runUntilComplete(f);
        waiter.join();
        assertEquals("joined", got[0]);
    }

    @Test
    void getFromAnotherThreadWrapsTheFailure() throws InterruptedException {
        Future<String> f = loop.createFuture();
        Throwable[] got = new Throwable[1];
        Thread waiter = new Thread(() -> got[0] = assertThrows(ExecutionException.class, f::get).getCause());
        loop.callSoon(waiter::start);
        loop.callLater(1, () -> f.setException(new IOException("io")));
        loop.callLater(2, loop::stop);
        loop.runForever();
        waiter.join();
        assertTrue(got[0] instanceof IOException);
        assertSame(loop, f.getLoop());
    }

    @Test
    void joinFromAnotherThreadFailsWhenTheLoopClosesWithTheFuturePending() throws Exception {
        Future<String> f = loop.createFuture();
        java.util.concurrent.CompletableFuture<Throwable> seen = new java.util.concurrent.CompletableFuture<>();
        Thread joiner = new Thread(() -> {
            try {
                f.join();
                seen.complete(null);
            } catch (Throwable t) {
                seen.complete(t);
            }
        });
        joiner.start();
        // Only once the joiner waits is the close the thing that must wake it.
        while (joiner.getState() != Thread.State.TIMED_WAITING && joiner.isAlive()) {
            Thread.onSpinWait();
        }
        loop.runUntilComplete(sleepThen(0.001, "slept"));
        loop.close();
        Throwable t = seen.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(t instanceof IllegalStateException, String.valueOf(t));
        assertTrue(t.getMessage().startsWith("the event loop closed while"), t.getMessage());
    }

    @Test
    void aFailureJoinedOnAnotherThreadIsNotReportedAsLost() throws Exception {
        List<EventLoop.ExceptionContext> reported = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> reported.add(c));
        Future<String> f = loop.createFuture();
        String outcome = loop.runUntilComplete(failThenJoinOnAnotherThread(f));
        loop.close();
        assertEquals("other thread caught boom", outcome);
        assertTrue(reported.isEmpty(), reported::toString);
    }

    @Async
    static Coroutine<String> failThenJoinOnAnotherThread(Future<String> f) {
        f.setException(new IllegalStateException("boom"));
        return result(await(toThread(() -> {
            try {
                return f.join();
            } catch (IllegalStateException e) {
                return "other thread caught " + e.getMessage();
            }
        })));
    }

    @Test
    void cancellingAFailedFutureRetrievesItsFailure() {
        // CPython's Future.cancel clears __log_traceback before it looks at the state.
        List<EventLoop.ExceptionContext> reported = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> reported.add(c));
        Future<String> f = loop.createFuture();
        f.setException(new IOException("seen by cancel"));
        assertFalse(f.cancel());
        loop.close();
        assertTrue(reported.isEmpty(), reported::toString);
    }
}
