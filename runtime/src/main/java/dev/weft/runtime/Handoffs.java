package dev.weft.runtime;

import java.lang.System.Logger.Level;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread-safe hand-offs of one loop: the inbox that {@link EventLoop#callSoonThreadsafe}
 * fills from any thread, and the futures of this loop that follow work on other threads (an
 * executor job, a {@link CompletionStage}) and complete through that inbox. It counts the
 * hand-offs still out, so that a virtual clock waits for them before it jumps.
 */
final class Handoffs {
    private static final System.Logger LOG = System.getLogger("dev.weft.runtime");

    private final EventLoop loop;
    /** Callbacks from other threads; the loop moves them into its ready queue at each iteration. */
    final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    Handoffs(EventLoop loop) {
        this.loop = loop;
    }

    /** Whether work handed to another thread may still come back. */
    boolean outstanding() {
        return pending.get() > 0;
    }

    /** Runs {@code fn} on {@code executor}; the future completes on the loop's thread. */
    <T> Future<T> runIn(Executor executor, Callable<T> fn) {
        Future<T> f = new Future<>(loop);
        pending.incrementAndGet();
        try {
            executor.execute(() -> {
                T value = null;
                Throwable failure = null;
                try {
                    value = fn.call();
                } catch (Throwable t) {
                    failure = t;
                }
                T v = value;
                Throwable e = failure;
                handOff(() -> {
                    if (!f.isDone()) {
                        if (e == null) {
                            f.setResult(v);
                        } else {
                            f.setException(e);
                            f.keepRealTrace();
                        }
                    }
                });
            });
        } catch (RuntimeException rejected) {
            // No job will hand anything back: the virtual clock must not wait for it.
            pending.decrementAndGet();
            throw rejected;
        }
        return f;
    }

    /** A future of the loop that follows {@code stage}, whichever thread completes it. */
    <T> Future<T> follow(CompletionStage<T> stage) {
        Future<T> f = new StageFuture<>(loop, stage);
        pending.incrementAndGet();
        stage.whenComplete((v, e) -> handOff(() -> {
            if (!f.isDone()) {
                if (e == null) {
                    f.setResult(v);
                } else {
                    Throwable cause = Future.unwrap(e);
                    if (cause instanceof CancellationException) {
                        f.cancel(cause.getMessage());
                    } else {
                        f.setException(cause);
                        f.keepRealTrace();
                    }
                }
            }
        }));
        return f;
    }

    /** Counts one hand-off that a thread of someone else's (a pipe's) will deliver with {@link #deliver}. */
    void begin() {
        pending.incrementAndGet();
    }

    /** Delivers a hand-off counted by {@link #begin()}: runs {@code r} on the loop, soon. */
    void deliver(Runnable r) {
        handOff(r);
    }

    private void handOff(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
        } catch (IllegalStateException closedMeanwhile) {
            LOG.log(Level.DEBUG, "event loop closed before a hand-off arrived", closedMeanwhile);
        } finally {
            pending.decrementAndGet();
        }
    }

    /** A future following a stage: cancelling it cancels a {@code CompletableFuture} too. */
    private static final class StageFuture<T> extends Future<T> {
        private final CompletionStage<T> stage;

        StageFuture(EventLoop loop, CompletionStage<T> stage) {
            super(loop);
            this.stage = stage;
        }

        @Override
        public boolean cancel(String message) {
            boolean done = super.cancel(message);
            if (done && stage instanceof CompletableFuture<T> cf) {
                try {
                    cf.cancel(false);
                } catch (UnsupportedOperationException minimalStage) {
                    LOG.log(Level.DEBUG, "a minimal completion stage cannot be cancelled; its result is ignored");
                }
            }
            return done;
        }
    }
}
