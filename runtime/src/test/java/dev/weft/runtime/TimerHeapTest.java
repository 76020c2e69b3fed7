package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimerHeapTest {
    private final EventLoop loop = new EventLoop(Clock.virtual());
    private final TimerHeap heap = loop.timers();
    private int seq;

    private TimerHandle timer(long when) {
        TimerHandle h = new TimerHandle(loop, when, seq++, () -> { });
        heap.add(h.entry());
        return h;
    }

    private SleepFuture sleep(long when) {
        SleepFuture f = new SleepFuture(loop, when, seq++);
        heap.addSleep(f);
        return f;
    }

    @Test
    void sleepsInDueOrderAndTimersOutOfOrderInterleaveByDueTimeThenInsertionOrder() {
        Random random = new Random(7);
        List<Timed> added = new ArrayList<>();
        long due = 0;
        for (int i = 0; i < 10_000; i++) {
            if (random.nextInt(4) == 0) {
                added.add(timer(random.nextInt(5_000)).entry());
            } else {
                due += random.nextInt(3);
                added.add(sleep(random.nextInt(10) == 0 ? random.nextInt(5_000) : due));
            }
        }
        List<Timed> expected = new ArrayList<>(added);
        expected.sort((a, b) -> a.dueNanos() != b.dueNanos() ? Long.compare(a.dueNanos(), b.dueNanos())
                : Integer.compare(a.seq(), b.seq()));
        List<Timed> polled = new ArrayList<>();
        while (!heap.isEmpty()) {
            assertEquals(heap.peek(), heap.peek());
            Timed next = heap.peek();
            Timed t = heap.poll();
            assertTrue(next == t, "poll takes what peek shows");
            polled.add(t);
        }
        assertEquals(expected, polled);
    }

    @Test
    void cancelledSleepsInTheRunAreSweptOnceTheyAreHalfTheTimers() {
        List<SleepFuture> sleeps = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sleeps.add(sleep(i));
        }
        for (int i = 0; i < 499; i++) {
            sleeps.get(2 * i).cancel();
        }
        assertEquals(1000, heap.size());
        assertEquals(499, heap.garbage());
        sleeps.get(998).cancel();
        assertEquals(500, heap.size());
        assertEquals(0, heap.garbage());
        long last = -1;
        while (!heap.isEmpty()) {
            Timed t = heap.poll();
            assertTrue(t.dueNanos() > last && t.dueNanos() % 2 == 1, "only the odd sleeps are left, in order");
            last = t.dueNanos();
        }
    }

    @Test
    void entriesComeOutByDueTimeThenInInsertionOrder() {
        Random random = new Random(42);
        List<Timed> added = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            added.add(timer(random.nextInt(100)).entry());
        }
        Timed previous = null;
        int count = 0;
        while (!heap.isEmpty()) {
            Timed t = heap.poll();
            if (previous != null) {
                assertTrue(previous.dueNanos() < t.dueNanos()
                        || previous.dueNanos() == t.dueNanos() && previous.seq() < t.seq());
            }
            previous = t;
            count++;
        }
        assertEquals(10_000, count);
        assertNull(heap.peek());
    }

    @Test
    void aCancelledTimerLeavesTheHeapAtOnceWithTheOrderIntact() {
        List<TimerHandle> handles = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            handles.add(timer(1000 - i));
        }
        for (int i = 0; i < 1000; i += 3) {
            handles.get(i).cancel();
            handles.get(i).cancel();
        }
        assertEquals(666, heap.size());
        long last = Long.MIN_VALUE;
        while (!heap.isEmpty()) {
            long due = heap.poll().dueNanos();
            assertTrue(due >= last);
            last = due;
        }
    }

    @Test
    void theArrayShrinksAfterAMassCancellation() {
        List<TimerHandle> handles = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            handles.add(timer(i));
        }
        for (int i = 0; i < 99_000; i++) {
            handles.get(i).cancel();
        }
        assertEquals(1000, heap.size());
        assertTrue(heap.capacity() <= 8192, "capacity " + heap.capacity());
    }

    @Test
    void clearEmptiesTheHeap() {
        timer(1);
        timer(2);
        heap.clear();
        assertTrue(heap.isEmpty());
        assertEquals(0, heap.garbage());
    }
}
