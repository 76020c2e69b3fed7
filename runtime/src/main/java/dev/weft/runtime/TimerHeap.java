package dev.weft.runtime;

import java.util.Arrays;

/**
 * The loop's timers, ordered by due time, then by insertion order: a binary min-heap, plus a run of
 * sleeps that arrive in due order.
 *
 * <p>Two kinds of entries, so that cancelled timers never pile up: a {@link TimerHandle}'s entry
 * knows its index and is removed at once in O(log n) when cancelled; a sleep, which has no room
 * for an index, is counted as garbage when it completes early, dropped when it reaches the front,
 * and swept out in one O(n) pass once garbage is half of all timers.
 *
 * <p>Sleeps of the same length made one after the other fall due in the order they were made (a
 * million tasks each sleeping 2 s, a periodic poll): such a sleep is appended to the run in O(1)
 * and taken from its front in O(1), instead of sifting through a heap of a million entries, which
 * touches twenty scattered objects per timer. A sleep due before the run's last entry goes to the
 * heap. The next timer is the earlier of the run's front and the heap's top.
 */
final class TimerHeap {
    private static final int MIN_SWEEP_SIZE = 64;
    /** The index a sleep in the run reports: not -1, so the sleep counts itself as in the timers. */
    private static final int IN_RUN = Integer.MAX_VALUE;

    private Timed[] heap = new Timed[16];
    private int size;
    private int garbage;

    /** A ring of sleeps sorted by (due, seq): the front is {@code run[runHead]}. */
    private Timed[] run = new Timed[16];
    private int runHead;
    private int runSize;

    /** Every timer, in the heap and in the run, garbage included. */
    int size() {
        return size + runSize;
    }

    int garbage() {
        return garbage;
    }

    int capacity() {
        return heap.length;
    }

    boolean isEmpty() {
        return size == 0 && runSize == 0;
    }

    /** The next timer to fall due, or null. */
    Timed peek() {
        if (runSize == 0) {
            return size == 0 ? null : heap[0];
        }
        Timed front = run[runHead];
        return size == 0 || less(front, heap[0]) ? front : heap[0];
    }

    void add(Timed t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, t);
    }

    /** Adds a sleep: to the run when it falls due after every sleep there, else to the heap. */
    void addSleep(SleepFuture t) {
        if (runSize > 0 && less(t, run[(runHead + runSize - 1) & (run.length - 1)])) {
            add(t);
            return;
        }
        if (runSize == run.length) {
            growRun();
        }
        run[(runHead + runSize) & (run.length - 1)] = t;
        runSize++;
        t.heapIndex(IN_RUN);
    }

    private void growRun() {
        Timed[] bigger = new Timed[run.length * 2];
        int first = Math.min(runSize, run.length - runHead);
        System.arraycopy(run, runHead, bigger, 0, first);
        System.arraycopy(run, 0, bigger, first, runSize - first);
        run = bigger;
        runHead = 0;
    }

    /** Removes and returns the next timer to fall due ({@link #peek()}). */
    Timed poll() {
        if (runSize > 0 && (size == 0 || less(run[runHead], heap[0]))) {
            return pollRun();
        }
        Timed top = heap[0];
        removeAt(0);
        return top;
    }

    private Timed pollRun() {
        Timed front = run[runHead];
        run[runHead] = null;
        runHead = (runHead + 1) & (run.length - 1);
        runSize--;
        if (front.isGarbage()) {
            garbage--;
        }
        front.heapIndex(-1);
        if (runSize == 0) {
            runHead = 0;
            if (run.length > 1024) {
                run = new Timed[16];
            }
        }
        return front;
    }

    void remove(Timed t) {
        int i = t.heapIndex();
        if (i >= 0 && i < size && heap[i] == t) {
            removeAt(i);
        }
    }

    /** Drops garbage from the top, so the loop never waits for a timer that will not fire. */
    void dropDoneTop() {
        while (size > 0 && heap[0].isGarbage()) {
            removeAt(0);
        }
        while (runSize > 0 && run[runHead].isGarbage()) {
            pollRun();
        }
    }

    /** A sleep in the heap completed before its time. */
    void becameGarbage() {
        garbage++;
        if (garbage * 2 >= size() && size() >= MIN_SWEEP_SIZE) {
            sweep();
        }
    }

    private void sweep() {
        sweepRun();
        int j = 0;
        for (int i = 0; i < size; i++) {
            Timed t = heap[i];
            if (t.isGarbage()) {
                t.heapIndex(-1);
            } else {
                heap[j++] = t;
            }
        }
        Arrays.fill(heap, j, size, null);
        size = j;
        garbage = 0;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, heap[i]);
        }
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex(i);
        }
        trim();
    }

    /** Compacts the run in place, keeping its order. */
    private void sweepRun() {
        int j = 0;
        int mask = run.length - 1;
        for (int i = 0; i < runSize; i++) {
            Timed t = run[(runHead + i) & mask];
            if (t.isGarbage()) {
                t.heapIndex(-1);
            } else {
                run[(runHead + j++) & mask] = t;
            }
        }
        for (int i = j; i < runSize; i++) {
            run[(runHead + i) & mask] = null;
        }
        runSize = j;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex(-1);
            heap[i] = null;
        }
        size = 0;
        for (int i = 0; i < runSize; i++) {
            run[(runHead + i) & (run.length - 1)].heapIndex(-1);
        }
        run = new Timed[16];
        runHead = 0;
        runSize = 0;
        garbage = 0;
        trim();
    }

    /** Shrinks the array after a mass cancellation, so memory follows the live timers. */
    private void trim() {
        if (heap.length > 64 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, Math.max(16, size * 2));
        }
    }

    private void removeAt(int i) {
        Timed gone = heap[i];
        if (gone.isGarbage()) {
            garbage--;
        }
        gone.heapIndex(-1);
        int last = --size;
        Timed moved = heap[last];
        heap[last] = null;
        if (i != last) {
            siftDown(i, moved);
            if (heap[i] == moved) {
                siftUp(i, moved);
            }
        }
        if ((size & 0xFFF) == 0) {
            trim();
        }
    }

    private static boolean less(Timed a, Timed b) {
        long d = a.dueNanos() - b.dueNanos();
        return d < 0 || (d == 0 && a.seq() - b.seq() < 0);
    }

    private void siftUp(int i, Timed t) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timed p = heap[parent];
            if (!less(t, p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex(i);
            i = parent;
        }
        heap[i] = t;
        t.heapIndex(i);
    }

    private void siftDown(int i, Timed t) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Timed c = heap[child];
            int right = child + 1;
            if (right < size && less(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!less(c, t)) {
                break;
            }
            heap[i] = c;
            c.heapIndex(i);
            i = child;
        }
        heap[i] = t;
        t.heapIndex(i);
    }
}
