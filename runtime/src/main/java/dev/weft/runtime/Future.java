package dev.weft.runtime;

import dev.weft.runtime.kernel.Sneaky;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A value that will be there later, bound to one {@link EventLoop}: Python's
 * {@code asyncio.Future}.
 *
 * <p>Low level: user code mostly awaits coroutines and tasks. A future is made with
 * {@link EventLoop#createFuture()}, completed once with {@link #setResult(Object)},
 * {@link #setException(Throwable)} or {@link #cancel()}, and awaited by any number of tasks. Done
 * callbacks are scheduled on the loop with {@link EventLoop#callSoon(Runnable)}, never run inline.
 * All methods but {@link #isDone()}, {@link #join()} and {@link #toCompletableFuture()} must be
 * called on the loop's thread.
 *
 * <pre>{@code
 * Future<String> f = getRunningLoop().createFuture();
 * getRunningLoop().callLater(1.0, () -> f.setResult("ready"));
 * String s = await(f);
 * }</pre>
 *
 * @param <T> the type of the result
 */
public non-sealed class Future<T> implements Awaitable<T> {
    static final byte PENDING = 0;
    static final byte RESULT = 1;
    static final byte FAILED = 2;
    static final byte CANCELLED = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Future.class, "state", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoop loop;
    /**
     * Written on the loop's thread only, with release semantics so that {@link #isDone()} may read
     * it from any thread; the loop's own reads are plain (a volatile field would put a fence on
     * every completion).
     */
    byte state;
    /** The result, the failure, or the cancel message, according to {@link #state}. */
    Object value;
    boolean retrieved;
    /**
     * Before completion: null, one waiter (a Task or a Runnable), or an Object[] of waiters with
     * nulls at the end. After a failure nobody waited for: the loop's record of it, until it is
     * retrieved.
     */
    Object waiters;

    Future(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Wraps a {@link CompletionStage} (a {@code CompletableFuture} from {@code HttpClient.sendAsync},
     * say) in a future of the running loop. Its completion on any thread reaches the loop through
     * {@link EventLoop#callSoonThreadsafe(Runnable)}; a {@link CompletionException} is unwrapped.
     * Cancelling the returned future cancels the stage when it is a {@code CompletableFuture}.
     *
     * @param stage the stage to follow
     * @param <T>   the type of its result
     * @return a future of the running loop
     * @throws IllegalStateException when no loop runs on this thread
     */
    public static <T> Future<T> fromStage(CompletionStage<T> stage) {
        return EventLoop.running().wrapStage(stage);
    }

    /**
     * The loop this future belongs to.
     *
     * @return the loop
     */
    public EventLoop getLoop() {
        return loop;
    }

    /**
     * Whether the future has a result, a failure, or was cancelled. Safe from any thread.
     *
     * @return true once done
     */
    public boolean isDone() {
        return (byte) STATE.getAcquire(this) != PENDING;
    }

    /**
     * Whether the future was cancelled.
     *
     * @return true once cancelled
     */
    public boolean isCancelled() {
        return state == CANCELLED;
    }

    /**
     * The result.
     *
     * @return the result of a future completed with {@link #setResult(Object)}
     * @throws CancelledError        when the future was cancelled
     * @throws IllegalStateException when it is not done yet ("Result is not set.")
     * @throws RuntimeException      the failure itself, unwrapped (a checked one too)
     */
    @SuppressWarnings("unchecked")
    public T result() {
        byte s = state;
        if (s == RESULT) {
            return (T) value;
        }
        if (s == PENDING) {
            throw new IllegalStateException("Result is not set: " + this + " is pending");
        }
        throw Sneaky.<RuntimeException>raise(failure());
    }

    /**
     * The failure, or null when the future completed with a result.
     *
     * @return the exception given to {@link #setException(Throwable)}, or null
     * @throws CancelledError        when the future was cancelled
     * @throws IllegalStateException when it is not done yet
     */
    public Throwable exception() {
        byte s = state;
        if (s == PENDING) {
            throw new IllegalStateException("Exception is not set: " + this + " is pending");
        }
        if (s == CANCELLED) {
            throw newCancelledError();
        }
        markRetrieved();
        return s == FAILED ? (Throwable) value : null;
    }

    /** The failure to throw at an await of this done, not successful future; marks it retrieved. */
    Throwable failure() {
        if (state == CANCELLED) {
            return newCancelledError();
        }
        markRetrieved();
        return (Throwable) value;
    }

    /**
     * The failure's stack trace as it was when this future failed, which every awaiter's async
     * trace extends ({@link AsyncTrace}): taken at the failure, kept in {@link #waiters} (first by
     * the record of the unretrieved failure, then, once retrieved, on its own), a field that has no
     * other use once the future is done. Null when it could not be read: the awaiter then extends
     * the trace as it finds it.
     */
    final StackTraceElement[] firstTrace() {
        Object w = waiters;
        if (w instanceof FirstTrace t) {
            return t.trace;
        }
        if (w instanceof LostFailures.Unobserved u) {
            return u.trace;
        }
        return null;
    }

    /**
     * Keeps the trace of the {@link CancelledError} that ended this task, for the errors its
     * awaiters get: a cancelled future stores only the message, and each awaiter gets a new error.
     */
    final void keepCancelTrace(CancelledError error) {
        if (waiters == null && state == CANCELLED) {
            StackTraceElement[] trace = AsyncTrace.snapshot(error);
            if (trace != null && trace.length > 0) {
                waiters = new FirstTrace(trace);
            }
        }
    }

    /**
     * Keeps, for a future cancelled because {@code from} was (gather, shield, waitFor), the trace
     * {@code from} kept of its cancellation, so that its awaiters see where the cancelled task was.
     */
    final void copyCancelTrace(Future<?> from) {
        if (waiters == null && state == CANCELLED && from.waiters instanceof FirstTrace t) {
            waiters = t;
        }
    }

    /**
     * Takes, for a future that failed with {@code from}'s failure (gather, shield, waitFor), the
     * trace {@code from} failed with, not the one its failure has now, which may carry the chains
     * of {@code from}'s other awaiters.
     */
    final void inheritTrace(Future<?> from) {
        StackTraceElement[] trace = from.firstTrace();
        if (trace != null && waiters instanceof LostFailures.Unobserved u) {
            u.trace = trace;
        }
    }

    /**
     * Keeps only the real frames of this failed future's failure as the trace its awaiters
     * extend: for a failure from outside the loop (a stage, an executor), which other futures or
     * awaits may be handing out too, each with their own chains.
     */
    final void keepRealTrace() {
        Object w = waiters;
        if (w instanceof LostFailures.Unobserved u) {
            u.trace = AsyncTrace.realPart(u.trace);
        } else if (w instanceof FirstTrace t) {
            waiters = new FirstTrace(AsyncTrace.realPart(t.trace));
        }
    }

    /** What {@link #waiters} holds once a failure was retrieved, or a cancelled task ended: its trace. */
    private static final class FirstTrace {
        final StackTraceElement[] trace;

        FirstTrace(StackTraceElement[] trace) {
            this.trace = trace;
        }
    }

    /** Someone has seen the failure: it is no longer reported as lost. */
    final void markRetrieved() {
        retrieved = true;
        if (waiters instanceof LostFailures.Unobserved u) {
            waiters = u.trace != null ? new FirstTrace(u.trace) : null;
            loop.lostFailures.observed(u);
        }
    }

    CancelledError newCancelledError() {
        // With the trace of the error that ended this task, where its chain shows where it was stopped.
        return waiters instanceof FirstTrace t ? CancelledError.delivered((String) value, t.trace)
                : CancelledError.delivered((String) value);
    }

    /**
     * Completes the future with a result and schedules its callbacks.
     *
     * @param result the result, may be null
     * @throws IllegalStateException when the future is done already
     */
    public void setResult(T result) {
        loop.checkThread("Future.setResult");
        if (state != PENDING) {
            throw new IllegalStateException("invalid state: " + this + " is done already");
        }
        complete(RESULT, result);
    }

    /**
     * Completes the future with a failure and schedules its callbacks. A failure that nobody
     * retrieves is reported through the loop's exception handler when the loop closes.
     *
     * @param exception the failure; a {@link CancelledError} is refused (use {@link #cancel()})
     * @throws IllegalStateException    when the future is done already
     * @throws IllegalArgumentException for a {@code CancelledError}
     */
    public void setException(Throwable exception) {
        loop.checkThread("Future.setException");
        Objects.requireNonNull(exception, "exception");
        if (exception instanceof CancelledError) {
            throw new IllegalArgumentException("a CancelledError cannot be set as an exception; call cancel()");
        }
        if (state != PENDING) {
            throw new IllegalStateException("invalid state: " + this + " is done already");
        }
        complete(FAILED, exception);
    }

    /**
     * Cancels the future and schedules its callbacks.
     *
     * @return false when it was done already, else true
     */
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future with a message that the {@link CancelledError} thrown at its awaiters
     * carries. On a future that failed already it does nothing but count as retrieving the
     * failure, as in CPython: whoever cancels it has given up on its outcome.
     *
     * @param message the message, or null
     * @return false when it was done already, else true
     */
    public boolean cancel(String message) {
        loop.checkThread("Future.cancel");
        if (state != PENDING) {
            if (state == FAILED) {
                markRetrieved();
            }
            return false;
        }
        complete(CANCELLED, message);
        return true;
    }

    void complete(byte newState, Object newValue) {
        value = newValue;
        STATE.setRelease(this, newState);
        Object w = waiters;
        waiters = null;
        if (w instanceof Object[] many) {
            for (Object one : many) {
                if (one == null) {
                    break;
                }
                loop.schedule(one);
            }
        } else if (w != null) {
            loop.schedule(w);
        }
        if (newState == FAILED && !retrieved) {
            // Tracked until someone retrieves it, so that a lost failure is reported, not dropped.
            waiters = loop.lostFailures.track(this);
        }
    }

    /**
     * Adds a callback run with this future once it is done (on the loop, through
     * {@link EventLoop#callSoon(Runnable)}); if it is done already the callback is scheduled now.
     *
     * @param callback the callback
     */
    public void addDoneCallback(Consumer<? super Future<T>> callback) {
        loop.checkThread("Future.addDoneCallback");
        Objects.requireNonNull(callback, "callback");
        DoneCallback<T> entry = new DoneCallback<>(this, callback);
        if (state != PENDING) {
            loop.schedule(entry);
        } else {
            addWaiter(entry);
            if (this instanceof ParkAware<?> p) {
                p.watched();
            }
        }
    }

    /**
     * Removes every registration of {@code callback} that has not been scheduled yet.
     *
     * @param callback the callback given to {@link #addDoneCallback(Consumer)}
     * @return how many registrations were removed
     */
    public int removeDoneCallback(Consumer<? super Future<T>> callback) {
        loop.checkThread("Future.removeDoneCallback");
        int removed = 0;
        Object w = waiters;
        if (w instanceof DoneCallback<?> d && d.callback == callback) {
            waiters = null;
            return 1;
        }
        if (w instanceof Object[] many) {
            int j = 0;
            for (int i = 0; i < many.length && many[i] != null; i++) {
                if (many[i] instanceof DoneCallback<?> d && d.callback == callback) {
                    removed++;
                } else {
                    many[j++] = many[i];
                }
            }
            Arrays.fill(many, j, many.length, null);
        }
        return removed;
    }

    /** Registers a waiter (a Task to step, or a Runnable to run) scheduled on completion. */
    final void addWaiter(Object waiter) {
        Object w = waiters;
        if (w == null) {
            waiters = waiter;
        } else if (w instanceof Object[] many) {
            int n = many.length;
            if (many[n - 1] != null) {
                many = Arrays.copyOf(many, n * 2);
                waiters = many;
                many[n] = waiter;
            } else {
                int i = n - 1;
                while (i > 0 && many[i - 1] == null) {
                    i--;
                }
                many[i] = waiter;
            }
        } else {
            Object[] many = new Object[4];
            many[0] = w;
            many[1] = waiter;
            waiters = many;
        }
    }

    /** How many waiters are registered: for the tests that check nothing piles up. */
    final int waiterCount() {
        Object w = waiters;
        if (w == null || w instanceof LostFailures.Unobserved || w instanceof FirstTrace) {
            return 0;
        }
        if (w instanceof Object[] many) {
            int n = 0;
            while (n < many.length && many[n] != null) {
                n++;
            }
            return n;
        }
        return 1;
    }

    /** Removes a waiter that no longer waits (a task woken by something else). */
    final void removeWaiter(Object waiter) {
        Object w = waiters;
        if (w == waiter) {
            waiters = null;
        } else if (w instanceof Object[] many) {
            for (int i = 0; i < many.length && many[i] != null; i++) {
                if (many[i] == waiter) {
                    System.arraycopy(many, i + 1, many, i, many.length - i - 1);
                    many[many.length - 1] = null;
                    return;
                }
            }
        }
    }

    /**
     * A {@link CompletableFuture} that completes with this future's outcome (cancelled when it is
     * cancelled). Safe to call from any thread.
     *
     * @return a new {@code CompletableFuture}
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> cf = new CompletableFuture<>();
        if (isDone()) {
            copyTo(cf);
        } else if (loop.isOwnerThread()) {
            addWaiter((Runnable) () -> copyTo(cf));
            if (this instanceof ParkAware<?> p) {
                p.watched();
            }
        } else {
            // The waiters belong to the loop's thread: register there, even while the loop is idle.
            loop.callSoonThreadsafe(() -> {
                if (isDone()) {
                    copyTo(cf);
                } else {
                    addWaiter((Runnable) () -> copyTo(cf));
                    if (this instanceof ParkAware<?> p) {
                        p.watched();
                    }
                }
            });
        }
        return cf;
    }

    @SuppressWarnings("unchecked")
    private void copyTo(CompletableFuture<T> cf) {
        switch ((byte) STATE.getAcquire(this)) {
            case RESULT -> cf.complete((T) value);
            case FAILED -> {
                if (loop.isOwnerThread() || !loop.isRunning()) {
                    markRetrieved();
                } else {
                    // Seen on another thread: the bookkeeping of lost failures is the loop's, and
                    // it is handed over before the other thread can see the failure and move on.
                    try {
                        loop.callSoonThreadsafe(this::markRetrieved);
                    } catch (IllegalStateException closedMeanwhile) {
                        retrieved = true;
                    }
                }
                cf.completeExceptionally((Throwable) value);
            }
            default -> cf.cancel(false);
        }
    }

    /**
     * As {@link #join()}, with the checked exceptions of {@link java.util.concurrent.Future#get()}:
     * blocks a thread other than the loop's until the future is done.
     *
     * @return the result
     * @throws ExecutionException    wrapping the failure
     * @throws InterruptedException  when the waiting thread is interrupted
     * @throws CancelledError        when the future was cancelled
     * @throws IllegalStateException on the loop's own thread, where it would deadlock
     */
    public T get() throws ExecutionException, InterruptedException {
        refuseBlockingOnLoop("get");
        try {
            return blockingGet();
        } catch (java.util.concurrent.CancellationException e) {
            throw new CancelledError(e.getMessage());
        }
    }

    /**
     * Waits for the hand-off from the loop, and also looks at the state itself now and then: if
     * the loop stopped before it ran the registration, the outcome is still there to read.
     */
    private T blockingGet() throws ExecutionException, InterruptedException {
        CompletableFuture<T> cf = toCompletableFuture();
        for (;;) {
            try {
                return cf.get(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                if (isDone()) {
                    copyTo(cf);
                } else if (loop.isClosed()) {
                    throw new IllegalStateException("the event loop closed while " + this + " was pending: nothing "
                            + "can complete it any more (complete or cancel it before the loop closes)");
                }
            }
        }
    }

    private void refuseBlockingOnLoop(String what) {
        if (loop.isOwnerThread()) {
            throw new IllegalStateException("Future." + what + "() called on the event loop's own thread ("
                    + Thread.currentThread().getName() + "), where blocking would deadlock the loop: use await(future) "
                    + "inside an @Async method instead");
        }
    }

    /**
     * Blocks the calling thread until the future is done, then returns its result. For threads
     * other than the loop's: on the loop's own thread it would deadlock, so it fails at once.
     *
     * @return the result
     * @throws IllegalStateException on the loop's thread
     * @throws CancelledError        when the future was cancelled
     * @throws RuntimeException      the failure itself, unwrapped
     */
    public T join() {
        refuseBlockingOnLoop("join");
        try {
            return blockingGet();
        } catch (ExecutionException e) {
            throw Sneaky.<RuntimeException>raise(e.getCause());
        } catch (java.util.concurrent.CancellationException e) {
            throw new CancelledError(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledError("interrupted while joining " + this);
        }
    }

    String stateName() {
        return switch (state) {
            case PENDING -> "pending";
            case RESULT -> "finished result=" + value;
            case FAILED -> "finished exception=" + value;
            default -> "cancelled";
        };
    }

    @Override
    public String toString() {
        return "Future[" + stateName() + "]";
    }

    /** A done callback on its way to the ready queue. */
    static final class DoneCallback<T> implements Runnable {
        final Future<T> future;
        final Consumer<? super Future<T>> callback;

        DoneCallback(Future<T> future, Consumer<? super Future<T>> callback) {
            this.future = future;
            this.callback = callback;
        }

        @Override
        public void run() {
            future.markRetrieved();
            callback.accept(future);
        }

        @Override
        public String toString() {
            return "DoneCallback[" + callback + " of " + future + "]";
        }
    }

    /** Unwraps {@link CompletionException} and {@link ExecutionException} to the real failure. */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
