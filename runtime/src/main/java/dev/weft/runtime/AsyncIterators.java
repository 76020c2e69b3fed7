package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.kernel.Sneaky;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * Bridges between async iterators and {@code java.util.concurrent.Flow} (Reactive Streams), with
 * backpressure both ways.
 *
 * <pre>{@code
 * for (AsyncIterator<String> it = AsyncIterators.fromPublisher(publisher); await(it.hasNext()); ) {
 *     String item = it.next();
 * }
 * }</pre>
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods.
public final class AsyncIterators {
    /** The most items requested ahead of the consumer. */
    static final int PREFETCH = 256;

    private AsyncIterators() {
    }

    /**
     * The items of {@code publisher} as an async iterator of the running loop: it subscribes when
     * first asked for a value, keeps at most 256 items requested ahead (asking for more as the
     * consumer takes them, in batches of half of that), hands the publisher's signals to the loop
     * through the thread-safe hand-off, and cancels the subscription when closed. A publisher's
     * {@code onError} is thrown at the {@code hasNext()} that reaches it.
     *
     * @param publisher the publisher
     * @param <T>       the type of the items
     * @return the iterator
     */
    public static <T> AsyncIterator<T> fromPublisher(Flow.Publisher<T> publisher) {
        return new FromPublisher<>(Objects.requireNonNull(publisher, "publisher"));
    }

    /**
     * A publisher of the values of {@code iterator}, for one subscriber: it calls the subscriber on
     * the loop's thread that made it, takes a value from the iterator only when the subscriber has
     * asked for one, and closes the iterator when the subscription is cancelled. A failure of the
     * iterator goes to {@code onError}.
     *
     * @param iterator the iterator
     * @param <T>      the type of the values
     * @return the publisher
     * @throws IllegalStateException outside a running loop
     */
    public static <T> Flow.Publisher<T> toPublisher(AsyncIterator<T> iterator) {
        return new ToPublisher<>(EventLoop.running(), Objects.requireNonNull(iterator, "iterator"));
    }

    // ---------------------------------------------------------------- from a publisher

    @SuppressWarnings("exports")
    private static final class FromPublisher<T> implements AsyncIterator<T>, Flow.Subscriber<T> {
        private final Flow.Publisher<T> publisher;
        private EventLoop loop;
        private Flow.Subscription subscription;
        private final ArrayDeque<T> items = new ArrayDeque<>();
        /** Requested and not yet arrived. */
        private int outstanding;
        private boolean completed;
        private Throwable failure;
        private boolean closed;
        private Future<Void> waiter;

        FromPublisher(Flow.Publisher<T> publisher) {
            this.publisher = publisher;
        }

        @Async
        @Override
        public Coroutine<Boolean> hasNext() {
            if (!items.isEmpty()) {
                return result(true);
            }
            if (loop == null && !closed) {
                loop = EventLoop.running();
                publisher.subscribe(this);
            }
            while (items.isEmpty() && !completed && failure == null && !closed) {
                Future<Void> w = loop.createFuture();
                waiter = w;
                try {
                    await(w);
                } finally {
                    waiter = null;
                }
            }
            if (!items.isEmpty()) {
                return result(true);
            }
            if (failure != null && !closed) {
                throw Sneaky.raise(failure);
            }
            return result(false);
        }

        @Override
        public T next() {
            T item = items.pollFirst();
            if (item == null) {
                throw new NoSuchElementException("no item ready: await hasNext() first");
            }
            replenish();
            return item;
        }

        private void replenish() {
            if (subscription != null && !closed && !completed && outstanding + items.size() <= PREFETCH / 2) {
                int n = PREFETCH - outstanding - items.size();
                outstanding += n;
                subscription.request(n);
            }
        }

        private void wake() {
            Future<Void> w = waiter;
            if (w != null && !w.isDone()) {
                w.setResult(null);
            }
        }

        // Subscriber side: any thread; everything goes to the loop.
        @Override
        public void onSubscribe(Flow.Subscription s) {
            Objects.requireNonNull(s, "subscription");
            loop.callSoonThreadsafe(() -> {
                if (subscription != null || closed) {
                    s.cancel();
                    return;
                }
                subscription = s;
                outstanding = PREFETCH;
                s.request(PREFETCH);
            });
        }

