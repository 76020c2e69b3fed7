package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeoutTest {
    private final VirtualClock clock = Clock.virtual();
    private final List<String> log = new ArrayList<>();
    private final Timeout[] scope = new Timeout[1];

    private double now() {
        return Aio.getRunningLoop().time();
    }

    @Test
    void anExpiredScopeThrowsTimeoutErrorAtTheAwaitAndTakesItsCancellationBack() {
        String outcome = Aio.run(Script.<String>named("main").then(v -> {
            scope[0] = Aio.timeout(1);
            return Aio.sleep(5);
        }).recover(e -> {
            scope[0].close();
            log.add(e.getClass().getSimpleName() + " at " + now() + ", cancelling " + Aio.currentTask().cancelling());
            return Aio.sleep(2);
        }).then(v -> "went on to " + now()), clock);
        assertEquals(List.of("TimeoutError at 1.0, cancelling 0"), log);
        assertEquals("went on to 3.0", outcome);
        assertTrue(scope[0].expired());
    }

    @Test
    void aScopeLeftInTimeNeverFires() {
        String outcome = Aio.run(Script.<String>named("main").then(v -> {
            scope[0] = Aio.timeout(2);
            return Aio.sleep(1);
        }).then(v -> {
            scope[0].close();
            return Aio.sleep(5);
        }).then(v -> "undisturbed until " + now()), clock);
        assertEquals("undisturbed until 6.0", outcome);
        assertFalse(scope[0].expired());
    }

    @Test
    void aCancellationSwallowedInsideTheScopeDoesNotLeakPastIt() {
        String outcome = Aio.run(Script.<String>named("main").then(v -> {
            scope[0] = Aio.timeout(1);
            return Aio.createTask(Script.named("swallower").then(x -> Aio.sleep(5)).recover(e -> "swallowed"));
        }).then(v -> {
            log.add(v + " at " + now());
            scope[0].close();
            return Aio.sleep(1);
        }).then(v -> "went on to " + now()), clock);
        assertEquals(List.of("swallowed at 1.0"), log);
        assertEquals("went on to 2.0", outcome);
    }

    @Test
    void rescheduleMovesTheDeadline() {
        String outcome = Aio.run(Script.<String>named("main").then(v -> {
            scope[0] = Aio.timeout(1);
            scope[0].reschedule(now() + 3);
            assertEquals(3.0, scope[0].when());
            return Aio.sleep(5);
        }).recover(e -> e.getClass().getSimpleName() + " at " + now()), clock);
        assertEquals("TimeoutError at 3.0", outcome);
        assertThrows(IllegalStateException.class, () -> scope[0].reschedule(10));
    }

    @Test
    void aNegativeLimitMeansNoDeadline() {
        Aio.run(Script.named("main").then(v -> {
            scope[0] = Aio.timeout(-1);
            assertTrue(Double.isNaN(scope[0].when()));
            return Aio.sleep(100);
        }), clock);
        assertFalse(scope[0].expired());
    }

    @Test
    void timeoutOutsideATaskIsRefused() {
        assertThrows(IllegalStateException.class, () -> Aio.timeout(1));
    }

    @Test
    void anOutsideCancellationArrivingAsTheScopeExpiresIsNotTurnedIntoATimeout() {
        Task<?>[] worker = new Task<?>[1];
        String outcome = Aio.run(Script.<String>named("main").then(v -> {
            worker[0] = Aio.createTask(Script.named("worker").then(x -> {
                scope[0] = Aio.timeout(1);
                return Aio.sleep(5);
            }).recover(e -> {
                log.add(e.getClass().getSimpleName() + " at " + now());
                throw e;
            }));
            Aio.getRunningLoop().callLater(1, () -> worker[0].cancel("shutdown"));
            return Aio.sleep(2);
        }).then(v -> "worker cancelled: " + worker[0].isCancelled()), clock);
        assertEquals(List.of("CancelledError at 1.0"), log);
        assertEquals("worker cancelled: true", outcome);
    }

    @Test
    void twoScopesExpiringTogetherDeliverOneTimeoutAndLeaveNoCancellationBehind() {
        Timeout[] outer = new Timeout[1];
        String outcome = Aio.run(Script.<String>named("main").then(v -> {
            outer[0] = Aio.timeout(1);
            scope[0] = Aio.timeout(1);
            return Aio.sleep(5);
        }).recover(e -> {
            scope[0].close();
            outer[0].close();
            log.add(e.getClass().getSimpleName() + ", cancelling " + Aio.currentTask().cancelling());
            return Aio.sleep(1);
        }).then(v -> "went on to " + now()), clock);
        assertEquals(List.of("TimeoutError, cancelling 0"), log);
        assertEquals("went on to 2.0", outcome);
    }
}
