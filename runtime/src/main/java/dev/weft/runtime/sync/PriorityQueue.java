package dev.weft.runtime.sync;

import java.util.Comparator;

/**
 * A {@link Queue} that gives out its smallest item first: Python's {@code asyncio.PriorityQueue}.
 * Items are ordered by their natural order or by a {@link Comparator}; the order of equal items
 * is unspecified, as with Python's {@code heapq}. Items are typically records such as
 * {@code (priority, data)} with a comparator on the priority.
 *
 * <pre>{@code
 * PriorityQueue<Integer> q = new PriorityQueue<>();
 * q.putNowait(3);
 * q.putNowait(1);
 * int first = await(q.get());   // 1
 * }</pre>
 *
 * @param <T> the type of the items
 */
public final class PriorityQueue<T> extends Queue<T> {
    private final java.util.PriorityQueue<T> heap;

    /** An unbounded priority queue in the items' natural order (they must be {@code Comparable}). */
    public PriorityQueue() {
        this(0, null);
    }

    /**
     * An unbounded priority queue in the order of {@code comparator}.
     *
     * @param comparator the order, smallest first; null for the natural order
     */
    public PriorityQueue(Comparator<? super T> comparator) {
        this(0, comparator);
    }

    /**
     * A priority queue of at most {@code maxsize} items in the items' natural order.
     *
     * @param maxsize the most items it holds; 0 or less for no limit
     */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /**
     * A priority queue of at most {@code maxsize} items in the order of {@code comparator}.
     *
     * @param maxsize    the most items it holds; 0 or less for no limit
     * @param comparator the order, smallest first; null for the natural order
     */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize, null);
        this.heap = new java.util.PriorityQueue<>(comparator);
    }

    @Override
    void store(T item) {
        heap.add(item);
    }

    @Override
    T take() {
        return heap.poll();
    }

    @Override
    public int qsize() {
        return heap.size();
    }
}
