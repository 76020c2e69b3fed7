package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandleTest {
    private final EventLoop loop = new EventLoop(Clock.virtual());
    private final List<String> log = new ArrayList<>();

    @Test
    void aHandleCancelledBeforeItsTurnNeverRunsAndSaysSo() {
        Handle h = loop.callSoon(() -> log.add("ran"));
        assertFalse(h.isCancelled());
        h.cancel();
        h.cancel();
        assertTrue(h.isCancelled());
        assertTrue(h.toString().endsWith(", cancelled]"), h.toString());
        loop.stop();
        loop.runForever();
        assertTrue(log.isEmpty());
    }

    @Test
    void aTimerHandleKnowsWhenItIsDueAndLeavesTheHeapWhenCancelled() {
        TimerHandle h = loop.callLater(2.5, () -> log.add("ran"));
        assertEquals(2.5, h.when());
        assertEquals(1, loop.timers().size());
        h.cancel();
        assertEquals(0, loop.timers().size());
        assertTrue(h.isCancelled());
    }
}
