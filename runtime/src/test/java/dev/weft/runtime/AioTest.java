package dev.weft.runtime;

import static dev.weft.runtime.Aio.allTasks;
import static dev.weft.runtime.Aio.asCompleted;
import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.ensureFuture;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.shield;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Aio.toThread;
import static dev.weft.runtime.Aio.waitFor;
import static dev.weft.runtime.Naps.awaiting;
import static dev.weft.runtime.Naps.sleepThen;
import static dev.weft.runtime.Naps.sleepThenFail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AioTest {
    private final VirtualClock clock = Clock.virtual();
    private final List<String> log = new ArrayList<>();
    private int iterations;

    private <T> T run(Coroutine<T> main) {
        return Aio.run(main, clock);
    }

    private static double now() {
        return Aio.getRunningLoop().time();
    }

    // ---------------------------------------------------------------- the README's gather example

    @Test
    void gatherOfThreeSleepersTakesTheLongestSleepOnTheVirtualClock() {
        assertEquals(List.of("Data 1", "Data 2", "Data 3"), run(gatherThreeFetches()));
        assertEquals(List.of("3 done at 1.0", "1 done at 2.0", "2 done at 3.0"), log);
        assertEquals(3_000_000_000L, clock.nanoTime());
    }

    @Async
    Coroutine<List<String>> gatherThreeFetches() {
        return result(await(gather(fetch(1, 2), fetch(2, 3), fetch(3, 1))));
    }

    @Async
    Coroutine<String> fetch(int id, double seconds) {
        await(sleep(seconds));
        log.add(id + " done at " + now());
        return result("Data " + id);
    }

    @Test
    void theDesignExampleGathersThreeFetchesInThreeVirtualSeconds() {
        List<String> results = run(main());
        assertEquals(List.of("Data from 1", "Data from 2", "Data from 3"), results);
        assertEquals(3.0, clock.nanoTime() / 1e9);
        assertEquals(List.of("Task 1: starting...", "Task 2: starting...", "Task 3: starting...", "Task 3: done!",
                "Task 1: done!", "Task 2: done!"), log);
    }

    @Async
    Coroutine<String> fetchData(int id, double seconds) {
        log.add("Task " + id + ": starting...");
        await(sleep(seconds));
        log.add("Task " + id + ": done!");
        return result("Data from " + id);
    }

    @Async
    Coroutine<List<String>> main() {
        List<String> results = await(gather(fetchData(1, 2), fetchData(2, 3), fetchData(3, 1)));
        return result(results);
    }

    @Test
    void aTaskAwaitsAFutureSetByATimer() {
        assertEquals("set", run(awaitAFutureSetByATimer()));
    }

    @Async
    static Coroutine<String> awaitAFutureSetByATimer() {
        Future<String> f = getRunningLoop().createFuture();
        getRunningLoop().callLater(1, () -> f.setResult("set"));
        return result(await(createTask(awaiting(f))));
    }

    // ---------------------------------------------------------------- await

    @Test
    void aFailureDeliveredAtResumeIsCaughtByTheBodysTryCatch() {
        assertEquals("caught late: boom", run(catchLate()));
    }

    @Async
    static Coroutine<String> catchLate() {
        EventLoop loop = getRunningLoop();
        Future<String> f = loop.createFuture();
        loop.callLater(1, () -> f.setException(new IllegalArgumentException("boom")));
        try {
            return result(await(f));
        } catch (IllegalArgumentException e) {
            return result("caught late: " + e.getMessage());
        }
    }

    @Test
    void aCheckedExceptionEscapesTheAwaitUnwrapped() {
        IOException e = assertThrows(IOException.class, () -> run(rethrowChecked()));
        assertEquals("disk gone", e.getMessage());
    }

    @Async
    static Coroutine<Void> rethrowChecked() {
        EventLoop loop = getRunningLoop();
        Future<String> f = loop.createFuture();
        loop.callLater(1, () -> f.setException(new IOException("disk gone")));
        await(f);
        return done();
    }

    @Test
    void awaitStageResumesWhenAnotherThreadCompletesTheStage() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Thread completer = new Thread(() -> cf.complete("from another thread"));
        assertEquals("from another thread", run(awaitStage(cf, completer)));
    }

    @Async
    static Coroutine<String> awaitStage(CompletableFuture<String> cf, Thread completer) {
        completer.start();
        return result(await(cf));
    }

    // ---------------------------------------------------------------- sleep

    @Test
    void sleepZeroYieldsExactlyOneIteration() {
        int[] seen = run(iterationsAroundASleepZero());
        assertEquals(1, seen[1] - seen[0]);
    }

    @Async
    Coroutine<int[]> iterationsAroundASleepZero() {
        EventLoop loop = getRunningLoop();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            iterations++;
            loop.callSoon(tick[0]);
        };
        loop.callSoon(tick[0]);
        await(sleep(0));
        int before = iterations;
        await(sleep(0));
        return result(new int[] {before, iterations});
    }

    @Test
    void sleepZeroLetsTheOtherTasksRunInTurn() {
        run(gatherTurns());
        assertEquals(List.of("a1", "b1", "a2", "b2", "a3", "b3"), log);
    }

    @Async
    Coroutine<Void> gatherTurns() {
        await(gather(turns("a"), turns("b")));
        return done();
    }

    @Async
    Coroutine<Void> turns(String who) {
        log.add(who + 1);
        await(sleep(0));
        log.add(who + 2);
        await(sleep(Duration.ZERO));
        log.add(who + 3);
        return done();
    }

    @Test
    void sleepZeroIsAFutureThatCompletesForAnyObserver() {
        assertEquals(Arrays.asList(null, null), run(gatherTwoZeroSleeps()));
    }

    @Async
    static Coroutine<List<Void>> gatherTwoZeroSleeps() {
        return result(await(gather(sleep(0), sleep(-1))));
    }

    @Test
    void sleepTakesExactlyItsTimeOnTheVirtualClock() {
        assertEquals(3.5, run(sleepThreeAndAHalfSeconds()));
        assertEquals(3_500_000_000L, clock.nanoTime());
    }

    @Async
    static Coroutine<Double> sleepThreeAndAHalfSeconds() {
        await(sleep(Duration.ofMillis(3500)));
        return result(now());
    }

    // ---------------------------------------------------------------- gather

    @Test
    void gatherKeepsArgumentOrderAndRunsConcurrently() {
        List<String> results = run(gatherSlowFastMiddle());
        assertEquals(List.of("slow", "fast", "middle"), results);
        assertEquals(3.0, clock.nanoTime() / 1e9);
    }

    @Async
    static Coroutine<List<String>> gatherSlowFastMiddle() {
        return result(await(gather(sleepThen(3, "slow"), sleepThen(1, "fast"), sleepThen(2, "middle"))));
    }

    @Test
    void gatherOfNothingIsAnEmptyList() {
        assertEquals(List.of(), run(gatherNothing()));
    }

    @Async
    static Coroutine<List<Object>> gatherNothing() {
        return result(await(gather(List.of())));
    }

    @Test
    void theFirstFailureOfGatherPropagatesWhileSiblingsKeepRunning() {
        Task<?>[] sibling = new Task<?>[1];
        String outcome = run(gatherWithTwoFailures(sibling));
        assertEquals(List.of("first at 1.0, sibling done: false"), log);
        assertEquals("sibling done at 2.0", outcome);
    }

    @Async
    Coroutine<String> gatherWithTwoFailures(Task<?>[] sibling) {
        Task<String> s = createTask(sleepThen(2, "sibling done"));
        sibling[0] = s;
        String outcome;
        try {
            outcome = await(gather(Naps.<String>sleepThenFail(1, new IOException("first")), s,
                    Naps.<String>sleepThenFail(1.5, new IOException("second")))).toString();
        } catch (Exception e) {
            log.add(e.getMessage() + " at " + now() + ", sibling done: " + s.isDone());
            outcome = await(s);
        }
        return result(outcome + " at " + now());
    }

    @Test
    void gatherWithReturnExceptionsCollectsFailuresInPlace() {
        IOException failure = new IOException("in place");
        List<Object> results = run(gatherReturningExceptions(failure));
        assertEquals(Arrays.asList("ok", failure), results);
    }

    @Async
    static Coroutine<List<Object>> gatherReturningExceptions(IOException failure) {
        return result(await(gather(List.of(sleepThen(1, "ok"), sleepThenFail(2, failure)), true)));
    }

    @Test
    void cancellingTheGatherCancelsTheChildren() {
        Task<?>[] children = new Task<?>[2];
        String outcome = run(cancelTheGather(children));
        assertEquals("CancelledError at 1.0", outcome);
        assertTrue(children[0].isCancelled());
        assertTrue(children[1].isCancelled());
    }

    @Async
    static Coroutine<String> cancelTheGather(Task<?>[] children) {
        children[0] = createTask(sleepThen(5, "a"));
        children[1] = createTask(sleepThen(5, "b"));
        Future<List<Object>> g = gather(children[0], children[1]);
        getRunningLoop().callLater(1, g::cancel);
        try {
            return result(await(g).toString());
        } catch (CancelledError e) {
            return result(e.getClass().getSimpleName() + " at " + now());
        }
    }

    @Test
    void cancellingATaskThatAwaitsAGatherCancelsTheChildren() {
        Task<?>[] child = new Task<?>[1];
        run(cancelTheWaiterOfAGather(child));
        assertTrue(child[0].isCancelled());
    }

    @Async
    static Coroutine<Void> cancelTheWaiterOfAGather(Task<?>[] child) {
        Task<List<Object>> waiter = createTask(gatherOneChild(child));
        getRunningLoop().callLater(1, waiter::cancel);
        await(Aio.wait(List.of(waiter)));
        return done();
    }

    @Async
    static Coroutine<List<Object>> gatherOneChild(Task<?>[] child) {
        child[0] = createTask(sleepThen(5, "a"));
        return result(await(gather(child[0])));
    }

    @Test
    void cancellingATaskThatAwaitsAGatherReturningExceptionsKeepsTheMessage() {
        // CPython's test_cancel_gather_2.
        for (String message : new String[] {"my message", null}) {
            log.clear();
            run(cancelTheLooperWithAMessage(message));
            assertEquals(List.of("CancelledError: " + message), log);
        }
    }

    @Async
    Coroutine<Void> cancelTheLooperWithAMessage(String message) {
        Task<Void> looper = createTask(gatherInALoop());
        await(sleep(0.22));   // while the looper awaits a gather
        looper.cancel(message);
        try {
            await(looper);
        } catch (CancelledError e) {
            log.add(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return done();
    }

    @Async
    static Coroutine<Void> gatherInALoop() {
        for (double time = 0; time <= 1; time += 0.05) {
            await(gather(List.of(sleep(0.05)), true));
        }
        return done();
    }

    // ---------------------------------------------------------------- waitFor

    @Test
    void waitForCancelsTheInnerTaskWaitsForItThenRaisesTimeoutError() {
        Task<?>[] inner = new Task<?>[1];
        String outcome = run(waitForASlowInner(inner));
        assertEquals("timed out", outcome);
        assertEquals(List.of("inner cancelled at 2.0", "inner cleaned up at 3.0", "TimeoutError at 3.0"), log);
        assertTrue(inner[0].isCancelled());
    }

    @Async
    Coroutine<String> waitForASlowInner(Task<?>[] inner) {
        inner[0] = createTask(slowToCancel());
        try {
            await(waitFor(inner[0], 2));
            return result("in time");
        } catch (TimeoutError e) {
            log.add(e.getClass().getSimpleName() + " at " + now());
            return result("timed out");
        }
    }

    @Async
    Coroutine<Void> slowToCancel() {
        try {
            await(sleep(10));
        } catch (CancelledError e) {
            log.add("inner cancelled at " + now());
            await(sleep(1));
        }
        log.add("inner cleaned up at " + now());
        throw new CancelledError();
    }

    @Test
    void waitForGivesTheResultWhenInTime() {
        assertEquals("quick at 1.0", run(waitForAQuickInner()));
        assertEquals(1.0, clock.nanoTime() / 1e9, "the timer of waitFor does not hold the loop");
    }

    @Async
    static Coroutine<String> waitForAQuickInner() {
        String v = await(waitFor(sleepThen(1, "quick"), 5));
        return result(v + " at " + now());
    }

    @Test
    void waitForPassesTheInnerFailureOn() {
        IOException e = assertThrows(IOException.class, () -> run(waitForAFailingInner()));
        assertEquals("inner", e.getMessage());
    }

    @Async
    static Coroutine<Object> waitForAFailingInner() {
        return result(await(waitFor(sleepThenFail(1, new IOException("inner")), 5)));
    }

    @Test
    void waitForWithNoTimeLeftNeverStartsACoroutine() {
        // CPython's test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started.
        assertEquals("TimeoutError, TimeoutError", run(waitForAnUnstartedCoroutineWithNoTime()));
        assertEquals(List.of(), log);
    }

    @Async
    Coroutine<String> waitForAnUnstartedCoroutineWithNoTime() {
        List<String> outcomes = new ArrayList<>();
        for (double limit : new double[] {0, -1}) {
            try {
                await(waitFor(logStart(), limit));
                outcomes.add("returned");
            } catch (TimeoutError e) {
                outcomes.add(e.getClass().getSimpleName());
            }
        }
        return result(String.join(", ", outcomes));
    }

    @Async
    Coroutine<String> logStart() {
        log.add("started");
        return result("ran");
    }

    @Test
    void waitForWithNoTimeLeftCancelsARunningTaskAndWaitsForIt() {
        // CPython's test_wait_for_timeout_less_then_0_or_0.
        assertEquals("TimeoutError, cancelled true", run(waitForARunningTaskWithNoTime()));
        assertEquals(List.of("running", "cleaned up at 0.0"), log);
    }

    @Async
    Coroutine<String> waitForARunningTaskWithNoTime() {
        Future<Void> started = getRunningLoop().createFuture();
        Task<String> t = createTask(runUntilCancelled(started));
        await(started);
        try {
            await(waitFor(t, 0));
            return result("returned");
        } catch (TimeoutError e) {
            return result(e.getClass().getSimpleName() + ", cancelled " + t.isCancelled());
        }
    }

    @Async
    Coroutine<String> runUntilCancelled(Future<Void> started) {
        log.add("running");
        started.setResult(null);
        try {
            await(sleep(10));
        } finally {
            log.add("cleaned up at " + now());
        }
        return result("done");
    }

    @Test
    void waitForWithNoTimeLeftGivesTheResultOfWhatIsDoneAlready() {
        // CPython's test_wait_for_timeout_less_then_0_or_0_future_done.
        assertEquals("ready", run(waitForADoneFutureWithNoTime()));
    }

    @Async
    static Coroutine<String> waitForADoneFutureWithNoTime() {
        Future<String> f = getRunningLoop().createFuture();
        f.setResult("ready");
        return result(await(waitFor(f, 0)));
    }

    // ---------------------------------------------------------------- wait and asCompleted

    @Test
    void waitFirstCompletedReturnsTheFirstDoneAndCancelsNothing() {
        Aio.WaitResult<?> r = run(waitFirstCompleted());
        assertEquals(List.of("returned at 1.0, pending cancelled: false"), log);
        assertEquals(List.of("a"), r.done().stream().map(Future::result).toList());
        assertEquals(2, r.pending().size());
    }

    @Async
    Coroutine<Aio.WaitResult<String>> waitFirstCompleted() {
        Aio.WaitResult<String> r = await(Aio.wait(List.of(sleepThen(2, "b"), sleepThen(1, "a"), sleepThen(3, "c")), -1,
                Aio.ReturnWhen.FIRST_COMPLETED));
        log.add("returned at " + now() + ", pending cancelled: " + r.pending().stream().anyMatch(Future::isCancelled));
        return result(r);
    }

    @Test
    void waitFirstCompletedSplitsDoneFromPendingWhenTheWaiterResumes() {
        // CPython's test_wait_really_done: b finishes after a's completion woke the wait, before
        // the waiting task resumes.
        assertEquals("done 2, pending 0", run(waitForTwoYielders()));
    }

    @Async
    static Coroutine<String> waitForTwoYielders() {
        Task<Void> a = createTask(yieldTimes(1));
        Task<Void> b = createTask(yieldTimes(2));
        Aio.WaitResult<Void> r = await(Aio.wait(List.of(b, a), -1, Aio.ReturnWhen.FIRST_COMPLETED));
        return result("done " + r.done().size() + ", pending " + r.pending().size());
    }

    @Async
    static Coroutine<Void> yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            await(sleep(0));
        }
        return done();
    }

    @Test
    void waitFirstExceptionReturnsAtTheFirstFailureWithoutRaising() {
        Aio.WaitResult<?> r = run(waitFirstException());
        assertEquals(List.of("returned at 2.0"), log, "a cancelled future is no exception");
        assertEquals(3, r.done().size());
        assertEquals(1, r.pending().size());
    }

    @Async
    Coroutine<Aio.WaitResult<String>> waitFirstException() {
        Future<String> cancelled = getRunningLoop().createFuture();
        cancelled.cancel();
        Aio.WaitResult<String> r = await(Aio.wait(List.of(cancelled, sleepThen(1, "a"), Naps.<String>sleepThenFail(2,
                new IOException("x")), sleepThen(3, "c")), -1, Aio.ReturnWhen.FIRST_EXCEPTION));
        log.add("returned at " + now());
        return result(r);
    }

    @Test
    void waitAllCompletedWithATimeoutReturnsDoneAndPendingAtTheTimeout() {
        Aio.WaitResult<?> r = run(waitAllCompletedForOneAndAHalfSeconds());
        assertEquals(List.of("returned at 1.5, pending cancelled: false"), log);
        assertEquals(2, r.done().size());
        assertEquals(1, r.pending().size());
    }

    @Async
    Coroutine<Aio.WaitResult<String>> waitAllCompletedForOneAndAHalfSeconds() {
        Aio.WaitResult<String> r = await(Aio.wait(List.of(sleepThen(1, "a"),
                Naps.<String>sleepThenFail(1, new IOException("not raised")), sleepThen(3, "c")), 1.5,
                Aio.ReturnWhen.ALL_COMPLETED));
        log.add("returned at " + now() + ", pending cancelled: " + r.pending().iterator().next().isCancelled());
        return result(r);
    }

    @Test
    void waitWithoutTimeoutWaitsForAll() {
        Aio.WaitResult<?> r = run(waitForBoth());
        assertEquals(2, r.done().size());
        assertTrue(r.pending().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> run(waitForNothing()));
    }

    @Async
    static Coroutine<Aio.WaitResult<String>> waitForBoth() {
        return result(await(Aio.wait(List.of(sleepThen(1, "a"), sleepThen(2, "b")))));
    }

    @Async
    static Coroutine<Aio.WaitResult<Object>> waitForNothing() {
        return result(await(Aio.wait(List.of())));
    }

    @Test
    void asCompletedGivesOutcomesInTheOrderTheyFinish() {
        run(readAsCompleted());
        assertEquals(List.of("one at 1.0", "two at 2.0", "three at 3.0"), log);
    }

    @Async
    Coroutine<Void> readAsCompleted() {
        List<Future<String>> fs = asCompleted(List.of(sleepThen(3, "three"), sleepThen(1, "one"), sleepThen(2, "two")));
        for (Future<String> f : fs) {
            String x = await(f);
            log.add(x + " at " + now());
        }
        return done();
    }

    @Test
    void asCompletedGivesTheFirstOutcomeToTheFutureAwaitedFirst() {
        // CPython's test_as_completed_reverse_wait.
        run(readAsCompletedBackwards());
        assertEquals(List.of("a at 0.05", "b at 0.1"), log);
    }

    @Async
    Coroutine<Void> readAsCompletedBackwards() {
        List<Future<String>> fs = asCompleted(List.of(sleepThen(0.05, "a"), sleepThen(0.1, "b")));
        assertEquals(2, fs.size());
        String x = await(fs.get(1));
        log.add(x + " at " + now());
        String y = await(fs.get(0));
        log.add(y + " at " + now());
        return done();
    }

    @Test
    void asCompletedKeepsAnOutcomeThatNobodyAwaitsYetForTheNextAwait() {
        run(readAsCompletedLate());
        assertEquals(List.of("one", "two", "three"), log);
    }

    @Async
    Coroutine<Void> readAsCompletedLate() {
        List<Future<String>> fs = asCompleted(List.of(sleepThen(3, "three"), sleepThen(1, "one"), sleepThen(2, "two")));
        await(sleep(5));
        log.add(await(fs.get(2)));
        log.add(await(fs.get(0)));
        log.add(await(fs.get(1)));
        return done();
    }

    @Test
    void asCompletedTakesADuplicateAwaitableOnce() {
        // CPython's test_as_completed_duplicate_coroutines.
        assertEquals(Set.of("ham", "spam"), Set.copyOf(run(readDuplicatesAsCompleted())));
        assertEquals(2, run(readDuplicatesAsCompleted()).size());
    }

    @Async
    static Coroutine<List<String>> readDuplicatesAsCompleted() {
        Coroutine<String> ham = sleepThen(0, "ham");
        List<String> results = new ArrayList<>();
        for (Future<String> f : asCompleted(List.of(ham, ham, sleepThen(0, "spam")))) {
            results.add(await(f));
        }
        return result(results);
    }

    @Test
    void asCompletedWithATimeoutFailsWhatIsStillToComeWithTimeoutError() {
        run(readAsCompletedForTwoSeconds());
        assertEquals(List.of("one at 1.0", "TimeoutError at 2.0", "TimeoutError at 2.0"), log);
    }

    @Async
    Coroutine<Void> readAsCompletedForTwoSeconds() {
        List<Future<String>> fs = asCompleted(List.of(sleepThen(3, "three"), sleepThen(1, "one"),
                sleepThen(5, "five")), 2);
        for (Future<String> f : fs) {
            String x;
            try {
                x = await(f);
            } catch (TimeoutError e) {
                x = e.getClass().getSimpleName();
            }
            log.add(x + " at " + now());
        }
        return done();
    }

    // ---------------------------------------------------------------- shield

    @Test
    void shieldProtectsTheInnerTaskFromTheCancellationOfItsAwaiter() {
        Task<?>[] inner = new Task<?>[1];
        run(shieldTheInnerFromItsWaiter(inner));
        assertEquals(List.of("waiter got CancelledError at 1.0"), log);
        assertEquals("inner survived", inner[0].result());
    }

    @Async
    Coroutine<String> shieldTheInnerFromItsWaiter(Task<?>[] inner) {
        Task<String> t = createTask(sleepThen(3, "inner survived"));
        inner[0] = t;
        Task<String> waiter = createTask(awaitShielded(t));
        getRunningLoop().callLater(1, waiter::cancel);
        return result(await(t));
    }

    @Async
    Coroutine<String> awaitShielded(Task<String> inner) {
        try {
            return result(await(shield(inner)));
        } catch (CancelledError e) {
            log.add("waiter got " + e.getClass().getSimpleName() + " at " + now());
            throw e;
        }
    }

    @Test
    void shieldOfADoneFutureIsTheFutureItself() {
        run(shieldADoneFuture());
    }

    @Async
    static Coroutine<Void> shieldADoneFuture() {
        Future<String> f = getRunningLoop().createFuture();
        f.setResult("x");
        assertSame(f, shield(f));
        return done();
    }

    // ---------------------------------------------------------------- threads

    @Test
    void toThreadRunsTheBlockingFunctionOnTheDefaultExecutor() {
        Thread me = Thread.currentThread();
        Thread worker = run(threadOfToThread());
        assertNotEquals(me, worker);
    }

    @Async
    static Coroutine<Thread> threadOfToThread() {
        return result(await(toThread(Thread::currentThread)));
    }

    @Test
    void runShutsTheDefaultExecutorDownSoItsThreadsEnd() throws InterruptedException {
        Thread worker = run(threadOfToThread());
        worker.join(10_000);
        assertFalse(worker.isAlive(), "the executor's thread outlived Aio.run");
    }

    @Test
    void toThreadPassesTheFailureOnUnwrapped() {
        IOException e = assertThrows(IOException.class, () -> run(failOnAThread()));
        assertEquals("blocked and failed", e.getMessage());
    }

    @Async
    static Coroutine<Object> failOnAThread() {
        return result(await(toThread(() -> {
            throw new IOException("blocked and failed");
        })));
    }

    // ---------------------------------------------------------------- run and loops

    @Test
    void runReturnsTheResultAndClosesItsLoop() {
        EventLoop[] used = new EventLoop[1];
        assertEquals("r", run(noteTheLoop(used)));
        assertTrue(used[0].isClosed());
    }

    @Async
    static Coroutine<String> noteTheLoop(EventLoop[] used) {
        used[0] = getRunningLoop();
        return result("r");
    }

    @Test
    void runCancelsLeftoverTasksAndWaitsForThem() {
        Task<?>[] leftover = new Task<?>[1];
        run(leaveATaskBehind(leftover));
        assertEquals(List.of("leftover cancelled at 1.0", "leftover cleaned up at 2.0"), log);
        assertTrue(leftover[0].isDone());
    }

    @Async
    Coroutine<Void> leaveATaskBehind(Task<?>[] leftover) {
        leftover[0] = createTask(leftover());
        await(sleep(1));
        return done();
    }

    @Async
    Coroutine<Void> leftover() {
        try {
            await(sleep(100));
        } catch (CancelledError e) {
            log.add("leftover cancelled at " + now());
            await(sleep(1));
        }
        log.add("leftover cleaned up at " + now());
        return done();
    }

    @Test
    void runRefusesToStartInsideARunningLoop() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(runInsideARunningLoop()));
        assertTrue(e.getMessage().contains("cannot be called from a running event loop"), e.getMessage());
    }

    @Async
    static Coroutine<String> runInsideARunningLoop() {
        return result(Aio.run(sleepThen(1, "inner")));
    }

    @Test
    void runThrowsTheFailureOfMainUnwrapped() {
        IOException e = assertThrows(IOException.class, () -> run(sleepThenFail(1, new IOException("main"))));
        assertEquals("main", e.getMessage());
    }

    @Test
    void runOnTheSystemClockWorks() {
        assertEquals("real", Aio.run(sleepThen(0.001, "real")));
    }

    @Test
    void newEventLoopMakesAnIdleLoopOnTheGivenClock() {
        EventLoop loop = Aio.newEventLoop(clock);
        assertSame(clock, loop.clock());
        assertFalse(loop.isRunning());
        loop.close();
        EventLoop system = Aio.newEventLoop();
        assertSame(Clock.system(), system.clock());
        system.close();
    }

    @Test
    void getRunningLoopOutsideALoopFailsWithAnExplanation() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Aio::getRunningLoop);
        assertTrue(e.getMessage().startsWith("no running event loop"), e.getMessage());
        assertNull(Aio.currentTask());
    }

    @Test
    void ensureFutureWrapsACoroutineInATaskAndKeepsAFuture() {
        run(ensureFutures());
    }

    @Async
    static Coroutine<String> ensureFutures() {
        Future<String> f = getRunningLoop().createFuture();
        assertSame(f, ensureFuture(f));
        Future<String> t = ensureFuture(sleepThen(1, "x"));
        assertInstanceOf(Task.class, t);
        return result(await(t));
    }

    @Test
    void createTaskWithANameNamesIt() {
        assertEquals("worker", run(nameOfANamedTask()));
    }

    @Async
    static Coroutine<String> nameOfANamedTask() {
        return result(createTask(sleepThen(1, "w"), "worker").getName());
    }

    @Test
    void resultAndDoneReachedUnwovenAreCoroutinesAlreadyComplete() {
        assertEquals("v", run(Aio.result("v")));
        assertNull(Aio.run(Aio.done(), Clock.virtual()));
    }

    @Test
    void allTasksListsThePendingTasksOfTheRunningLoop() {
        Set<?> all = run(allTasksBesideAnother());
        assertEquals(2, all.size());
    }

    @Async
    static Coroutine<Set<Task<?>>> allTasksBesideAnother() {
        createTask(sleepThen(1, "x"), "other");
        return result(allTasks());
    }

    @Test
    void runReportsALeftoverTaskThatFailsWhileBeingCancelled() {
        List<EventLoop.ExceptionContext> reported = new ArrayList<>();
        run(leaveACleanupThatFails(reported));
        assertEquals(1, reported.size(), reported::toString);
        assertTrue(reported.get(0).message().contains("failed while being cancelled"), reported.get(0).message());
        assertEquals("cleanup failed", reported.get(0).exception().getMessage());
    }

    @Async
    static Coroutine<Void> leaveACleanupThatFails(List<EventLoop.ExceptionContext> reported) {
        getRunningLoop().setExceptionHandler((l, c) -> reported.add(c));
        createTask(cleanupThatFails());
        await(sleep(1));
        return done();
    }

    @Async
    static Coroutine<Void> cleanupThatFails() {
        try {
            await(sleep(10));
        } catch (CancelledError e) {
            throw new IllegalStateException("cleanup failed");
        }
        return done();
    }

    @Test
    void cancellingATaskWhoseWaitForInnerJustCompletedStillCancelsIt() {
        Task<?>[] task = new Task<?>[1];
        String outcome = run(cancelAsTheWaitForInnerCompletes(task));
        assertEquals("cancelled true", outcome);
    }

    @Async
    static Coroutine<String> cancelAsTheWaitForInnerCompletes(Task<?>[] task) {
        Future<Integer> f = getRunningLoop().createFuture();
        task[0] = createTask(awaiting(waitFor(f, 10)));
        getRunningLoop().callLater(1, () -> {
            f.setResult(42);
            task[0].cancel();
        });
        await(sleep(2));
        return result("cancelled " + task[0].isCancelled());
    }

    @Test
    void waitTakesItsCallbacksOffFuturesThatAreStillPending() {
        Future<?>[] stop = new Future<?>[1];
        int rounds = run(waitsBesideAStop(stop));
        assertEquals(200, rounds);
        assertEquals(0, stop[0].waiterCount());
    }

    @Async
    static Coroutine<Integer> waitsBesideAStop(Future<?>[] stop) {
        Future<Object> s = getRunningLoop().createFuture();
        stop[0] = s;
        return loopOfWaits(s, 200);
    }

    @Async
    @SuppressWarnings("unchecked")
    static Coroutine<Integer> loopOfWaits(Future<Object> stop, int rounds) {
        for (int i = 0; i < rounds; i++) {
            await(Aio.wait(List.of(stop, (Future<Object>) (Future<?>) sleep(0.001)), -1, Aio.ReturnWhen.FIRST_COMPLETED));
        }
        return result(rounds);
    }

    @Test
    void aCancelledWaitCancelsItsTimer() {
        int timersLeft = run(timersLeftByACancelledWait());
        assertEquals(0, timersLeft);
    }

    @Async
    static Coroutine<Integer> timersLeftByACancelledWait() {
        Future<Object> never = getRunningLoop().createFuture();
        Task<?> waiter = createTask(awaiting(Aio.wait(List.of(never), 3600, Aio.ReturnWhen.ALL_COMPLETED)));
        getRunningLoop().callLater(1, waiter::cancel);
        await(sleep(2));
        return result(getRunningLoop().timers().size());
    }

    @Test
    void aCancelledShieldLetsGoOfTheInnerFuture() {
        int waiters = run(waitersLeftByACancelledShield());
        assertEquals(0, waiters);
    }

    @Async
    static Coroutine<Integer> waitersLeftByACancelledShield() {
        Future<String> inner = getRunningLoop().createFuture();
        Future<String> outer = shield(inner);
        outer.cancel();
        int waiters = inner.waiterCount();
        inner.setResult("done anyway");
        return result(waiters);
    }
}
