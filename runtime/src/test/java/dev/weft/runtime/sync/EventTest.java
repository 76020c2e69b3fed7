package dev.weft.runtime.sync;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Aio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Clock;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;
import dev.weft.runtime.TimeoutError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CPython's EventTests, ported. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventTest {
    private final Event ev = new Event();
    private final List<Object> result = new ArrayList<>();

    private static void run(Coroutine<?> main) {
        Aio.run(main, Clock.virtual());
    }

    @Async
    Coroutine<Boolean> appendWhenSet(int tag) {
        if (await(ev.whenSet())) {
            result.add(tag);
        }
        return result(true);
    }

    @Test
    void setWakesEveryWaiterAndATaskStartedMeanwhileRunsFirst() {
        run(setWakesEveryWaiterAndATaskStartedMeanwhileRunsFirst(0));
    }

    @Async
    Coroutine<Void> setWakesEveryWaiterAndATaskStartedMeanwhileRunsFirst(int unused) {
        assertFalse(ev.isSet());
        Task<Boolean> t1 = createTask(appendWhenSet(1));
        Task<Boolean> t2 = createTask(appendWhenSet(2));
        await(sleep(0));
        assertEquals(List.of(), result);

        Task<Boolean> t3 = createTask(appendWhenSet(3));
        ev.set();
        await(sleep(0));
        assertEquals(List.of(3, 1, 2), result);
        assertTrue(t1.isDone() && t2.isDone() && t3.isDone());
        return done();
    }

    @Test
    void whenSetReturnsAtOnceWhileTheFlagIsSet() {
        run(whenSetReturnsAtOnceWhileTheFlagIsSet(0));
    }

    @Async
    Coroutine<Void> whenSetReturnsAtOnceWhileTheFlagIsSet(int unused) {
        ev.set();
        double before = getRunningLoop().time();
        assertTrue(await(ev.whenSet()));
        assertEquals(before, getRunningLoop().time());
        return done();
    }

    @Test
    void aCancelledWaitLeavesNoWaiterBehind() {
        run(aCancelledWaitLeavesNoWaiterBehind(0));
    }

    @Async
    Coroutine<Void> aCancelledWaitLeavesNoWaiterBehind(int unused) {
        Task<Boolean> waiting = createTask(ev.whenSet());
        getRunningLoop().callSoon(waiting::cancel);
        try {
            await(waiting);
            fail("the wait was not cancelled");
        } catch (CancelledError expected) {
            // as CPython
        }
        assertEquals(0, ev.waiterCount());
        return done();
    }

    @Test
    void clearLowersTheFlag() {
        assertFalse(ev.isSet());
        ev.set();
        assertTrue(ev.isSet());
        ev.clear();
        assertFalse(ev.isSet());
    }

    @Test
    void aWaiterWokenBeforeAClearStillWakesOnce() {
        run(aWaiterWokenBeforeAClearStillWakesOnce(0));
    }

    @Async
    Coroutine<Void> aWaiterWokenBeforeAClearStillWakesOnce(int unused) {
        Task<Boolean> t = createTask(appendWhenSet(1));
        await(sleep(0));
        assertEquals(List.of(), result);

        ev.set();
        ev.clear();
        assertFalse(ev.isSet());
        ev.set();
        ev.set();
        assertEquals(1, ev.waiterCount());

        await(sleep(0));
        assertEquals(List.of(1), result);
        assertEquals(0, ev.waiterCount());
        assertTrue(t.isDone() && t.result());
        return done();
    }

    @Test
    void whenSetIsLazy() {
        run(whenSetIsLazy(0));
    }

    @Async
    Coroutine<Void> whenSetIsLazy(int unused) {
        Coroutine<Boolean> waiting = ev.whenSet();
        assertEquals(0, ev.waiterCount(), "nothing waits before the coroutine runs");
        getRunningLoop().callLater(1, ev::set);
        assertTrue(await(waiting));
        assertEquals(1.0, getRunningLoop().time());
        return done();
    }

    @Test
    void toStringShowsTheFlagAndTheWaiters() {
        run(toStringShowsTheFlagAndTheWaiters(0));
    }

    @Async
    Coroutine<Void> toStringShowsTheFlagAndTheWaiters(int unused) {
        assertEquals("Event[unset]", ev.toString());
        Task<Boolean> waiting = createTask(ev.whenSet());
        await(sleep(0));
        assertEquals("Event[unset, waiters:1]", ev.toString());
        ev.set();
        assertEquals("Event[set, waiters:1]", ev.toString());
        await(waiting);
        assertEquals("Event[set]", ev.toString());
        return done();
    }
}
