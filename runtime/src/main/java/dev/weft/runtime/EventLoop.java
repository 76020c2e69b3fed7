package dev.weft.runtime;

import dev.weft.runtime.kernel.IoCallback;
import dev.weft.runtime.kernel.Net;
import dev.weft.runtime.kernel.Sockets;
import dev.weft.runtime.streams.Protocol;
import dev.weft.runtime.streams.Server;
import dev.weft.runtime.streams.StreamOptions;
import dev.weft.runtime.streams.Transport;
import dev.weft.runtime.streams.Transports;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;
import dev.weft.runtime.kernel.LoopIo;
import dev.weft.runtime.kernel.PollKey;
import dev.weft.runtime.kernel.Poller;
import dev.weft.runtime.kernel.SelectorPoller;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * The event loop: Python's {@code asyncio} loop, one per thread.
 *
 * <p>Each iteration runs, in order: a poll of the I/O poller (non-blocking when work is ready),
 * which queues the callbacks of ready channels; the callbacks handed over from other threads; the
 * timers that fell due; then one snapshot of the ready queue: callbacks scheduled while it runs
 * wait for the next iteration, as in CPython. Time comes from an injected {@link Clock}; on a
 * {@link VirtualClock} the loop jumps to the next timer instead of waiting, unless work on other
 * threads or I/O may still arrive before it.
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
    /**
     * The loop started last on any thread, or null: a cache in front of {@link #RUNNING}, valid for
     * the reading thread only when that loop's {@link #thread} is the reader (one loop runs on a
     * thread at a time), so a stale or racy value costs a look-up, never a wrong answer.
     */
    private static EventLoop lastStarted;
    /** Past this size an empty ready queue gives its array back, after a burst of a million tasks. */
    private static final int READY_SHRINK_LENGTH = 1 << 16;

    private final Clock clock;
    private final Poller poller;

    private Object[] ready = new Object[64];
    private int readyHead;
    private int readySize;

    /** What runs after this iteration's callbacks, before the next poll: the transports' write flushes. */
    private final ArrayDeque<Runnable> beforePoll = new ArrayDeque<>();
    private ByteBuffer readBuffer;
    /** Write chunks given back by transports, kept for the next writes. */
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    /** What must end with the loop: child processes, say. */
    private final Set<Runnable> closeHooks = new java.util.LinkedHashSet<>();
    /** At most 4 MiB of direct chunks are made and pooled; past them writers get heap chunks. */
    private static final int POOLED_CHUNKS = 256;
    /** The size of the heap chunks handed out once the direct ones are all made. */
    private static final int HEAP_CHUNK = 2048;
    /** How many direct chunks were made: each is in the pool or held by a transport. */
    private int directChunks;
    private final LoopIo io = new Io();

    private final TimerHeap timers = new TimerHeap();
    private int timerSeq;

    private final Handoffs handoffs = new Handoffs(this);
    /** The hand-offs' inbox, read here directly because every iteration drains it. */
    private final ConcurrentLinkedQueue<Runnable> inbox = handoffs.inbox;

    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile boolean closed;
    private boolean debug;
    private long slowNanos = 100_000_000L;
    private BiConsumer<EventLoop, ? super dev.weft.runtime.ExceptionContext> exceptionHandler;

    private Task<?> currentTask;
    /** The tasks not done yet. */
    final TaskRegistry tasks = new TaskRegistry();
    /** The failures nobody retrieved yet. */
    final LostFailures lostFailures = new LostFailures(this);
    private final DebugRegistry debugRegistry = new DebugRegistry();
    private final DefaultExecutor defaultExecutor = new DefaultExecutor();

    /** An async generator's body that has just emitted: its frame stops and its step completes. */
    Coroutine<?> yielded;
    /** A coroutine too deep to start inline, started next by the running task's drive loop. */
    Coroutine<?> pendingStart;
    /** How many coroutines the running step has started inline, one inside the other. */
    int inlineDepth;
    /** The failure whose stack trace last had a task's await chain written in; see {@link AsyncTrace}. */
    Throwable chainedFailure;
    /** The frame that holds {@link #chainedFailure} now, having received it with its chain written. */
    Coroutine<?> chainedHolder;
    /** Failures of closes that supersede a block's failure, until the block throws them; see {@link AsyncWith}. */
    AsyncWith.Superseded superseded;

    /**
     * A loop reading {@code clock}; prefer {@link Aio#newEventLoop(Clock)}.
     *
     * @param clock the time source
     */
    public EventLoop(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.poller = new SelectorPoller(this::schedule, this::checkThread);
        LoopRegistry.add(this);
        if (!Jfr.settled) {
            Jfr.poll();
        }
    }

    /** A loop on the system clock; prefer {@link Aio#newEventLoop()}. */
    public EventLoop() {
        this(Clock.system());
    }

    static EventLoop running() {
        EventLoop last = lastStarted;
        if (last != null && last.thread == Thread.currentThread()) {
            // The loop that runs on this thread, found without the thread-local look-up.
            return last;
        }
        EventLoop loop = RUNNING.get();
        if (loop == null) {
            throw new IllegalStateException("no running event loop on thread " + Thread.currentThread().getName()
                    + ": call this from an @Async method run by Aio.run(...) or a task");
        }
        return loop;
    }

    static EventLoop runningOrNull() {
        EventLoop last = lastStarted;
        return last != null && last.thread == Thread.currentThread() ? last : RUNNING.get();
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
     * Schedules {@code callback} from any thread, waking the loop if it waits in its poller.
     *
     * @param callback what to run on the loop's thread
     * @throws IllegalStateException when the loop is closed
     */
    public void callSoonThreadsafe(Runnable callback) {
        if (closed) {
            throw new IllegalStateException("event loop is closed");
        }
        inbox.add(Objects.requireNonNull(callback, "callback"));
        if (thread != Thread.currentThread()) {
            poller.wakeup();
        }
    }

    /**
     * Schedules {@code callback} to run {@code delay} seconds from now. A negative delay is a due
     * time in the past: the callback runs on the next iteration, after the timers due before it,
     * as in CPython.
     *
     * @param delay    seconds
     * @param callback what to run
     * @return a handle that can cancel it
     * @throws IllegalArgumentException when {@code delay} is NaN
     */
    public TimerHandle callLater(double delay, Runnable callback) {
        return callAtNanos(plus(clock.nanoTime(), delayNanos(delay)), callback);
    }

    /**
     * Schedules {@code callback} to run at {@code when} on this loop's {@link #time()}. A time
     * further off than {@link #callLater(double, Runnable)} allows (146 years ahead, 73 back) is
     * taken as that bound, as there.
     *
     * @param when     the loop time, in seconds
     * @param callback what to run
     * @return a handle that can cancel it
     * @throws IllegalArgumentException when {@code when} is NaN
     */
    public TimerHandle callAt(double when, Runnable callback) {
        if (Double.isNaN(when)) {
            // The cast below would make it 0, a time long past: refused, as callLater refuses a NaN delay.
            throw new IllegalArgumentException("when is NaN");
        }
        long now = clock.nanoTime();
        double target = when * 1e9;
        double delta = target - now;
        long due;
        if (delta >= MAX_AHEAD_NANOS) {
            due = plus(now, MAX_AHEAD_NANOS);
        } else if (delta <= -MAX_BEHIND_NANOS) {
            due = plus(now, -MAX_BEHIND_NANOS);
        } else {
            // Within the bounds: the exact time asked, which a long holds unless the clock is near
            // the end of its range, where the cast saturates as plus() does.
            due = (long) target;
        }
        return callAtNanos(due, callback);
    }

    /** {@code now + delta}, saturated at the ends of a long instead of wrapping around. */
    private static long plus(long now, long delta) {
        long sum = now + delta;
        if (((now ^ sum) & (delta ^ sum)) < 0) {
            return delta > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return sum;
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

    /**
     * How far ahead of now a due time may lie (146 years). Due times are compared with each other
     * and with the clock by subtraction, so they must stay well within the range of a long of each
     * other: ahead by at most this, behind by at most {@link #MAX_BEHIND_NANOS} (73 years), which
     * leaves 73 years for the clock to move on.
     */
    private static final long MAX_AHEAD_NANOS = Long.MAX_VALUE / 2;
    private static final long MAX_BEHIND_NANOS = Long.MAX_VALUE / 4;
    private static final double MAX_AHEAD_SECONDS = MAX_AHEAD_NANOS / 1e9;

    /** A delay in nanoseconds, negative ones kept (a due time in the past) within the bounds. */
    static long delayNanos(double seconds) {
        return seconds < 0 ? Math.max(-MAX_BEHIND_NANOS, (long) (seconds * 1e9)) : toNanos(seconds);
    }

    static long toNanos(double seconds) {
        if (!(seconds >= 0)) {
            if (Double.isNaN(seconds)) {
                throw new IllegalArgumentException("delay is NaN");
            }
            return 0;
        }
        return seconds >= MAX_AHEAD_SECONDS ? MAX_AHEAD_NANOS : (long) (seconds * 1e9);
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

    /**
     * As {@link #createTask(Coroutine, String)}, with a name made when first asked for and, in
     * debug mode, {@code origin}'s stack (when not null) as where the task was created.
     */
    <T> Task<T> createTaskNamedLater(Coroutine<T> coroutine, java.util.function.Supplier<String> name, Throwable origin) {
        checkOpen("createTask");
        return new Task<>(this, Objects.requireNonNull(coroutine, "coroutine"), Objects.requireNonNull(name, "name"), origin);
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

    /**
     * Registers {@code channel} with this loop's poller: {@code callback} runs on the loop's
     * thread, from the ready queue, whenever the channel is ready for an operation of its interest
     * set. The transports of the streams build on this.
     */
    PollKey registerChannel(SelectableChannel channel, int ops, IoCallback callback) throws IOException {
        checkOpen("registerChannel");
        return poller.register(channel, ops, callback);
    }

    LoopIo io() {
        return io;
    }

    /** The loop's side of {@link LoopIo}, for the transports. */
    private final class Io implements LoopIo {
        @Override
        public PollKey register(SelectableChannel channel, int ops, IoCallback callback) throws IOException {
            return registerChannel(channel, ops, callback);
        }

        @Override
        public void checkThread(String what) {
            EventLoop.this.checkThread(what);
        }

        @Override
        public PollKey keyFor(SelectableChannel channel) {
            return poller.keyFor(channel);
        }

        @Override
        public void beforePoll(Runnable flush) {
            beforePoll.addLast(flush);
        }

        @Override
        public void flushCancelled() throws IOException {
            checkOpen("flushCancelled");
            poller.flushCancelled();
        }

        @Override
        public ByteBuffer readBuffer() {
            ByteBuffer b = readBuffer;
            if (b == null) {
                // CPython's selector transports read up to 256 KiB at once; 64 KiB matches the
                // stream limit and the socket's usual receive buffer.
                b = readBuffer = ByteBuffer.allocateDirect(64 * 1024);
            }
            return b;
        }

        @Override
        public void expect() {
            handoffs.begin();
        }

        @Override
        public void deliver(Runnable r) {
            handoffs.deliver(r);
        }

        @Override
        public void atClose(Runnable hook) {
            checkOpen("atClose");
            closeHooks.add(hook);
        }

        @Override
        public void removeAtClose(Runnable hook) {
            closeHooks.remove(hook);
        }

        @Override
        public ByteBuffer takeChunk() {
            ByteBuffer c = chunks.pollLast();
            if (c != null) {
                return c;
            }
            // A burst of more writers than the pool holds: the direct chunks made for it stay pooled
            // (up to POOLED_CHUNKS), past that a small heap chunk, cheap to make and to drop, rather
            // than a direct one zeroed and thrown away at every turn.
            return directChunks < POOLED_CHUNKS ? newDirectChunk() : ByteBuffer.allocate(HEAP_CHUNK);
        }

        private ByteBuffer newDirectChunk() {
            directChunks++;
            return ByteBuffer.allocateDirect(CHUNK);
        }

        @Override
        public void giveChunk(ByteBuffer chunk) {
            if (chunks.size() < POOLED_CHUNKS && chunk.isDirect() && chunk.capacity() == CHUNK) {
                chunks.addLast(chunk.clear());
            }
        }
    }

    private void runBeforePoll() {
        Runnable r;
        while ((r = beforePoll.pollFirst()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                callExceptionHandler(new dev.weft.runtime.ExceptionContext("exception in a before-poll hook " + r, e,
                        null, null, null));
            }
        }
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
        lastStarted = this;
        debugRegistry.update(this);
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
            if (lastStarted == this) {
                lastStarted = null;
            }
            thread = null;
            debugRegistry.update(this);
        }
    }

    /**
     * Stops a running loop after the current iteration completes; before {@link #runForever()} it
     * makes the next run do one iteration. Safe from any thread.
     */
    public void stop() {
        stopping = true;
        if (thread != null && thread != Thread.currentThread()) {
            poller.wakeup();
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

    /** The thread running the loop, or null while it does not run; for inspection from any thread. */
    Thread thread() {
        return thread;
    }

    private void runOnce() {
        if (!Jfr.settled) {
            Jfr.poll();
        }
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
        boolean recording = Jfr.on;
        Object stall = recording ? JfrEvents.iterationStarted() : null;
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
            } else if (recording) {
                JfrEvents.run(this, entry);
            } else {
                runEntry(entry);
            }
        }
        if (!beforePoll.isEmpty()) {
            runBeforePoll();
        }
        if (stall != null) {
            JfrEvents.iterationEnded(stall, this, n, readySize);
        }
        if (readySize == 0 && ready.length > READY_SHRINK_LENGTH) {
            ready = new Object[64];
            readyHead = 0;
        }
        if (lostFailures.any()) {
            lostFailures.reportCollected();
        }
    }

    private void poll(long timeoutNanos) {
        try {
            if (timeoutNanos == 0 || !inbox.isEmpty()) {
                poller.poll(0);
                return;
            }
            // From here a wake-up reaches the selector; what another thread handed over before it
            // (without one) is seen here, and the loop does not wait.
            poller.prepareToWait();
            if (!inbox.isEmpty() || stopping) {
                poller.poll(0);
            } else if (timeoutNanos > 0 && clock.isVirtual()) {
                pollVirtual(timeoutNanos);
            } else {
                poller.poll(timeoutNanos);
            }
        } catch (IOException e) {
            callExceptionHandler(new dev.weft.runtime.ExceptionContext("selector failed", e, null, null, null));
        }
    }

    /**
     * Nothing is ready and a timer is due {@code timeoutNanos} from now on a virtual clock: jump to
     * it, unless work handed to other threads or a channel waiting for readiness may still come
     * back before it. Then wait for that for real, at most the timer's delay, so that a result or
     * a read arriving in time beats a virtual timeout as it would on a real clock.
     */
    private void pollVirtual(long timeoutNanos) throws IOException {
        if (!handoffs.outstanding() && !poller.hasInterest()) {
            poller.poll(0);
        } else {
            // A stale wake-up can end the wait early with nothing ready: wait out the rest.
            long deadline = System.nanoTime() + timeoutNanos;
            long left = timeoutNanos;
            while (true) {
                poller.poll(left);
                poller.prepareToWait();
                if (readySize != 0 || !inbox.isEmpty() || stopping || (left = deadline - System.nanoTime()) <= 0
                        || !(handoffs.outstanding() || poller.hasInterest())) {
                    break;
                }
            }
        }
        if (readySize == 0 && inbox.isEmpty()) {
            clock.jumpTo(timers.peek().dueNanos());
        }
    }

    private void drainInbox() {
        Runnable r;
        while ((r = inbox.poll()) != null) {
            schedule(r);
        }
    }

    void runEntry(Object entry) {
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
            callExceptionHandler(new dev.weft.runtime.ExceptionContext("Exception in callback " + entry, t, null,
                    entry instanceof Handle h ? h : null, null));
        }
    }

    /** Debug mode: times each callback on the loop's clock, so a virtual clock can test it too. */
    private void runTimed(Object entry) {
        long start = clock.nanoTime();
        if (Jfr.on) {
            JfrEvents.run(this, entry);
        } else {
            runEntry(entry);
        }
        long took = clock.nanoTime() - start;
        if (took >= slowNanos) {
            String what = entry instanceof Task<?> t ? "step of " + t : "callback " + entry;
            Throwable site = entry instanceof Task<?> t ? t.creationSite() : null;
            LOG.log(Level.WARNING, String.format("Executing %s took %.3f seconds", what, took / 1e9), site);
        }
    }

    // ---------------------------------------------------------------- tasks

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
        return tasks.all();
    }

    /**
     * Describes every task of this loop that is not done, oldest first: for each its name, its
     * state and what it awaits ({@code awaits task fetch-2} for another task), the await chain of
     * {@link Task#getStack()} as {@code at} lines, and, for a task made while the loop was in
     * debug mode ({@link #setDebug(boolean)}), {@code created at} lines naming where. A text for a
     * person or a log, the task dump Python users get from {@code asyncio}'s debugging tools:
     *
     * <pre>{@code
     * 2 tasks pending
     *
     * Stack for task worker-1 (pending, awaits task fetch-1):
     *   at demo.Stuck.worker(Stuck.java:18)
     *   created at demo.Stuck.main(Stuck.java:25)
     * }</pre>
     *
     * <p>Meant for the loop's thread; it may also be called from another thread, typically a
     * watchdog that found the loop stuck. It never blocks or disturbs the loop, and then reads a
     * snapshot without locking, which may be torn or miss a task that finished meanwhile.
     *
     * @return the dump, ending with a line separator
     */
    public String dumpTasks() {
        List<Task<?>> live = tasks.snapshot();
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder().append(live.size()).append(live.size() == 1 ? " task" : " tasks")
                .append(" pending").append(nl);
        for (Task<?> t : live) {
            sb.append(nl);
            t.appendStack(sb, t.getStack());
            t.appendCreationSite(sb);
        }
        return sb.toString();
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
        return handoffs.runIn(executor != null ? executor : defaultExecutor.get(), fn);
    }

    /**
     * Shuts the default executor down and waits for its running jobs; {@link Aio#run} and
     * {@link #close()} call it.
     */
    public void shutdownDefaultExecutor() {
        defaultExecutor.shutdown();
    }

    <T> Future<T> wrapStage(CompletionStage<T> stage) {
        return handoffs.follow(stage);
    }

    // ---------------------------------------------------------------- sockets

    /**
     * Connects to {@code host:port} and hands the connection to a protocol from {@code factory}:
     * asyncio's {@code loop.create_connection}, for code that wants the bytes without the streams'
     * copy.
     *
     * @param factory makes the protocol
     * @param host    a name or a literal address
     * @param port    the port
     * @return an awaitable of the transport
     * @throws IOException the JDK's failure, unwrapped at the await
     */
    public Coroutine<Transport> createConnection(Supplier<? extends Protocol> factory, String host, int port)
            throws IOException {
        return createConnection(factory, host, port, StreamOptions.defaults());
    }

    /**
     * {@link #createConnection(Supplier, String, int)} with options (TLS).
     *
     * @param factory makes the protocol
     * @param host    a name or a literal address
     * @param port    the port
     * @param options the options
     * @return an awaitable of the transport
     * @throws IOException the JDK's failure, unwrapped at the await
     */
    public Coroutine<Transport> createConnection(Supplier<? extends Protocol> factory, String host, int port,
            StreamOptions options) throws IOException {
        checkOpen("createConnection");
        return Transports.connect(factory, host, port, options);
    }

    /**
     * Starts a server whose connections go to protocols from {@code factory}: asyncio's
     * {@code loop.create_server}.
     *
     * @param factory makes a protocol per connection
     * @param host    a name, a literal address, or null for every interface
     * @param port    the port, 0 for any
     * @return an awaitable of the server
     * @throws IOException the JDK's failure, unwrapped at the await
     */
    public Coroutine<Server> createServer(Supplier<? extends Protocol> factory, String host, int port)
            throws IOException {
        return createServer(factory, host, port, StreamOptions.defaults());
    }

    /**
     * {@link #createServer(Supplier, String, int)} with options.
     *
     * @param factory makes a protocol per connection
     * @param host    a name, a literal address, or null for every interface
     * @param port    the port, 0 for any
     * @param options the options
     * @return an awaitable of the server
     * @throws IOException the JDK's failure, unwrapped at the await
     */
    public Coroutine<Server> createServer(Supplier<? extends Protocol> factory, String host, int port,
            StreamOptions options) throws IOException {
        checkOpen("createServer");
        return Server.create(factory, host, port, options);
    }

    /**
     * Connects a non-blocking channel: asyncio's {@code loop.sock_connect}.
     *
     * @param channel a non-blocking socket channel
     * @param address where to connect
     * @return an awaitable of the connect
     * @throws IOException the JDK's failure ({@code ConnectException} when refused), naming the address
     */
    public Coroutine<Void> sockConnect(SocketChannel channel, SocketAddress address) throws IOException {
        checkOpen("sockConnect");
        return Net.connect(this, channel, address);
    }

    /**
     * Accepts a connection on a non-blocking listening channel: asyncio's {@code loop.sock_accept}.
     *
     * @param listener a bound, non-blocking server channel
     * @return an awaitable of the accepted channel, made non-blocking
     * @throws IOException when accepting fails
     */
    public Coroutine<SocketChannel> sockAccept(ServerSocketChannel listener) throws IOException {
        checkOpen("sockAccept");
        return Sockets.accept(this, listener);
    }

    /**
     * Reads up to {@code n} bytes from a non-blocking channel: asyncio's {@code loop.sock_recv}.
     *
     * @param channel a connected, non-blocking channel
     * @param n       the most bytes to read
     * @return an awaitable of the bytes read, empty at end of stream
     * @throws IOException when reading fails
     */
    public Coroutine<byte[]> sockRecv(SocketChannel channel, int n) throws IOException {
        checkOpen("sockRecv");
        return Sockets.recv(this, channel, n);
    }

    /**
     * Reads into {@code buffer} from a non-blocking channel: asyncio's {@code loop.sock_recv_into}.
     *
     * @param channel a connected, non-blocking channel
     * @param buffer  where the bytes go
     * @return an awaitable of the count, 0 at end of stream (as Python)
     * @throws IOException when reading fails
     */
    public Coroutine<Integer> sockRecvInto(SocketChannel channel, ByteBuffer buffer) throws IOException {
        checkOpen("sockRecvInto");
        return Sockets.recvInto(this, channel, buffer);
    }

    /**
     * Writes all of {@code data} to a non-blocking channel, waiting while it is full: asyncio's
     * {@code loop.sock_sendall}.
     *
     * @param channel a connected, non-blocking channel
     * @param data    the bytes
     * @return an awaitable that completes once every byte is written
     * @throws IOException when writing fails
     */
    public Coroutine<Void> sockSendall(SocketChannel channel, byte[] data) throws IOException {
        checkOpen("sockSendall");
        return Sockets.sendAll(this, channel, data);
    }

    // ---------------------------------------------------------------- errors, debug, threads
    /**
     * The values of an exception context, under the name the type had before it became the
     * top-level {@link dev.weft.runtime.ExceptionContext}; new code names that type.
     *
     * <p>Java has no type alias, so the old name is kept as the superclass of the new type rather
     * than as a copy: source that stores what the handler receives in an
     * {@code EventLoop.ExceptionContext} variable or list compiles only when that name is a
     * supertype of the handler's parameter, and {@code new EventLoop.ExceptionContext(...)} passed
     * to {@link EventLoop#callExceptionHandler(EventLoop.ExceptionContext)} reaches the handler as a
     * top-level context with the same values. Sealed, so that the top-level type is its only
     * subclass. Equal when the values are equal, as the record it was.
     */
    public static sealed class ExceptionContext permits dev.weft.runtime.ExceptionContext {
        private final String message;
        private final Throwable exception;
        private final Task<?> task;
        private final Handle handle;
        private final Future<?> future;

        /**
         * A context; any value but the message may be null.
         *
         * @param message   what happened
         * @param exception the failure, or null
         * @param task      the task involved, or null
         * @param handle    the callback's handle, or null
         * @param future    the future involved, or null
         */
        public ExceptionContext(String message, Throwable exception, Task<?> task, Handle handle, Future<?> future) {
            this.message = message;
            this.exception = exception;
            this.task = task;
            this.handle = handle;
            this.future = future;
        }

        /**
         * What happened.
         *
         * @return the message
         */
        public final String message() {
            return message;
        }

        /**
         * The failure.
         *
         * @return the failure, or null
         */
        public final Throwable exception() {
            return exception;
        }

        /**
         * The task involved.
         *
         * @return the task, or null
         */
        public final Task<?> task() {
            return task;
        }

        /**
         * The handle of the callback that failed.
         *
         * @return the handle, or null
         */
        public final Handle handle() {
            return handle;
        }

        /**
         * The future involved.
         *
         * @return the future, or null
         */
        public final Future<?> future() {
            return future;
        }

        @Override
        public final boolean equals(Object o) {
            return o instanceof ExceptionContext c && Objects.equals(message, c.message)
                    && Objects.equals(exception, c.exception) && Objects.equals(task, c.task)
                    && Objects.equals(handle, c.handle) && Objects.equals(future, c.future);
        }

        @Override
        public final int hashCode() {
            return Objects.hash(message, exception, task, handle, future);
        }

        @Override
        public final String toString() {
            return "ExceptionContext[message=" + message + ", exception=" + exception + ", task=" + task + ", handle="
                    + handle + ", future=" + future + "]";
        }
    }

    /**
     * Replaces the exception handler; null restores the default, which logs to the
     * {@code dev.weft.runtime} {@link System.Logger} at ERROR.
     *
     * @param handler the handler, or null
     */
    public void setExceptionHandler(BiConsumer<EventLoop, ? super dev.weft.runtime.ExceptionContext> handler) {
        this.exceptionHandler = handler;
    }

    /**
     * The exception handler set with {@link #setExceptionHandler(BiConsumer)}.
     *
     * @return the handler, or null for the default
     */
    public BiConsumer<EventLoop, ? super dev.weft.runtime.ExceptionContext> getExceptionHandler() {
        return exceptionHandler;
    }

    /**
     * Reports a failure that has nobody else to go to: calls the handler, or the default one.
     *
     * @param context what happened
     */
    public void callExceptionHandler(dev.weft.runtime.ExceptionContext context) {
        BiConsumer<EventLoop, ? super dev.weft.runtime.ExceptionContext> h = exceptionHandler;
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
     * Reports a context made under the old name, as {@link #callExceptionHandler(dev.weft.runtime.ExceptionContext)}:
     * the handler receives a top-level context with the same values.
     *
     * @param context what happened
     */
    public void callExceptionHandler(ExceptionContext context) {
        callExceptionHandler(dev.weft.runtime.ExceptionContext.of(context));
    }

    /**
     * The default handler: logs the context's message and exception, and the task's creation
     * site in debug mode.
     *
     * @param context what happened; a context made under the old name {@link ExceptionContext}
     *                is taken too
     */
    public void defaultExceptionHandler(ExceptionContext context) {
        StringBuilder sb = new StringBuilder(context.message());
        if (context.task() != null) {
            sb.append(" [").append(context.task()).append(']');
            Throwable site = context.task().creationSite();
            StackTraceElement[] frames = site == null ? null : site.getStackTrace();
            if (frames != null && frames.length > 0) {
                sb.append(" created at ").append(Arrays.toString(frames));
            }
        }
        LOG.log(Level.ERROR, sb.toString(), context.exception());
    }

    /**
     * Turns debug mode on or off: a callback or task step slower than 100 ms is logged with the
     * task's creation site, which tasks record while debug is on; and every coroutine made on the
     * loop's thread while it runs is remembered with its creation site, so that {@link #close()}
     * reports those that were never awaited (outside debug mode the weaver's forgotten-await
     * warning catches most of them at build time, at no run-time cost). Coroutines anywhere in the
     * JVM pay for that only while some loop runs in debug mode: a debug loop that stopped, closed
     * or not, costs them nothing.
     *
     * @param enabled true for debug mode
     */
    public void setDebug(boolean enabled) {
        this.debug = enabled;
        debugRegistry.update(this);
    }

    DebugRegistry debugRegistry() {
        return debugRegistry;
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
     * exception handler, shuts the default executor down and releases the poller with every
     * channel registration on it. Idempotent; refused while the loop runs. Later scheduling fails
     * with "event loop is closed".
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
        tasks.reportPending(this);
        lostFailures.reportAll();
        debugRegistry.reportUnawaited(this);
        closed = true;
        Arrays.fill(ready, null);
        readySize = 0;
        beforePoll.clear();
        chunks.clear();
        timers.clear();
        inbox.clear();
        for (Runnable hook : closeHooks.toArray(new Runnable[0])) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a close hook failed: " + hook, e);
            }
        }
        closeHooks.clear();
        shutdownDefaultExecutor();
        try {
            poller.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the selector failed", e);
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + (closed ? "closed" : thread != null ? "running" : "idle") + ", " + clock
                + ", ready=" + readySize + ", timers=" + timers.size() + ", tasks=" + tasks.size() + "]";
    }
}
