package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualClockTest {
    @Test
    void aNewVirtualClockStartsAtZeroAndMovesOnlyWhenAdvanced() {
        VirtualClock clock = Clock.virtual();
        assertEquals(0, clock.nanoTime());
        clock.advance(Duration.ofMillis(250));
        assertEquals(250_000_000L, clock.nanoTime());
        assertEquals("VirtualClock[0.25 s]", clock.toString());
        assertNotSame(clock, Clock.virtual());
    }

    @Test
    void aVirtualClockCannotGoBack() {
        assertThrows(IllegalArgumentException.class, () -> Clock.virtual().advance(Duration.ofSeconds(-1)));
        VirtualClock clock = Clock.virtual();
        clock.jumpTo(5);
        clock.jumpTo(3);
        assertEquals(5, clock.nanoTime());
    }

    @Test
    void theLoopJumpsStraightToTheNextTimerWhenIdle() {
        VirtualClock clock = Clock.virtual();
        EventLoop loop = new EventLoop(clock);
        List<Double> times = new ArrayList<>();
        loop.callLater(3600, () -> times.add(loop.time()));
        loop.callLater(7200, loop::stop);
        loop.runForever();
        assertEquals(List.of(3600.0), times);
        assertEquals(7200.0, loop.time());
    }

    @Test
    void theLoopDoesNotJumpWhileWorkIsReady() {
        VirtualClock clock = Clock.virtual();
        EventLoop loop = new EventLoop(clock);
        List<Double> times = new ArrayList<>();
        loop.callLater(1, loop::stop);
        Runnable[] spin = new Runnable[1];
        int[] left = {100};
        spin[0] = () -> {
            times.add(loop.time());
            if (--left[0] > 0) {
                loop.callSoon(spin[0]);
            }
        };
        loop.callSoon(spin[0]);
        loop.runForever();
        assertEquals(100, times.size());
        assertTrue(times.stream().allMatch(t -> t == 0.0));
    }

    @Test
    void theSystemClockIsMonotonicAndNeverJumps() {
        Clock system = Clock.system();
        long a = system.nanoTime();
        system.jumpTo(Long.MAX_VALUE);
        assertTrue(system.nanoTime() >= a);
        assertTrue(system.nanoTime() < Long.MAX_VALUE / 2);
        assertEquals("Clock.system()", system.toString());
    }
}
