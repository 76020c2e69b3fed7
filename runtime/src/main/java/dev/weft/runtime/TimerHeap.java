package dev.weft.runtime;

import java.util.Arrays;

/**
 * A binary min-heap of timers ordered by due time, then by insertion order. Entries know their
 * index, so a cancelled timer is removed at once in O(log n): no cancelled garbage stays behind.
 */
final class TimerHeap {
    private Timed[] heap = new Timed[16];
    private int size;

    int size() {
        return size;
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

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex(-1);
            heap[i] = null;
        }
        size = 0;
    }

    /** Shrinks the array after a mass cancellation, so memory follows the live timers. */
    void trim() {
        if (heap.length > 64 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, Math.max(16, size * 2));
        }
    }

    private void removeAt(int i) {
        Timed gone = heap[i];
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
    }

    private static boolean less(Timed a, Timed b) {
        long d = a.dueNanos() - b.dueNanos();
        return d < 0 || (d == 0 && a.seq() < b.seq());
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
