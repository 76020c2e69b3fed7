package dev.weft.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The event loop: Python's {@code asyncio} loop, one per thread.
 *
 * <p>Each iteration runs, in order: a poll of the selector (non-blocking when work is ready), the
 * callbacks handed over from other threads, the timers that fell due, then one snapshot of the
 * ready queue: callbacks scheduled while it runs wait for the next iteration, as in CPython.
 * Time comes from an injected {@link Clock}; on a {@link VirtualClock} the loop jumps to the next
 * timer instead of waiting.
 *
 * <p>Every method that touches the loop's state must be called on the thread running the loop
 * (or on any thread while the loop is not running); a call from another thread fails at once with
 * {@link IllegalStateException}. Only {@link #callSoonThreadsafe(Runnable)}, {@link #stop()} and
 * {@link #isRunning()} are for any thread.
 *
 * <pre>{@code
 * EventLoop loop = Aio.newEventLoop();
 * loop.callLater(0.5, () -> System.out.println("half a second later"));
 * loop.runUntilComplete(main());
 * loop.close();
 * }</pre>
 */
public final class EventLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.weft.runtime");
    private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();
    /** How long closing waits for the default executor's jobs, as CPython's THREAD_JOIN_TIMEOUT. */
    static final long EXECUTOR_JOIN_SECONDS = 300;
    /** Past this size an empty ready queue gives its array back, after a burst of a million tasks. */
    private static final int READY_SHRINK_LENGTH = 1 << 16;

    private final Clock clock;
    private final Selector selector;

    private Object[] ready = new Object[64];
    private int readyHead;
    private int readySize;

    private final TimerHeap timers = new TimerHeap();
    private int timerSeq;

    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();

    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile boolean closed;
    private boolean debug;
    private long slowNanos = 100_000_000L;
    private BiConsumer<EventLoop, ExceptionContext> exceptionHandler;

    private Task<?> currentTask;
    private Task<?> liveHead;
    private int liveCount;
    private int taskIds;

    /** A coroutine too deep to start inline, started next by the running task's drive loop. */
    Coroutine<?> pendingStart;
    /** How many coroutines the running step has started inline, one inside the other. */
    int inlineDepth;

    private final ReferenceQueue<Future<?>> lostFailures = new ReferenceQueue<>();
    private Unobserved unobservedHead;
    private int unobservedCount;

    private ExecutorService defaultExecutor;
    private final AtomicInteger pendingHandoffs = new AtomicInteger();

    /**
     * A loop reading {@code clock}; prefer {@link Aio#newEventLoop(Clock)}.
     *
     * @param clock the time source
     */
    public EventLoop(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event loop's selector", e);
        }
    }

    /** A loop on the system clock; prefer {@link Aio#newEventLoop()}. */
    public EventLoop() {
        this(Clock.system());
    }

    static EventLoop running() {
        EventLoop loop = RUNNING.get();
        if (loop == null) {
            throw new IllegalStateException("no running event loop on thread " + Thread.currentThread().getName()
                    + ": call this from an @Async method run by Aio.run(...) or a task");
        }
        return loop;
    }

    static EventLoop runningOrNull() {
        return RUNNING.get();
    }

    // ---------------------------------------------------------------- scheduling

    /**
     * Schedules {@code callback} to run on the next iteration, after the callbacks scheduled before
     * it (first in, first out).
     *
     * @param callback what to run
     * @return a handle that can cancel it
     */
    public Handle callSoon(Runnable callback) {
        checkOpen("callSoon");
        Handle h = new Handle(this, Objects.requireNonNull(callback, "callback"));
        schedule(h);
        return h;
    }

    /**
     * Schedules {@code callback} from any thread, waking the loop if it waits in its selector.
     *
     * @param callback what to run on the loop's thread
     * @throws IllegalStateException when the loop is closed
     */
    public void callSoonThreadsafe(Runnable callback) {
        if (closed) {
            throw new IllegalStateException("event loop is closed");
        }
        inbox.add(Objects.requireNonNull(callback, "callback"));
        if (thread != Thread.currentThread() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /**
     * Schedules {@code callback} to run {@code delay} seconds from now.
     *
     * @param delay    seconds, 0 or more
     * @param callback what to run
     * @return a handle that can cancel it
     */
    public TimerHandle callLater(double delay, Runnable callback) {
        return callAtNanos(clock.nanoTime() + toNanos(delay), callback);
    }

    /**
     * Schedules {@code callback} to run at {@code when} on this loop's {@link #time()}.
     *
     * @param when     the loop time, in seconds
     * @param callback what to run
     * @return a handle that can cancel it
     */
    public TimerHandle callAt(double when, Runnable callback) {
        return callAtNanos((long) (when * 1e9), callback);
    }

    private TimerHandle callAtNanos(long when, Runnable callback) {
        checkOpen("callLater");
        TimerHandle h = new TimerHandle(this, when, timerSeq++, Objects.requireNonNull(callback, "callback"));
        timers.add(h.entry());
        return h;
    }

    /** Adds a sleeping future to the timer heap: one object, both the future and the timer. */
    Future<Void> sleepFuture(double seconds) {
        checkOpen("sleep");
        SleepFuture f = new SleepFuture(this, clock.nanoTime() + toNanos(seconds), timerSeq++);
        timers.addSleep(f);
        return f;
    }

    /** What sleep(0) returns: a future that completes on the next iteration. */
    Future<Void> yieldFuture() {
        checkOpen("sleep");
        Yield y = new Yield(this);
        schedule(y);
        return y;
    }

    static long toNanos(double seconds) {
        if (!(seconds >= 0)) {
            if (Double.isNaN(seconds)) {
                throw new IllegalArgumentException("delay is NaN");
            }
            return 0;
        }
        return seconds >= 9.2e9 ? Long.MAX_VALUE / 2 : (long) (seconds * 1e9);
    }

    /**
     * The loop's time in seconds, from its clock; only differences are meaningful (0 at the start
     * of a virtual clock).
     *
     * @return seconds
     */
    public double time() {
        return clock.nanoTime() / 1e9;
    }

    /**
     * The clock this loop reads.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * A new pending future bound to this loop.
     *
     * @param <T> the type of its result
     * @return the future
     */
    public <T> Future<T> createFuture() {
        checkOpen("createFuture");
        return new Future<>(this);
    }

    /**
     * Wraps {@code coroutine} in a task scheduled on this loop.
     *
     * @param coroutine the coroutine, not started yet
     * @param <T>       the type of its result
     * @return the task
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null);
    }

    /**
     * Wraps {@code coroutine} in a named task scheduled on this loop.
     *
     * @param coroutine the coroutine, not started yet
     * @param name      the task's name, or null for {@code Task-N}
     * @param <T>       the type of its result
     * @return the task
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        checkOpen("createTask");
        return new Task<>(this, Objects.requireNonNull(coroutine, "coroutine"), name);
    }

    void schedule(Object entry) {
        Object[] q = ready;
        if (readySize == q.length) {
            q = growReady();
        }
        q[(readyHead + readySize) & (q.length - 1)] = entry;
        readySize++;
    }

    private Object[] growReady() {
        Object[] q = ready;
        Object[] bigger = new Object[q.length * 2];
        int firstPart = Math.min(readySize, q.length - readyHead);
        System.arraycopy(q, readyHead, bigger, 0, firstPart);
        System.arraycopy(q, 0, bigger, firstPart, readySize - firstPart);
        readyHead = 0;
        ready = bigger;
        return bigger;
    }

    TimerHeap timers() {
        return timers;
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs the loop until {@code awaitable} is done, then returns its result or throws its
     * failure (unwrapped). A coroutine is wrapped in a task first.
     *
     * @param awaitable what to run
     * @param <T>       the type of its result
     * @return its result
     * @throws IllegalStateException when the loop is closed or running, or stops before the
     *                               awaitable is done
     */
    public <T> T runUntilComplete(Awaitable<T> awaitable) {
        checkOpen("runUntilComplete");
        checkNotRunning();
        Future<T> f = ensureFuture(awaitable);
        Runnable stopper = this::stop;
        Combinators.onDone(f, stopper);
        try {
            runForever();
        } finally {
            f.removeWaiter(stopper);
        }
        if (!f.isDone()) {
            throw new IllegalStateException("event loop stopped before the future completed: " + f);
        }
        return f.result();
    }

    private void checkNotRunning() {
        if (thread != null) {
            throw new IllegalStateException("this event loop is already running");
        }
        if (RUNNING.get() != null) {
            throw new IllegalStateException("cannot run an event loop while another loop is running on this thread");
        }
    }

    <T> Future<T> ensureFuture(Awaitable<T> awaitable) {
        if (awaitable instanceof Future<T> f) {
            if (f.loop != this) {
                throw new IllegalStateException(f + " belongs to another event loop");
            }
            return f;
        }
        return createTask((Coroutine<T>) Objects.requireNonNull(awaitable, "awaitable"));
    }

    /**
     * Runs the loop until {@link #stop()} is called.
     *
     * @throws IllegalStateException when the loop is closed, already running, or another loop runs
     *                               on this thread
     */
    public void runForever() {
        checkOpen("runForever");
        checkNotRunning();
        thread = Thread.currentThread();
        RUNNING.set(this);
        try {
            while (true) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            stopping = false;
            RUNNING.remove();
            thread = null;
        }
    }

    /**
     * Stops a running loop after the current iteration completes; before {@link #runForever()} it
     * makes the next run do one iteration. Safe from any thread.
     */
    public void stop() {
        stopping = true;
        if (thread != null && thread != Thread.currentThread()) {
            selector.wakeup();
        }
    }

    /**
     * Whether the loop is running.
     *
     * @return true inside {@link #runForever()} or {@link #runUntilComplete(Awaitable)}
     */
    public boolean isRunning() {
        return thread != null;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    private void runOnce() {
        timers.dropDoneTop();
        long timeoutNanos;
        if (readySize > 0 || stopping) {
            timeoutNanos = 0;
        } else if (!timers.isEmpty()) {
            timeoutNanos = Math.max(0, timers.peek().dueNanos() - clock.nanoTime());
        } else {
            timeoutNanos = -1;
        }
        poll(timeoutNanos);
        drainInbox();

        if (!timers.isEmpty()) {
            long now = clock.nanoTime();
            Timed t;
            while ((t = timers.peek()) != null && t.dueNanos() - now <= 0) {
                timers.poll();
                t.expire();
            }
        }

        // One snapshot: what the callbacks schedule now waits for the next iteration, as in CPython.
        int n = readySize;
        for (int i = 0; i < n; i++) {
            Object[] q = ready;
            int head = readyHead;
            Object entry = q[head];
            q[head] = null;
            readyHead = (head + 1) & (q.length - 1);
            readySize--;
            if (debug) {
                runTimed(entry);
            } else {
                runEntry(entry);
            }
        }
        if (readySize == 0 && ready.length > READY_SHRINK_LENGTH) {
            ready = new Object[64];
            readyHead = 0;
        }
        if (unobservedCount > 0) {
            reportCollected();
        }
    }

    private void poll(long timeoutNanos) {
        boolean hasKeys = !selector.keys().isEmpty();
        if (timeoutNanos == 0 || !inbox.isEmpty()) {
            if (hasKeys) {
                select(0);
            }
            return;
        }
        if (timeoutNanos > 0 && clock.isVirtual()) {
            // Nothing is ready: jump to the next timer, unless work handed to other threads may
            // still come back before it. Then wait for it for real, at most the timer's delay, so
            // that a result arriving in time beats a virtual timeout as it would on a real clock.
            if (pendingHandoffs.get() > 0) {
                select(toMillis(timeoutNanos));
            } else if (hasKeys) {
                select(0);
            }
            if (readySize == 0 && inbox.isEmpty()) {
                clock.jumpTo(timers.peek().dueNanos());
            }
            return;
        }
        select(timeoutNanos < 0 ? -1 : toMillis(timeoutNanos));
    }

    private static long toMillis(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(nanos, Long.MAX_VALUE - 999_999) + 999_999));
    }

    private void select(long millis) {
        try {
            int n = millis == 0 ? selector.selectNow() : millis < 0 ? selector.select() : selector.select(millis);
            wakeupPending.set(false);
            if (n > 0) {
                Set<SelectionKey> keys = selector.selectedKeys();
                for (SelectionKey key : keys) {
                    Object att = key.attachment();
                    if (att instanceof Runnable r && key.isValid()) {
                        schedule(r);
                    }
                }
                keys.clear();
            }
        } catch (IOException e) {
            callExceptionHandler(new ExceptionContext("selector failed", e, null, null, null));
        }
    }

    private void drainInbox() {
        Runnable r;
        while ((r = inbox.poll()) != null) {
            schedule(r);
        }
    }

    private void runEntry(Object entry) {
        try {
            if (entry instanceof Task<?> t) {
                t.step();
            } else if (entry instanceof Handle h) {
                h.run();
            } else if (entry instanceof Fire f) {
                f.fire();
            } else {
                ((Runnable) entry).run();
            }
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
            callExceptionHandler(new ExceptionContext("Exception in callback " + entry, t, null,
                    entry instanceof Handle h ? h : null, null));
        }
    }

    /** Debug mode: times each callback on the loop's clock, so a virtual clock can test it too. */
    private void runTimed(Object entry) {
        long start = clock.nanoTime();
        runEntry(entry);
        long took = clock.nanoTime() - start;
        if (took >= slowNanos) {
            String what = entry instanceof Task<?> t ? "step of " + t : "callback " + entry;
            Throwable site = entry instanceof Task<?> t ? t.creationSite() : null;
            LOG.log(Level.WARNING, String.format("Executing %s took %.3f seconds", what, took / 1e9), site);
        }
    }

    // ---------------------------------------------------------------- tasks

    int nextTaskId() {
        return ++taskIds;
    }

    void register(Task<?> t) {
        t.nextLive = liveHead;
        if (liveHead != null) {
            liveHead.prevLive = t;
        }
        liveHead = t;
        liveCount++;
    }

    void unregister(Task<?> t) {
        Task<?> p = t.prevLive;
        Task<?> n = t.nextLive;
        if (p != null) {
            p.nextLive = n;
        } else if (liveHead == t) {
            liveHead = n;
        }
        if (n != null) {
            n.prevLive = p;
        }
        t.prevLive = null;
        t.nextLive = null;
        liveCount--;
    }

    void enterTask(Task<?> t) {
        currentTask = t;
    }

    void leaveTask() {
        currentTask = null;
    }

    Task<?> currentTask() {
        return currentTask;
    }

    /**
     * The tasks of this loop that are not done, in no particular order.
     *
     * @return a new set
     */
    public Set<Task<?>> allTasks() {
        Set<Task<?>> all = new LinkedHashSet<>();
        for (Task<?> t = liveHead; t != null; t = t.nextLive) {
            all.add(t);
        }
        return all;
    }

    int liveTaskCount() {
        return liveCount;
    }

    /**
     * A failure nobody has retrieved yet. It refers to its future weakly: when the future is
     * collected unretrieved, the failure is reported then, as Python does; whatever is left is
     * reported at {@link #close()}.
     */
    static final class Unobserved extends WeakReference<Future<?>> {
        final Throwable failure;
        final String name;
        Unobserved prev;
        Unobserved next;
        boolean linked;

        Unobserved(Future<?> f, ReferenceQueue<Future<?>> queue) {
            super(f, queue);
            this.failure = (Throwable) f.value;
            this.name = f instanceof Task<?> t ? t.getName() : null;
        }
    }

    Unobserved unobserved(Future<?> f) {
        Unobserved u = new Unobserved(f, lostFailures);
        u.next = unobservedHead;
        if (unobservedHead != null) {
            unobservedHead.prev = u;
        }
        unobservedHead = u;
        u.linked = true;
        unobservedCount++;
        return u;
    }

    void observed(Unobserved u) {
        unlink(u);
        u.clear();
    }

    private void unlink(Unobserved u) {
        if (!u.linked) {
            return;
        }
        if (u.prev != null) {
            u.prev.next = u.next;
        } else {
            unobservedHead = u.next;
        }
        if (u.next != null) {
            u.next.prev = u.prev;
        }
        u.prev = null;
        u.next = null;
        u.linked = false;
        unobservedCount--;
    }

    /** Reports the failures whose futures were collected without anyone retrieving them. */
    private void reportCollected() {
        Reference<? extends Future<?>> r;
        while ((r = lostFailures.poll()) != null) {
            Unobserved u = (Unobserved) r;
            if (u.linked) {
                unlink(u);
                reportLost(u, null);
            }
        }
    }

    /** Reports every failure not retrieved so far, then forgets them; close calls it. */
    void reportUnobserved() {
        reportCollected();
        while (unobservedHead != null) {
            Unobserved u = unobservedHead;
            Future<?> f = u.get();
            unlink(u);
            u.clear();
            if (f != null) {
                f.retrieved = true;
                if (f.waiters == u) {
                    f.waiters = null;
                }
            }
            reportLost(u, f);
        }
    }

    private void reportLost(Unobserved u, Future<?> f) {
        String msg = u.name != null ? "Task exception was never retrieved: task " + u.name + " failed with "
                + u.failure + " and nobody awaited it" : "Future exception was never retrieved: " + u.failure;
        callExceptionHandler(new ExceptionContext(msg, u.failure, f instanceof Task<?> t ? t : null, null, f));
    }

    // ---------------------------------------------------------------- executors and stages

    /**
     * Runs {@code fn} on {@code executor} (the default executor when null) and returns a future of
     * this loop that completes with its outcome.
     *
     * @param executor where to run, or null for the default executor (made on first use)
     * @param fn       the blocking function
     * @param <T>      its result type
     * @return a future of this loop
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> fn) {
        checkOpen("runInExecutor");
        Objects.requireNonNull(fn, "fn");
        Executor ex = executor != null ? executor : defaultExecutor();
        Future<T> f = new Future<>(this);
        pendingHandoffs.incrementAndGet();
        try {
            ex.execute(() -> {
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
                        }
                    }
                });
            });
        } catch (RuntimeException rejected) {
            // No job will hand anything back: the virtual clock must not wait for it.
            pendingHandoffs.decrementAndGet();
            throw rejected;
        }
        return f;
    }

    private void handOff(Runnable r) {
        try {
            callSoonThreadsafe(r);
        } catch (IllegalStateException closedMeanwhile) {
            LOG.log(Level.DEBUG, "event loop closed before a hand-off arrived", closedMeanwhile);
        } finally {
            pendingHandoffs.decrementAndGet();
        }
    }

    private synchronized ExecutorService defaultExecutor() {
        if (defaultExecutor == null) {
            int n = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "weft-executor-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            pool.allowCoreThreadTimeOut(true);
            defaultExecutor = pool;
        }
        return defaultExecutor;
    }

    /**
     * Shuts the default executor down and waits for its running jobs; {@link Aio#run} and
     * {@link #close()} call it.
     */
    public void shutdownDefaultExecutor() {
        ExecutorService ex;
        synchronized (this) {
            ex = defaultExecutor;
            defaultExecutor = null;
        }
        if (ex != null) {
            ex.shutdown();
            try {
                if (!ex.awaitTermination(EXECUTOR_JOIN_SECONDS, TimeUnit.SECONDS)) {
                    LOG.log(Level.WARNING, "the default executor did not finish its jobs within "
                            + EXECUTOR_JOIN_SECONDS + " s; giving up on them (its threads are daemons): a toThread or "
                            + "runInExecutor job is still running; make it interruptible or give it an executor of "
                            + "its own");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    <T> Future<T> wrapStage(CompletionStage<T> stage) {
        Future<T> f = new StageFuture<>(this, stage);
        pendingHandoffs.incrementAndGet();
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
                    }
                }
            }
        }));
        return f;
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

    // ---------------------------------------------------------------- errors, debug, threads

    /**
     * What went wrong where, for the exception handler, as the context dict of asyncio.
     *
     * @param message   what happened
     * @param exception the failure, or null
     * @param task      the task involved, or null
     * @param handle    the callback's handle, or null
     * @param future    the future involved, or null
     */
    public record ExceptionContext(String message, Throwable exception, Task<?> task, Handle handle, Future<?> future) {
    }

    /**
     * Replaces the exception handler; null restores the default, which logs to the
     * {@code dev.weft.runtime} {@link System.Logger} at ERROR.
     *
     * @param handler the handler, or null
     */
    public void setExceptionHandler(BiConsumer<EventLoop, ExceptionContext> handler) {
        this.exceptionHandler = handler;
    }

    /**
     * The exception handler set with {@link #setExceptionHandler(BiConsumer)}.
     *
     * @return the handler, or null for the default
     */
    public BiConsumer<EventLoop, ExceptionContext> getExceptionHandler() {
        return exceptionHandler;
    }

    /**
     * Reports a failure that has nobody else to go to: calls the handler, or the default one.
     *
     * @param context what happened
     */
    public void callExceptionHandler(ExceptionContext context) {
        BiConsumer<EventLoop, ExceptionContext> h = exceptionHandler;
        if (h != null) {
            try {
                h.accept(this, context);
                return;
            } catch (Throwable t) {
                LOG.log(Level.ERROR, "Unhandled error in exception handler", t);
            }
        }
        defaultExceptionHandler(context);
    }

    /**
     * The default handler: logs the context's message and exception, and the task's creation
     * site in debug mode.
     *
     * @param context what happened
     */
    public void defaultExceptionHandler(ExceptionContext context) {
        StringBuilder sb = new StringBuilder(context.message());
        if (context.task() != null) {
            sb.append(" [").append(context.task()).append(']');
            Throwable site = context.task().creationSite();
            if (site != null) {
                sb.append(" created at ").append(Arrays.toString(site.getStackTrace()));
            }
        }
        LOG.log(Level.ERROR, sb.toString(), context.exception());
    }

    /**
     * Turns debug mode on or off: a callback or task step slower than 100 ms is logged with the
     * task's creation site, which tasks record while debug is on; and every coroutine made on the
     * loop's thread is remembered with its creation site, so that {@link #close()} reports those
     * that were never awaited (outside debug mode the weaver's forgotten-await warning catches
     * most of them at build time, at no run-time cost).
     *
     * @param enabled true for debug mode
     */
    public void setDebug(boolean enabled) {
        if (enabled != debug && !closed) {
            DEBUG_LOOPS.addAndGet(enabled ? 1 : -1);
        }
        this.debug = enabled;
    }

    /**
     * How many open loops are in debug mode: while none is, a coroutine's constructor costs one
     * volatile read and records nothing.
     */
    static final AtomicInteger DEBUG_LOOPS = new AtomicInteger();

    /** Coroutines made on this loop's thread in debug mode, with where, until they start. */
    private final List<Unawaited> unawaited = new ArrayList<>();

    private record Unawaited(Coroutine<?> coroutine, Throwable site) {
    }

    /** Called by {@link Coroutine}'s constructor while some loop is in debug mode. */
    static void created(Coroutine<?> coroutine) {
        EventLoop loop = RUNNING.get();
        if (loop != null && loop.debug) {
            List<Unawaited> list = loop.unawaited;
            if (list.size() >= 1024 && Integer.bitCount(list.size()) == 1) {
                list.removeIf(u -> u.coroutine().owner != null);
            }
            list.add(new Unawaited(coroutine, new Throwable("coroutine created here")));
        }
    }

    /** Reports the coroutines of debug mode that nothing ever started: nothing can await them after close. */
    private void reportUnawaited() {
        for (Unawaited u : unawaited) {
            if (u.coroutine().owner == null) {
                callExceptionHandler(new ExceptionContext("coroutine " + u.coroutine().describe() + " was never "
                        + "awaited: await it, or wrap it in createTask", u.site(), null, null, null));
            }
        }
        unawaited.clear();
    }

    /**
     * How long a callback or task step may take before debug mode logs it: 0.1 s by default, as
     * asyncio's {@code slow_callback_duration}. Measured on the loop's clock.
     *
     * @param seconds the threshold, in seconds
     */
    public void setSlowCallbackDuration(double seconds) {
        this.slowNanos = toNanos(seconds);
    }

    /**
     * The threshold set with {@link #setSlowCallbackDuration(double)}.
     *
     * @return seconds
     */
    public double getSlowCallbackDuration() {
        return slowNanos / 1e9;
    }

    /**
     * Whether debug mode is on.
     *
     * @return true in debug mode
     */
    public boolean isDebug() {
        return debug;
    }

    boolean isOwnerThread() {
        return thread == Thread.currentThread();
    }

    void checkThread(String what) {
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            throw new IllegalStateException(what + " called from thread " + Thread.currentThread().getName()
                    + " but the event loop runs on thread " + t.getName()
                    + ": use callSoonThreadsafe to hand work to the loop");
        }
    }

    private void checkOpen(String what) {
        if (closed) {
            throw new IllegalStateException("event loop is closed (" + what + ")");
        }
        checkThread(what);
    }

    // ---------------------------------------------------------------- closing

    /**
     * Closes the loop: reports tasks still pending and failures nobody retrieved through the
     * exception handler, shuts the default executor down and releases the selector. Idempotent;
     * refused while the loop runs. Later scheduling fails with "event loop is closed".
     *
     * @throws IllegalStateException when the loop is running
     */
    @Override
    public void close() {
        if (thread != null) {
            throw new IllegalStateException("cannot close a running event loop");
        }
        if (closed) {
            return;
        }
        for (Task<?> t = liveHead; t != null; t = t.nextLive) {
            callExceptionHandler(new ExceptionContext("Task was destroyed but it is pending: task " + t.getName()
                    + " never finished; cancel it (Aio.run does) or await it before closing the loop", null, t,
                    null, t));
        }
        reportUnobserved();
        reportUnawaited();
        if (debug) {
            DEBUG_LOOPS.decrementAndGet();
        }
        closed = true;
        Arrays.fill(ready, null);
        readySize = 0;
        timers.clear();
        inbox.clear();
        shutdownDefaultExecutor();
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the selector failed", e);
        }
    }

    Selector selector() {
        return selector;
    }

    @Override
    public String toString() {
        return "EventLoop[" + (closed ? "closed" : thread != null ? "running" : "idle") + ", " + clock
                + ", ready=" + readySize + ", timers=" + timers.size() + ", tasks=" + liveCount + "]";
    }
}
