package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CoroutineTest {
    @Test
    void aCoroutineIsLazyAndReportsItsState() {
        int[] runs = {0};
        Script<String> c = Script.<String>named("lazy").then(v -> {
            runs[0]++;
            return Aio.sleep(1);
        }).then(v -> "done");
        assertEquals(0, runs[0]);
        assertFalse(c.isDone());
        assertEquals("Coroutine[Script[lazy], not started]", c.toString());
        EventLoop loop = new EventLoop(Clock.virtual());
        Task<String> t = loop.createTask(c);
        loop.callLater(0.5, () -> assertEquals("Coroutine[Script[lazy], running]", c.toString()));
        assertEquals("done", loop.runUntilComplete(t));
        assertEquals(1, runs[0]);
        assertTrue(c.isDone());
        assertEquals("Coroutine[Script[lazy], done]", c.toString());
    }

    @Test
    void describeDefaultsToTheClassName() {
        Coroutine<Object> c = new Coroutine<>() {
            @Override
            protected Object resume(Object value, Throwable failure) {
                return "x";
            }
        };
        assertEquals(c.getClass().getName(), c.describe());
    }

    @Test
    void aSuspendedCoroutineCountsItsSuspensions() {
        Script<String> c = Script.<String>named("two").then(v -> Aio.sleep(1)).then(v -> Aio.sleep(1)).then(v -> "x");
        Aio.run(c, Clock.virtual());
        assertEquals(2, c.suspensions);
    }

    @Test
    void awaitingACoroutineOutsideATaskIsRefused() {
        Script<Object> orphan = Script.named("orphan").then(v -> Aio.done());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> orphan.resume(null, null));
        assertTrue(e.getMessage().contains("not driven by a task"), e.getMessage());
    }
}
