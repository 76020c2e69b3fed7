package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.currentTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Aio.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // The resource of an async-with block is the held permit or scope itself; the body never names it.
class TimeoutTest {
    private final VirtualClock clock = Clock.virtual();
    private final List<String> log = new ArrayList<>();
    private final Timeout[] scope = new Timeout[1];

    private static double now() {
        return Aio.getRunningLoop().time();
    }

    @Test
    void anExpiredScopeThrowsTimeoutErrorAtTheAwaitAndTakesItsCancellationBack() {
        String outcome = Aio.run(sleepPastTheScope(), clock);
        assertEquals(List.of("TimeoutError at 1.0, cancelling 0"), log);
        assertEquals("went on to 3.0", outcome);
        assertTrue(scope[0].expired());
    }

    @Async
    Coroutine<String> sleepPastTheScope() {
        scope[0] = timeout(1);
        try {
            await(sleep(5));
        } catch (TimeoutError e) {
            scope[0].close();
            log.add(e.getClass().getSimpleName() + " at " + now() + ", cancelling " + currentTask().cancelling());
            await(sleep(2));
        }
        return result("went on to " + now());
    }

    @Test
    void aScopeLeftInTimeNeverFires() {
        String outcome = Aio.run(leaveTheScopeInTime(), clock);
        assertEquals("undisturbed until 6.0", outcome);
        assertFalse(scope[0].expired());
    }

    @Async
    Coroutine<String> leaveTheScopeInTime() {
        scope[0] = timeout(2);
        await(sleep(1));
        scope[0].close();
        await(sleep(5));
        return result("undisturbed until " + now());
    }

    @Test
    void aCancellationSwallowedInsideTheScopeDoesNotLeakPastIt() {
        String outcome = Aio.run(awaitASwallowerInTheScope(), clock);
        assertEquals(List.of("swallowed at 1.0"), log);
        assertEquals("went on to 2.0", outcome);
    }

    @Async
    Coroutine<String> awaitASwallowerInTheScope() {
        scope[0] = timeout(1);
        String v = await(createTask(swallower()));
        log.add(v + " at " + now());
        scope[0].close();
        await(sleep(1));
        return result("went on to " + now());
    }

    @Async
    static Coroutine<String> swallower() {
        try {
            await(sleep(5));
        } catch (CancelledError e) {
            return result("swallowed");
        }
        return result("not cancelled");
    }

    @Test
    void rescheduleMovesTheDeadline() {
        String outcome = Aio.run(sleepInARescheduledScope(), clock);
        assertEquals("TimeoutError at 3.0", outcome);
        assertThrows(IllegalStateException.class, () -> scope[0].reschedule(10));
    }

    @Async
    Coroutine<String> sleepInARescheduledScope() {
        scope[0] = timeout(1);
        scope[0].reschedule(now() + 3);
        assertEquals(3.0, scope[0].when());
        try {
            await(sleep(5));
        } catch (TimeoutError e) {
            return result(e.getClass().getSimpleName() + " at " + now());
        }
        return result("not timed out");
    }

    @Test
    void aNaNLimitMeansNoDeadline() {
        Aio.run(sleepInAScopeWithoutDeadline(), clock);
        assertFalse(scope[0].expired());
    }

    @Async
    Coroutine<Void> sleepInAScopeWithoutDeadline() {
        scope[0] = timeout(Double.NaN);
        assertTrue(Double.isNaN(scope[0].when()));
        await(sleep(100));
        scope[0].close();
        return done();
    }

    @Test
    void aZeroLimitExpiresAtTheNextAwaitEvenASleepOfZero() {
        // CPython's test_timeout_zero_sleep_zero: the due deadline runs before the resumed task.
        assertEquals("TimeoutError, expired true, when 0.0", Aio.run(sleepZeroInAScope(0), clock));
    }

    @Test
    void aNegativeLimitIsADeadlineInThePast() {
        // CPython's test_timeout_in_the_past_sleep_zero.
        assertEquals("TimeoutError, expired true, when -11.0", Aio.run(sleepZeroInAScope(-11), clock));
    }

    @Async
    Coroutine<String> sleepZeroInAScope(double seconds) {
        Timeout t = timeout(seconds);
        try (t) {
            await(sleep(0));
        } catch (TimeoutError e) {
            return result(e.getClass().getSimpleName() + ", expired " + t.expired() + ", when " + t.when());
        }
        return result("not timed out");
    }

    @Test
    void reschedulingToThePastExpiresAtTheNextAwait() {
        assertEquals("TimeoutError at 1.0", Aio.run(rescheduleToThePast(), clock));
    }

