package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Flow bridges: a SubmissionPublisher consumed with backpressure, an iterator published one at a time. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncIteratorsTest {
    /** Counts up to {@code n}, one value per hasNext, yielding once before each. */
    static final class Counter implements AsyncIterator<Integer> {
        final int n;
        int next;
        boolean closed;
        Integer ready;

        Counter(int n) {
            this.n = n;
        }

        @Async
        @Override
        public Coroutine<Boolean> hasNext() {
            if (ready != null) {
                return result(true);
            }
            await(Aio.sleep(0));
            if (closed || next >= n) {
                return result(false);
            }
            ready = next++;
            return result(true);
        }

        @Override
        public Integer next() {
            Integer v = ready;
            if (v == null) {
                throw new NoSuchElementException();
            }
            ready = null;
            return v;
        }

        @Override
        public Awaitable<Void> aclose() {
            close();
            return done();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aSubmissionPublishersItemsArriveInOrderWithBoundedDemand() throws Exception {
        long[] mostAhead = {0};
        assertEquals(10_000, Aio.run(consume(10_000, mostAhead)));
        assertTrue(mostAhead[0] > 0 && mostAhead[0] <= AsyncIterators.PREFETCH, "at most 256 requested ahead: " + mostAhead[0]);
    }

    @Async
    static Coroutine<Integer> consume(int n, long[] mostAhead) {
        SubmissionPublisher<Integer> pub = new SubmissionPublisher<>();
        // Counts what is requested and not yet delivered, as the subscriber sees it.
        java.util.concurrent.atomic.AtomicLong ahead = new java.util.concurrent.atomic.AtomicLong();
        Flow.Publisher<Integer> counted = s -> pub.subscribe(new Flow.Subscriber<Integer>() {
            @Override
            public void onSubscribe(Flow.Subscription sub) {
                s.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long k) {
                        long now = ahead.addAndGet(k);
                        synchronized (mostAhead) {
                            mostAhead[0] = Math.max(mostAhead[0], now);
                        }
                        sub.request(k);
                    }

                    @Override
                    public void cancel() {
                        sub.cancel();
                    }
                });
            }

            @Override
            public void onNext(Integer item) {
                ahead.decrementAndGet();
                s.onNext(item);
            }

            @Override
            public void onError(Throwable t) {
                s.onError(t);
            }

            @Override
            public void onComplete() {
                s.onComplete();
            }
        });
        Thread producer = new Thread(() -> {
            // A daemon, so that a failed test cannot keep the JVM alive.
            // Waits for the subscriber, then submits; submit blocks when the subscriber's demand is used up.
            while (pub.getNumberOfSubscribers() == 0) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < n; i++) {
                pub.submit(i);
            }
            pub.close();
        });
        producer.setDaemon(true);
        producer.start();
        int expected = 0;
        for (AsyncIterator<Integer> it = AsyncIterators.fromPublisher(counted); await(it.hasNext()); ) {
            int v = it.next();
            assertEquals(expected, v);
            expected++;
        }
        return result(expected);
    }

    @Test
    void aPublishersErrorIsThrownAtHasNext() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.run(failing()));
        assertEquals("publisher broke", e.getMessage());
    }

    @Async
    static Coroutine<Integer> failing() {
        SubmissionPublisher<Integer> pub = new SubmissionPublisher<>();
        AsyncIterator<Integer> it = AsyncIterators.fromPublisher(pub);
        Task<Boolean> first = Aio.createTask(it.hasNext());
        await(Aio.sleep(0.05));
        pub.submit(1);
        assertTrue(await(first));
        assertEquals(1, (int) it.next());
        pub.closeExceptionally(new IllegalStateException("publisher broke"));
        await(it.hasNext());
        return result(0);
    }

    @Test
    void anIteratorIsPublishedOneRequestAtATimeOnTheLoopThread() throws Exception {
        List<Object> got = new CopyOnWriteArrayList<>();
        Aio.run(publish(new Counter(5), got, Long.MAX_VALUE));
        assertEquals(List.of(0, 1, 2, 3, 4, "complete"), got);
    }

    @Async
    static Coroutine<Void> publish(AsyncIterator<Integer> it, List<Object> got, long cancelAfter) {
        Flow.Publisher<Integer> p = AsyncIterators.toPublisher(it);
        CompletableFuture<Void> end = new CompletableFuture<>();
        Thread loopThread = Thread.currentThread();
        p.subscribe(new Flow.Subscriber<>() {
            Flow.Subscription s;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                s = subscription;
                // From another thread, as a real subscriber would.
                new Thread(() -> s.request(1)).start();
            }

            @Override
            public void onNext(Integer item) {
                assertEquals(loopThread, Thread.currentThread());
                got.add(item);
                if (got.size() >= cancelAfter) {
                    s.cancel();
                    end.complete(null);
                } else {
                    s.request(1);
                }
            }

            @Override
            public void onError(Throwable t) {
                got.add("error " + t);
                end.complete(null);
            }

            @Override
            public void onComplete() {
                got.add("complete");
                end.complete(null);
            }
        });
        await(end);
        return done();
    }

    @Test
    void aCancelledSubscriptionClosesTheIterator() throws Exception {
        Counter c = new Counter(100);
        List<Object> got = new CopyOnWriteArrayList<>();
        Aio.run(publish(c, got, 3));
        assertEquals(List.of(0, 1, 2), got);
        assertTrue(c.closed);
    }

    @Test
    void aNonPositiveRequestIsAnErrorByRule3Point9() throws Exception {
        List<Object> got = new ArrayList<>();
        Aio.run(badRequest(got));
        assertEquals(1, got.size());
        assertTrue(String.valueOf(got.get(0)).contains("3.9"), String.valueOf(got.get(0)));
    }

    @Async
    static Coroutine<Void> badRequest(List<Object> got) {
        CompletableFuture<Void> end = new CompletableFuture<>();
        AsyncIterators.toPublisher(new Counter(3)).subscribe(new Flow.Subscriber<Integer>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(0);
            }

            @Override
            public void onNext(Integer item) {
                got.add(item);
            }

            @Override
            public void onError(Throwable t) {
                got.add(t.getMessage());
                end.complete(null);
            }

            @Override
            public void onComplete() {
                got.add("complete");
                end.complete(null);
            }
        });
        await(end.orTimeout(5, TimeUnit.SECONDS));
        return done();
    }
}
