package dev.weft.runtime.sync;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;

import dev.weft.Async;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Awaitable;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import dev.weft.runtime.internal.Woven;
import dev.weft.runtime.kernel.Engine;
import dev.weft.runtime.kernel.PullIterator;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A first-in, first-out queue between tasks of one event loop: Python's {@code asyncio.Queue}.
 * With a {@link #maxsize()} above 0, {@link #put(Object)} waits while the queue is full;
 * {@link #get()} waits while it is empty. {@link #taskDone()} and {@link #join()} let a producer
 * wait until every item put has been processed; {@link #shutdown()} ends it (Python 3.13).
 *
 * <pre>{@code
 * Queue<String> jobs = new Queue<>(10);
 * await(jobs.put("a"));              // in the producer
 * String job = await(jobs.get());    // in a consumer
 * jobs.taskDone();
 * }</pre>
 *
 * <p>Waiting putters and getters are served first in, first out. A getter cancelled after it was
 * woken hands the wake-up to the next getter, so no item is left behind while a getter waits (and
 * likewise for putters and free slots). Items may not be null.
 *
 * <p>Bound to the loop of the first task that waits on it; its methods are for that loop's thread
 * (a call from another thread fails at once) except the read-only {@link #qsize()},
 * {@link #empty()}, {@link #full()} and {@link #maxsize()}.
 *
 * @param <T> the type of the items
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods; users need not read its module.
public class Queue<T> extends LoopBound {
    private static final Engine ENGINE = Engine.get();
    private final int maxsize;
    /** The items of a first-in, first-out or a LIFO queue; null for a priority queue. */
    final ArrayDeque<T> items;
    private final ArrayDeque<Future<Void>> getters = new ArrayDeque<>();
    private final ArrayDeque<Future<Void>> putters = new ArrayDeque<>();
    private int unfinishedTasks;
    private final Event finished = new Event(true);
    private boolean isShutdown;
    /** A waiter future that woke its get or put and is pending again, for the next wait; or null. */
    private Future<Void> spare;

    /** An unbounded queue: {@link #put(Object)} never waits. */
    public Queue() {
        this(0);
    }

    /**
     * A queue of at most {@code maxsize} items.
     *
     * @param maxsize the most items it holds; 0 or less for no limit
     */
    public Queue(int maxsize) {
        this(maxsize, new ArrayDeque<>());
    }

    /** For the subclasses, which bring their own storage or none. */
    Queue(int maxsize, ArrayDeque<T> items) {
        this.maxsize = maxsize;
        this.items = items;
    }

    // The storage, which the priority and LIFO queues change: CPython's _put, _get and qsize.

    /** Takes in an item. */
    void store(T item) {
        items.addLast(item);
    }

    /** Gives out the next item; called only when the queue is not empty. */
    T take() {
        return items.pollFirst();
    }

    /**
     * The number of items in the queue.
     *
     * @return the size
     */
    public int qsize() {
        return items.size();
    }

    /**
     * The most items the queue holds.
     *
     * @return the maxsize given, 0 or less for no limit
     */
    public final int maxsize() {
        return maxsize;
    }

    /**
     * Whether the queue holds no item.
     *
     * @return true when empty
     */
    public final boolean empty() {
        return qsize() == 0;
    }

    /**
     * Whether the queue holds {@link #maxsize()} items; never for an unbounded queue.
     *
     * @return true when full
     */
    public final boolean full() {
        return maxsize > 0 && qsize() >= maxsize;
    }

    /**
     * Puts an item in the queue, waiting first while it is full.
     *
     * @param item the item, not null
     * @return an awaitable that completes once the item is in
     * @throws QueueShutDown (when awaited) if the queue is shut down, or is shut down while the
     *                       put waits
     */
    public final Coroutine<Void> put(T item) {
        return new weft$put<>(this, item);
    }

    /**
     * Puts an item in the queue without waiting.
     *
     * @param item the item, not null
     * @throws QueueFull             when the queue is full
     * @throws QueueShutDown         when the queue is shut down
     * @throws IllegalStateException when called from a thread other than the loop's
     */
    public final void putNowait(T item) {
        checkThread("Queue.putNowait");
        Objects.requireNonNull(item, "a Queue holds no null items");
        if (isShutdown) {
            throw new QueueShutDown();
        }
        if (full()) {
            throw new QueueFull();
        }
        store(item);
        unfinishedTasks++;
        finished.lower();
        wakeupNext(getters);
    }

    /**
     * Takes the next item out of the queue, waiting first while it is empty.
     *
     * @return an awaitable of the item
     * @throws QueueShutDown (when awaited) if the queue is shut down and empty, or was shut down
     *                       with {@code shutdown(true)}
     */
    public final Coroutine<T> get() {
        return new weft$get<>(this);
    }

    /**
     * Takes the next item out of the queue without waiting.
     *
     * @return the item
     * @throws QueueEmpty            when the queue is empty
     * @throws QueueShutDown         when the queue is empty and shut down
     * @throws IllegalStateException when called from a thread other than the loop's
     */
    public final T getNowait() {
        checkThread("Queue.getNowait");
        if (empty()) {
            if (isShutdown) {
                throw new QueueShutDown();
            }
            throw new QueueEmpty();
        }
        T item = take();
        wakeupNext(putters);
        return item;
    }

    /**
     * Says that an item taken from the queue has been processed: consumers call it once for each
     * item they got. When every item put has been processed, {@link #join()} returns.
     *
     * @throws IllegalStateException when called more times than items were put (Python's
     *                               {@code ValueError}), or from a thread other than the loop's
     */
    public final void taskDone() {
        checkThread("Queue.taskDone");
        if (unfinishedTasks <= 0) {
            throw new IllegalStateException("taskDone() called too many times");
        }
        unfinishedTasks--;
        if (unfinishedTasks == 0) {
            finished.raise();
        }
    }

    /**
     * Waits until every item put in the queue has been taken and processed, as counted by
     * {@link #taskDone()}.
     *
     * @return an awaitable that completes when no task is unfinished
     */
    @Async
    public final Coroutine<Void> join() {
        if (unfinishedTasks > 0) {
            await(finished.whenSet());
        }
        return done();
    }

    /**
     * Shuts the queue down, as {@code shutdown(false)}: puts fail with {@link QueueShutDown} from
     * now on, gets once the items left are taken.
     *
     * @throws IllegalStateException when called from a thread other than the loop's
     */
    public final void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (Python 3.13): puts fail with {@link QueueShutDown} from now on, and
     * every waiting putter and getter is woken to find out. With {@code immediate}, the items
     * left are dropped, each counted as done for {@link #join()} (which may return), and gets
     * fail at once; without it, gets take the items left and fail once the queue is empty.
     *
     * @param immediate true to drop the items left
     * @throws IllegalStateException when called from a thread other than the loop's
     */
    public final void shutdown(boolean immediate) {
        checkThread("Queue.shutdown");
        isShutdown = true;
        if (immediate) {
            while (!empty()) {
                take();
                if (unfinishedTasks > 0) {
                    unfinishedTasks--;
                }
            }
            if (unfinishedTasks == 0) {
                finished.raise();
            }
        }
        // Every waiter re-checks the queue and throws QueueShutDown where it must.
        while (!getters.isEmpty()) {
            Future<Void> getter = getters.pollFirst();
            if (!getter.isDone()) {
                getter.setResult(null);
            }
        }
        while (!putters.isEmpty()) {
            Future<Void> putter = putters.pollFirst();
            if (!putter.isDone()) {
                putter.setResult(null);
            }
        }
    }

    /**
     * A get or a put written by hand rather than woven: CPython's waiting loop in one frame and one
     * object, with its clean-up on a failed wait as a branch of {@code resume} rather than a catch
     * around an await. A woven {@code get} needed a second coroutine for the loop (kept apart so
     * that the path without waiting stayed small enough to inline), and so two state machines and
     * one more frame to resume at every wake-up. The subclasses are named as the weaver names a
     * state machine ({@code Host$weft$method}), so that task stacks and async traces show them as
     * the frames of {@code Queue.get} and {@code Queue.put} they are, not as the runtime's glue (a
     * task whose coroutine is a bare {@code get()} would have no stack).
     */
    private abstract static class Op<T, R> extends Coroutine<R> {
        final Queue<T> queue;
        /** The future the operation waits on; null before its first wait and while it runs. */
        private Future<Void> waiting;

        Op(Queue<T> queue) {
            this.queue = queue;
        }

        /**
         * First in every resume: the thread check at the start, else the end of the wait in
         * {@code waiters}: a failure gives up (and is thrown), a wake-up keeps its future as the
         * spare.
         */
        final void resumed(String what, ArrayDeque<Future<Void>> waiters, Throwable failure) throws Throwable {
            Future<Void> w = waiting;
            if (w == null) {
                queue.checkThread(what);
                return;
            }
            waiting = null;
            if (failure != null) {
                queue.gaveUp(w, waiters);
                throw failure;
            }
            queue.reuse(w);
        }

        /**
         * Waits in {@code waiters} (the queue shut down fails at once). The await cannot fail for
         * a coroutine that a task runs, but if it does the waiter leaves the waiters with it.
         */
        final Object waitIn(ArrayDeque<Future<Void>> waiters) throws Throwable {
            Queue<T> q = queue;
            if (q.isShutdown) {
                throw new QueueShutDown();
            }
            Future<Void> w = q.waiter();
            waiters.addLast(w);
            waiting = w;
            try {
                return Woven.await(this, w);
            } catch (Throwable t) {
                waiters.remove(w);
                throw t;
            }
        }
    }

    /** {@link #get()}. */
    private static final class weft$get<T> extends Op<T, T> {
        weft$get(Queue<T> queue) {
            super(queue);
        }

        @Override
        protected Object resume(Object value, Throwable failure) throws Throwable {
            Queue<T> q = queue;
            resumed("Queue.get", q.getters, failure);
            if (q.empty()) {
                return waitIn(q.getters);
            }
            T item = q.take();
            wakeupNext(q.putters);
            return item;
        }

        @Override
        protected String describe() {
            return "Queue.get";
        }
    }

    /** {@link #put(Object)}. */
    private static final class weft$put<T> extends Op<T, Void> {
        private final T item;

        weft$put(Queue<T> queue, T item) {
            super(queue);
            this.item = item;
        }

        @Override
        protected Object resume(Object value, Throwable failure) throws Throwable {
            Queue<T> q = queue;
            resumed("Queue.put", q.putters, failure);
            if (q.full()) {
                return waitIn(q.putters);
            }
            q.putNowait(item);
            return null;
        }

        @Override
        protected String describe() {
            return "Queue.put";
        }
    }

    /** A pending future for a get or put to wait on: the spare one, or a new one of the queue's loop. */
    private Future<Void> waiter() {
        EventLoop loop = loop();
        Future<Void> f = spare;
        if (f != null) {
            spare = null;
            return f;
        }
        return loop.createFuture();
    }

    /**
     * Keeps the waiter that woke a get or put (taken out of the waiters by whoever woke it, and
     * stepped past by the task) as the spare, pending again: the next wait allocates nothing.
     */
    private void reuse(Future<Void> woke) {
        if (spare == null && ENGINE.reuse(woke)) {
            spare = woke;
        }
    }

    /**
     * A get or put whose wait in {@code waiters} ended in a failure (a cancellation, a timeout)
     * gives up: its waiter leaves the waiters (a put, a get or a shutdown may have taken it out
     * already), and a wake-up it got for an item or a slot it will not use now goes to the next
     * waiter, so that none is lost.
     */
    private void gaveUp(Future<Void> waiter, ArrayDeque<Future<Void>> waiters) {
        boolean canProceed = waiters == getters ? !empty() : !full();
        waiter.cancel();
        waiters.remove(waiter);
        if (canProceed && !waiter.isCancelled()) {
            wakeupNext(waiters);
        }
    }

    /** Wakes the first waiter of {@code waiters} that is not done, and takes it out. */
    private static void wakeupNext(ArrayDeque<Future<Void>> waiters) {
        while (!waiters.isEmpty()) {
            Future<Void> waiter = waiters.pollFirst();
            if (!waiter.isDone()) {
                waiter.setResult(null);
                break;
            }
        }
    }

    int getterCount() {
        return getters.size();
    }

    int putterCount() {
        return putters.size();
    }

    int unfinishedTasks() {
        return unfinishedTasks;
    }

    /**
     * The items as they come: an async iterator that awaits {@link #get()} for each, and ends when
     * the queue is shut down and empty ({@link QueueShutDown} ends the iteration instead of being
     * thrown). Mark each item done with {@link #taskDone()} as usual. Closing the iterator ends it;
     * the queue stays as it is.
     *
     * <pre>{@code
     * for (AsyncIterator<Job> it = queue.items(); await(it.hasNext()); ) {
     *     handle(it.next());
     *     queue.taskDone();
     * }
     * }</pre>
     *
     * @return the iterator
     */
    public final AsyncIterator<T> items() {
        return new Items();
    }

    private final class Items extends PullIterator<T> {
        Items() {
            super("item");
        }

        @Override
        protected Awaitable<T> fetch() {
            return get();
        }

        @Override
        protected boolean endsWith(Exception failure) {
            return failure instanceof QueueShutDown;
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(getClass().getSimpleName()).append("[maxsize=").append(maxsize);
        if (!empty()) {
            s.append(", qsize=").append(qsize());
        }
        if (!getters.isEmpty()) {
            s.append(", getters:").append(getters.size());
        }
        if (!putters.isEmpty()) {
            s.append(", putters:").append(putters.size());
        }
        if (unfinishedTasks > 0) {
            s.append(", tasks=").append(unfinishedTasks);
        }
        if (isShutdown) {
            s.append(", shutdown");
        }
        return s.append(']').toString();
    }
}