        @Override
        public void onNext(T item) {
            Objects.requireNonNull(item, "item");
            loop.callSoonThreadsafe(() -> {
                if (closed) {
                    return;
                }
                outstanding--;
                items.addLast(item);
                wake();
            });
        }

        @Override
        public void onError(Throwable t) {
            Objects.requireNonNull(t, "throwable");
            loop.callSoonThreadsafe(() -> {
                failure = t;
                wake();
            });
        }

        @Override
        public void onComplete() {
            loop.callSoonThreadsafe(() -> {
                completed = true;
                wake();
            });
        }

        @Override
        public Awaitable<Void> aclose() {
            close();
            return done();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            items.clear();
            if (subscription != null) {
                subscription.cancel();
            }
            wake();
        }

        @Override
        public String toString() {
            return "AsyncIterators.fromPublisher[" + publisher + ", " + items.size() + " ready"
                    + (completed ? ", complete" : "") + (failure != null ? ", failed" : "") + (closed ? ", closed" : "")
                    + "]";
        }
    }

    // ---------------------------------------------------------------- to a publisher

    @SuppressWarnings("exports")
    private static final class ToPublisher<T> implements Flow.Publisher<T> {
        private final EventLoop loop;
        private final AsyncIterator<T> iterator;
        private boolean subscribed;

        ToPublisher(EventLoop loop, AsyncIterator<T> iterator) {
            this.loop = loop;
            this.iterator = iterator;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super T> subscriber) {
            Objects.requireNonNull(subscriber, "subscriber");
            loop.callSoonThreadsafe(() -> {
                if (subscribed) {
                    subscriber.onSubscribe(new Flow.Subscription() {
                        @Override
                        public void request(long n) {
                        }

                        @Override
                        public void cancel() {
                        }
                    });
                    subscriber.onError(new IllegalStateException("this publisher of " + iterator
                            + " has a subscriber already: an iterator is read once"));
                    return;
                }
                subscribed = true;
                Pump<T> pump = new Pump<>(loop, iterator, subscriber);
                subscriber.onSubscribe(pump);
            });
        }

        @Override
        public String toString() {
            return "AsyncIterators.toPublisher[" + iterator + "]";
        }
    }

    /** The subscription of {@link ToPublisher}: requests add demand, a task takes that many values. */
    @SuppressWarnings("exports")
    private static final class Pump<T> implements Flow.Subscription {
        private final EventLoop loop;
        private final AsyncIterator<T> iterator;
        private final Flow.Subscriber<? super T> subscriber;
        /** Loop-side state. */
        private long demand;
        private boolean running;
        private boolean done;

        Pump(EventLoop loop, AsyncIterator<T> iterator, Flow.Subscriber<? super T> subscriber) {
            this.loop = loop;
            this.iterator = iterator;
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (loop.isOwnerThread()) {
                onRequest(n);
            } else {
                loop.callSoonThreadsafe(() -> onRequest(n));
            }
        }

        private void onRequest(long n) {
            if (done) {
                return;
            }
            if (n <= 0) {
                done = true;
                iterator.close();
                subscriber.onError(new IllegalArgumentException("Reactive Streams rule 3.9: request(" + n
                        + ") must ask for a positive number"));
                return;
            }
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            if (!running) {
                running = true;
                loop.createTask(pump(), "toPublisher " + iterator);
            }
        }

        @Async
        private Coroutine<Void> pump() {
            try {
                while (demand > 0 && !done) {
                    boolean more = await(iterator.hasNext());
                    if (done) {
                        break;
                    }
                    if (!more) {
                        done = true;
                        subscriber.onComplete();
                        break;
                    }
                    T v = iterator.next();
                    demand--;
                    subscriber.onNext(v);
                }
            } catch (Exception e) {
                if (!done) {
                    done = true;
                    subscriber.onError(e);
                }
            } finally {
                running = false;
            }
            return done();
        }

        @Override
        public void cancel() {
            if (loop.isOwnerThread()) {
                onCancel();
            } else {
                loop.callSoonThreadsafe(this::onCancel);
            }
        }

        private void onCancel() {
            if (!done) {
                done = true;
                iterator.close();
            }
        }
    }
}