    @Async
    Coroutine<String> rescheduleToThePast() {
        try (Timeout t = timeout(10)) {
            await(sleep(1));
            t.reschedule(now() - 1);
            await(sleep(0));
        } catch (TimeoutError e) {
            return result(e.getClass().getSimpleName() + " at " + now());
        }
        return result("not timed out");
    }

    @Test
    void timeoutOutsideATaskIsRefused() {
        assertThrows(IllegalStateException.class, () -> Aio.timeout(1));
    }

    @Test
    void anOutsideCancellationArrivingAsTheScopeExpiresIsNotTurnedIntoATimeout() {
        Task<?>[] worker = new Task<?>[1];
        String outcome = Aio.run(cancelAWorkerAsItsScopeExpires(worker), clock);
        assertEquals(List.of("CancelledError at 1.0"), log);
        assertEquals("worker cancelled: true", outcome);
    }

    @Async
    Coroutine<String> cancelAWorkerAsItsScopeExpires(Task<?>[] worker) {
        worker[0] = createTask(workerInAScope());
        getRunningLoop().callLater(1, () -> worker[0].cancel("shutdown"));
        await(sleep(2));
        return result("worker cancelled: " + worker[0].isCancelled());
    }

    @Async
    Coroutine<Void> workerInAScope() {
        scope[0] = timeout(1);
        try {
            await(sleep(5));
        } catch (CancelledError e) {
            log.add(e.getClass().getSimpleName() + " at " + now());
            throw e;
        }
        return done();
    }

    @Test
    void twoScopesExpiringTogetherDeliverOneTimeoutAndLeaveNoCancellationBehind() {
        Timeout[] outer = new Timeout[1];
        String outcome = Aio.run(sleepInTwoScopesExpiringTogether(outer), clock);
        assertEquals(List.of("TimeoutError, cancelling 0"), log);
        assertEquals("went on to 2.0", outcome);
    }

    @Async
    Coroutine<String> sleepInTwoScopesExpiringTogether(Timeout[] outer) {
        outer[0] = timeout(1);
        scope[0] = timeout(1);
        try {
            await(sleep(5));
        } catch (TimeoutError e) {
            scope[0].close();
            outer[0].close();
            log.add(e.getClass().getSimpleName() + ", cancelling " + currentTask().cancelling());
            await(sleep(1));
        }
        return result("went on to " + now());
    }
    @Test
    void anOuterScopeExpiringWithTheInnerOneStillTimesOutAfterTheInnerTimeoutIsCaught() {
        // CPython's test_nested_timeouts_loop_busy: both deadlines pass while the loop is busy.
        Timeout[] outer = new Timeout[1];
        assertThrows(TimeoutError.class, () -> Aio.run(outlastTwoDeadlinesInOneIteration(outer), clock));
        assertEquals(List.of("inner TimeoutError at 0.1", "outer TimeoutError at 0.1"), log);
        assertTrue(outer[0].expired());
        assertTrue(scope[0].expired());
    }

    @Async
    Coroutine<Void> outlastTwoDeadlinesInOneIteration(Timeout[] outer) {
        try (Timeout o = timeout(0.1)) {
            outer[0] = o;
            try (Timeout inner = timeout(0.01)) {
                scope[0] = inner;
                clock.advance(java.time.Duration.ofMillis(100));   // the loop is busy past both deadlines
                await(sleep(1));
            } catch (TimeoutError e) {
                log.add("inner " + e.getClass().getSimpleName() + " at " + now());
            }
            try {
                await(sleep(10));
            } catch (TimeoutError e) {
                log.add("outer " + e.getClass().getSimpleName() + " at " + now());
                throw e;
            }
            log.add("outer deadline lost at " + now());
        }
        return done();
    }

    @Test
    void twoDeadlinesPassingTogetherLeaveNoCancellationBehindOnceBothScopesAreLeft() {
        // CPython's test_nested_timeouts_concurrent with both deadlines passed, each timeout caught.
        String outcome = Aio.run(catchTwoTimeoutsOfOneIteration(), clock);
        assertEquals(List.of("inner at 0.01, cancelling 1", "outer at 0.01, cancelling 0"), log);
        assertEquals("went on to 1.01", outcome);
    }

    @Async
    Coroutine<String> catchTwoTimeoutsOfOneIteration() {
        try (Timeout outer = timeout(0.002)) {
            try (Timeout inner = timeout(0.005)) {
                clock.advance(java.time.Duration.ofMillis(10));
                await(sleep(1));
            } catch (TimeoutError e) {
                log.add("inner at " + now() + ", cancelling " + currentTask().cancelling());
            }
            await(sleep(1));
        } catch (TimeoutError e) {
            log.add("outer at " + now() + ", cancelling " + currentTask().cancelling());
        }
        await(sleep(1));
        return result("went on to " + now());
    }
}
