package dev.weft.runtime.sync;

import java.util.ArrayDeque;

/**
 * A {@link Queue} that gives out the item put last first: Python's {@code asyncio.LifoQueue}.
 *
 * <pre>{@code
 * LifoQueue<Integer> stack = new LifoQueue<>();
 * stack.putNowait(1);
 * stack.putNowait(2);
 * int top = await(stack.get());   // 2
 * }</pre>
 *
 * @param <T> the type of the items
 */
public final class LifoQueue<T> extends Queue<T> {
    /** An unbounded LIFO queue. */
    public LifoQueue() {
        this(0);
    }

    /**
     * A LIFO queue of at most {@code maxsize} items.
     *
     * @param maxsize the most items it holds; 0 or less for no limit
     */
    public LifoQueue(int maxsize) {
        super(maxsize, new ArrayDeque<>());
    }

    @Override
    T take() {
        return items.pollLast();
    }
}
