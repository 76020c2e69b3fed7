package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskTest {
    private final VirtualClock clock = Clock.virtual();
    private final EventLoop loop = new EventLoop(clock);
    private final List<String> log = new ArrayList<>();

    @Test
    void cancelDeliversCancelledErrorAtTheAwaitAndTheTaskMayCatchItAndGoOn() {
        Task<String> t = loop.createTask(Script.<String>named("stubborn")
                .then(v -> Aio.sleep(10))
                .recover(e -> {
                    log.add(e.getClass().getSimpleName() + " '" + e.getMessage() + "' at " + loop.time());
                    return Aio.sleep(1);
                })
                .then(v -> "went on to " + loop.time()));
        loop.callLater(2, () -> t.cancel("stop it"));
        assertEquals("went on to 3.0", loop.runUntilComplete(t));
        assertEquals(List.of("CancelledError 'stop it' at 2.0"), log);
        assertFalse(t.isCancelled());
        assertEquals(1, t.cancelling());
    }

    @Test
    void aTaskThatDoesNotCatchTheCancellationEndsCancelled() {
        Task<String> t = loop.createTask(Script.sleepThen(10, "never"));
        loop.callLater(1, () -> assertTrue(t.cancel("enough")));
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("enough", e.getMessage());
        assertTrue(t.isCancelled());
        assertFalse(t.cancel(), "cancelling a done task does nothing");
        assertEquals(1.0, loop.time());
    }

    @Test
    void aTaskCancelledBeforeItsFirstStepNeverRunsItsBody() {
        Task<Object> t = loop.createTask(Script.named("body").then(v -> {
            log.add("body ran");
            return null;
        }));
        t.cancel();
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertTrue(log.isEmpty());
    }

    @Test
    void cancellingATaskThatAwaitsAnotherTaskCancelsTheInnerOne() {
        Task<?>[] inner = new Task<?>[1];
        Task<Object> outer = loop.createTask(Script.named("outer").then(v -> {
            inner[0] = Aio.createTask(Script.sleepThen(10, "inner"));
            return inner[0];
        }));
        loop.callLater(1, outer::cancel);
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(outer));
        assertTrue(inner[0].isCancelled());
        assertTrue(outer.isCancelled());
    }

    @Test
    void aCancelRequestedWhileTheTaskRunsLandsOnItsNextAwait() {
        Task<Object> t = loop.createTask(Script.named("self").then(v -> {
            Aio.currentTask().cancel();
            log.add("still running after cancel()");
            return Aio.sleep(5);
        }).recover(e -> {
            log.add(e.getClass().getSimpleName() + " at " + loop.time());
            return "caught";
        }));
        assertEquals("caught", loop.runUntilComplete(t));
        assertEquals(List.of("still running after cancel()", "CancelledError at 0.0"), log);
    }

    @Test
    void aTaskCancelledAfterItsLastAwaitEndsCancelledEvenIfItReturns() {
        Task<Object> t = loop.createTask(Script.named("returns").then(v -> {
            Aio.currentTask().cancel();
            return "a value";
        }));
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertTrue(t.isCancelled());
    }

    @Test
    void cancellingCountsRequestsAndUncancelTakesThemBack() {
        Task<String> t = loop.createTask(Script.<String>named("counts").then(v -> Aio.sleep(10))
                .recover(e -> "survived once").then(v -> Aio.sleep(10)).recover(e -> "survived twice"));
        loop.callLater(1, t::cancel);
        loop.callLater(2, t::cancel);
        assertEquals("survived twice", loop.runUntilComplete(t));
        assertEquals(2, t.cancelling());
        assertEquals(1, t.uncancel());
        assertEquals(0, t.uncancel());
        assertEquals(0, t.uncancel());
    }

    @Test
    void uncancelToZeroDropsACancellationNotYetDelivered() {
        Task<String> t = loop.createTask(Script.<String>named("self").then(v -> {
            Task<?> me = Aio.currentTask();
            me.cancel();
            me.uncancel();
            return Aio.sleep(1);
        }).then(v -> "not cancelled"));
        assertEquals("not cancelled", loop.runUntilComplete(t));
    }

    @Test
    void tasksAreNamedTaskNUnlessNamed() {
        Task<String> first = loop.createTask(Script.sleepThen(1, "a"));
        Task<String> named = loop.createTask(Script.sleepThen(1, "b"), "fetcher");
        assertEquals("Task-1", first.getName());
        assertEquals("fetcher", named.getName());
        named.setName("renamed");
        assertEquals("renamed", named.getName());
        named.setName(null);
        assertEquals("Task-2", named.getName());
        assertTrue(first.toString().startsWith("Task[Task-1, pending awaiting in Script[sleep 1.0 then a]"),
                first.toString());
        loop.runUntilComplete(named);
        assertEquals("Task[Task-2, finished result=b]", named.toString());
    }

    @Test
    void aTaskNamedInDebugModeKeepsItsNameAndCreationSite() {
        loop.setDebug(true);
        Task<String> t = loop.createTask(Script.sleepThen(1, "a"), "debugged");
        assertEquals("debugged", t.getName());
        t.setName("renamed");
        assertEquals("renamed", t.getName());
        assertEquals("task created here", t.creationSite().getMessage());
    }

    @Test
    void currentTaskAndAllTasksSeeTheRunningTasks() {
        Task<?>[] seen = new Task<?>[1];
        Set<?>[] all = new Set<?>[1];
        Task<String> sleeper = loop.createTask(Script.sleepThen(5, "z"), "sleeper");
        Task<Object> main = loop.createTask(Script.named("main").then(v -> {
            seen[0] = Aio.currentTask();
            all[0] = Aio.allTasks();
            return null;
        }), "main");
        loop.runUntilComplete(main);
        assertSame(main, seen[0]);
        assertEquals(Set.of(sleeper, main), all[0]);
        assertEquals(Set.of(sleeper), loop.allTasks());
        assertNull(Aio.currentTask(), "no task outside a running loop");
        assertSame(sleeper.getCoroutine(), sleeper.getCoroutine());
        loop.runUntilComplete(sleeper);
        assertTrue(loop.allTasks().isEmpty());
        assertNull(sleeper.getCoroutine());
    }

    @Test
    void aTaskThatAwaitsItselfFails() {
        Task<?>[] me = new Task<?>[1];
        Task<Object> t = loop.createTask(Script.named("narcissus").then(v -> me[0]));
        me[0] = t;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        assertTrue(e.getMessage().contains("awaits itself"), e.getMessage());
    }

    @Test
    void aCoroutineGivenToTwoTasksIsRefused() {
        Coroutine<String> c = Script.sleepThen(1, "once");
        loop.createTask(c);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.createTask(c));
        assertTrue(e.getMessage().contains("a coroutine runs once"), e.getMessage());
    }

    @Test
    void aResumeBodyThatReturnsSuspendedWithoutAwaitingFailsItsTask() {
        Coroutine<Object> broken = new Coroutine<>() {
            @Override
            protected Object resume(Object value, Throwable failure) {
                return dev.weft.runtime.internal.Woven.SUSPENDED;
            }
        };
        Task<Object> t = loop.createTask(broken);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        assertTrue(e.getMessage().contains("returned SUSPENDED without awaiting"), e.getMessage());
    }

    @Test
    void awaitingAFutureOfAnotherLoopFails() {
        EventLoop other = new EventLoop(Clock.virtual());
        Future<String> foreign = other.createFuture();
        Task<Object> t = loop.createTask(Script.named("crosser").then(v -> foreign));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        assertTrue(e.getMessage().contains("of another event loop"), e.getMessage());
    }

    @Test
    void aTaskRefusesToBeCompletedFromOutside() {
        Task<Object> t = loop.createTask(Script.named("runs").then(v -> "from coroutine"));
        IllegalStateException set = assertThrows(IllegalStateException.class, () -> t.setResult("injected"));
        assertTrue(set.getMessage().startsWith("Task does not support setResult"), set.getMessage());
        assertThrows(IllegalStateException.class, () -> t.setException(new RuntimeException("injected")));
        assertEquals("from coroutine", loop.runUntilComplete(t));
        loop.close();
    }
}
