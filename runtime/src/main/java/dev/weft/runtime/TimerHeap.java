package dev.weft.runtime;

import java.util.Arrays;

/**
 * A binary min-heap of timers ordered by due time, then by insertion order.
 *
 * <p>Two kinds of entries, so that cancelled timers never pile up: a {@link TimerHandle}'s entry
 * knows its index and is removed at once in O(log n) when cancelled; a sleep, which has no room
 * for an index, is counted as garbage when it completes early, dropped when it reaches the top,
 * and swept out in one O(n) pass once garbage is half the heap.
 */
final class TimerHeap {
    private static final int MIN_SWEEP_SIZE = 64;

    private Timed[] heap = new Timed[16];
    private int size;
    private int garbage;

    int size() {
        return size;
    }

    int garbage() {
        return garbage;
    }

    int capacity() {
        return heap.length;
    }

    boolean isEmpty() {
        return size == 0;
    }

    Timed peek() {
        return size == 0 ? null : heap[0];
    }

    void add(Timed t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, t);
    }

    Timed poll() {
        Timed top = heap[0];
        removeAt(0);
        return top;
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
    }

    /** A sleep in the heap completed before its time. */
    void becameGarbage() {
        garbage++;
        if (garbage * 2 >= size && size >= MIN_SWEEP_SIZE) {
            sweep();
        }
    }

    private void sweep() {
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

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex(-1);
            heap[i] = null;
        }
        size = 0;
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
