package dev.weft.runtime;

import dev.weft.runtime.internal.Woven;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Future} that drives a {@link Coroutine}: Python's {@code asyncio.Task}. Made with
 * {@link Aio#createTask(Coroutine)}; the loop runs it concurrently with every other task, one step
 * between two awaits at a time, on the loop's thread.
 *
 * <p>{@link #cancel()} delivers a {@link CancelledError} at the await point the task is stopped at
 * (by cancelling what it waits on). The task may catch it and go on, as in Python;
 * {@link #cancelling()} counts the requests and {@link #uncancel()} takes one back.
 *
 * <p>A chain of nested awaits is resumed in a loop, not by recursion, so its depth does not grow
 * the Java stack; a coroutine awaited while not yet started runs inline, up to
 * {@link #MAX_INLINE_DEPTH} nested starts, past which it is started from the bottom of the stack.
 *
 * <pre>{@code
 * Task<String> t = createTask(fetchData(1, 2.0), "fetch-1");
 * await(sleep(1));
 * t.cancel();                       // fetchData gets a CancelledError at its await(sleep(2.0))
 * }</pre>
 *
 * @param <T> the type of the coroutine's result
 */
public final class Task<T> extends Future<T> {
    /**
     * How many coroutines start inline, one inside the other's await, within one step before the
     * task starts the next one from its own drive loop at the bottom of the stack.
     */
    static final int MAX_INLINE_DEPTH = 64;
    /** The most frames {@link #getStack()} returns. */
    private static final int MAX_STACK = 100_000;

    private static final Object SUSPENDED = Woven.SUSPENDED;
    private static final byte STARTED = 1;

    // Fields are few on purpose: a million sleeping tasks must fit in 150 bytes each (task, state
    // machine, sleep future and heap slot). Rare state (cancellation, names, debug sites) lives in
    // side objects made on demand.

    /** The frame to resume next: the root until it first suspends, then the innermost waiting one. */
    Coroutine<?> innermost;
    /** What the task is parked on; null while it is ready or running. */
    Future<?> waitingOn;
    private byte flags;
    private final int id;
    /** Null until the first {@link #cancel}. */
    private CancelState cancel;
    /** Null, the name, or a {@link Site} (debug mode) holding the name and where the task was made. */
    private Object info;
    /** The loop's list of live tasks. */
    Task<?> prevLive;
    Task<?> nextLive;

    Task(EventLoop loop, Coroutine<T> coroutine, String name) {
        this(loop, coroutine, (Object) name, null);
    }

    /**
     * A task whose name a {@code Supplier<String>} makes when first asked for (debug mode asks at
     * once); in debug mode {@code origin}'s stack, when not null, is where it was created (for a
     * task the runtime makes on the user's behalf: a served connection's, where its server was
     * started), set before anyone can see the task.
     */
    Task(EventLoop loop, Coroutine<T> coroutine, java.util.function.Supplier<String> name, Throwable origin) {
        this(loop, coroutine, (Object) name, origin);
    }

    private Task(EventLoop loop, Coroutine<T> coroutine, Object name, Throwable origin) {
        super(loop);
        if (coroutine.owner != null) {
            throw new IllegalStateException("coroutine " + coroutine.describe() + " was awaited already ("
                    + coroutine + "); a coroutine runs once");
        }
        coroutine.owner = this;
        this.innermost = coroutine;
        this.id = loop.tasks.nextId();
        if (loop.isDebug()) {
            Site site = new Site(name instanceof java.util.function.Supplier<?> lazy ? (String) lazy.get() : (String) name);
            if (origin != null) {
                site.setStackTrace(origin.getStackTrace());
            }
            this.info = site;
        } else {
            this.info = name;
        }
        loop.tasks.add(this);
        loop.schedule(this);
        if (Jfr.on) {
            JfrEvents.taskCreated(this);
        }
    }

    /** Cancellation bookkeeping, made by the first cancel: most tasks are never cancelled. */
    private static final class CancelState {
        int requests;
        boolean mustCancel;
        String message;
        /**
         * The expired timeout scopes whose {@link TimeoutError} has not been delivered yet, each
         * holding one of the {@link #requests}; null when none has expired.
         */
        List<Timeout> interruptions;
        /** How many timeout scopes were entered in the task, to tell the inner one from the outer. */
        int scopesEntered;
    }

    /** Where a task was made, recorded in debug mode. */
    static final class Site extends Throwable {
        private static final long serialVersionUID = 1L;
        String name;

        Site(String name) {
            super("task created here");
            this.name = name;
        }
    }

    /**
     * The task's name: the one given to {@link Aio#createTask(Coroutine, String)} or
     * {@link #setName(String)}, or {@code Task-N}, N counting the loop's tasks from 1.
     *
     * @return the name
     */
    public String getName() {
        Object i = info;
        if (i instanceof java.util.function.Supplier<?> lazy) {
            // Made now, and kept: a racing reader on another thread makes the same string.
            String made = (String) lazy.get();
            info = made;
            i = made;
        }
        String n = i instanceof Site s ? s.name : (String) i;
        return n != null ? n : "Task-" + id;
    }

    /** The N of {@code Task-N}: the task's number among its loop's tasks, from 1. */
    int id() {
        return id;
    }

    /**
     * Renames the task.
     *
     * @param name the new name, or null for {@code Task-N}
     */
    public void setName(String name) {
        if (info instanceof Site s) {
            s.name = name;
        } else {
            info = name;
        }
    }

    /**
     * Where the task was made, when the loop was in debug mode then.
     *
     * @return a throwable whose stack trace is the creation site, or null
     */
    Throwable creationSite() {
        return info instanceof Site s ? s : null;
    }

    /**
     * The coroutine this task drives, or the innermost coroutine it awaits in while it is
     * suspended, for diagnostics.
     *
     * @return the frame the task resumes next, or null once done
     */
    public Coroutine<?> getCoroutine() {
        return innermost;
    }

    /**
     * Refused: a task completes when its coroutine returns.
     *
     * @param result ignored
     * @throws IllegalStateException always
     */
    @Override
    public void setResult(T result) {
        throw new IllegalStateException("Task does not support setResult: task " + getName()
                + " completes when its coroutine returns");
    }

    /**
     * Refused: a task fails when its coroutine throws.
     *
     * @param exception ignored
     * @throws IllegalStateException always
     */
    @Override
    public void setException(Throwable exception) {
        throw new IllegalStateException("Task does not support setException: task " + getName()
                + " fails when its coroutine throws");
    }

    /**
     * Requests cancellation; see {@link #cancel(String)}.
     *
     * @return false when the task is done already
     */
    @Override
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Requests cancellation: a {@link CancelledError} carrying {@code message} is thrown at the
     * await the task is stopped at (by cancelling the future it waits on), or at its next await if
     * it is ready to run. The task ends cancelled unless it catches the error. On a task that
     * failed already it does nothing but count as retrieving the failure, as in CPython.
     *
     * @param message the message, or null
     * @return false when the task is done already, else true
     */
    @Override
    public boolean cancel(String message) {
        loop.checkThread("Task.cancel");
        if (isDone()) {
            if (state == FAILED) {
                markRetrieved();
            }
            return false;
        }
        CancelState c = cancel;
        if (c == null) {
            c = cancel = new CancelState();
        }
        c.requests++;
        Future<?> w = waitingOn;
        if (w != null && w.cancel(message)) {
            return true;
        }
        c.mustCancel = true;
        c.message = message;
        return true;
    }

    /**
     * How many cancellation requests are pending: {@link #cancel()} calls not taken back by
     * {@link #uncancel()}.
     *
     * @return the count
     */
    public int cancelling() {
        CancelState c = cancel;
        return c == null ? 0 : c.requests;
    }

    /**
     * Takes back one cancellation request, as a timeout scope does when it turns its own
     * cancellation into a {@link TimeoutError}. When the count reaches zero a cancellation not
     * yet delivered is dropped, as in Python 3.11 and later.
     *
     * @return the remaining count
     */
    public int uncancel() {
        loop.checkThread("Task.uncancel");
        CancelState c = cancel;
        if (c == null) {
            return 0;
        }
        if (c.requests > 0 && --c.requests == 0) {
            c.mustCancel = false;
        }
        return c.requests;
    }

    /** Numbers a timeout scope entered in this task: a later number is a scope nested deeper. */
    int enterTimeoutScope() {
        CancelState c = cancel;
        if (c == null) {
            c = cancel = new CancelState();
        }
        return ++c.scopesEntered;
    }

    /**
     * Cancels the task on behalf of the expired timeout scope {@code scope}: the await it stops at
     * throws the scope's {@link TimeoutError} instead of the CancelledError, unless another
     * cancellation is pending too (CPython's rule: a scope turns the cancellation into a timeout
     * only if {@code uncancel()} brings the count back to what it was when the scope was entered).
     */
    void interrupt(Timeout scope) {
        if (cancel(null)) {
            CancelState c = cancel;
            if (c.interruptions == null) {
                c.interruptions = new ArrayList<>(2);
            }
            c.interruptions.add(scope);
        }
    }

    /** Takes back an interruption that was not delivered (the scope ended first); true if so. */
    boolean withdrawInterruption(Timeout scope) {
        CancelState c = cancel;
        if (c != null && c.interruptions != null && c.interruptions.remove(scope)) {
            uncancel();
            return true;
        }
        return false;
    }

    /**
     * The failure to deliver instead of a CancelledError while expired scopes are pending. With no
     * cancellation but the scopes' own, the innermost scope's {@link TimeoutError}; the scopes
     * around it keep their requests and hit the next await, as in CPython, where the inner scope
     * lets the CancelledError through to the outer one. Otherwise the CancelledError stays, and
     * every scope takes its request back.
     */
    private Throwable interruption(CancelState c, Throwable cancelled) {
        List<Timeout> pending = c.interruptions;
        int scopes = pending.size();
        Timeout inner = pending.get(0);
        int baseline = inner.baseline;
        for (int i = 1; i < scopes; i++) {
            Timeout t = pending.get(i);
            baseline = Math.min(baseline, t.baseline);
            if (t.order > inner.order) {
                inner = t;
            }
        }
        if (c.requests - scopes > baseline) {
            pending.clear();
            for (int i = 0; i < scopes; i++) {
                uncancel();
            }
            return cancelled;
        }
        pending.remove(inner);
        uncancel();
        if (!pending.isEmpty()) {
            c.mustCancel = true;
            c.message = null;
        }
        return inner.error();
    }

    /** One step: called from the ready queue when what the task waits on is done. */
    void step() {
        Object value = null;
        Throwable failure = null;
        Throwable handedOut = null;
        StackTraceElement[] base = null;
        Future<?> w = waitingOn;
        if (w != null) {
            waitingOn = null;
            byte s = w.state;
            if (s == RESULT) {
                value = w.value;
            } else if (s != PENDING) {
                failure = w.failure();
                handedOut = failure;
                base = w.firstTrace();
            }
        }
        CancelState c = cancel;
        if (c != null) {
            if (c.mustCancel) {
                c.mustCancel = false;
                failure = CancelledError.delivered(c.message);
            }
            if (c.interruptions != null && !c.interruptions.isEmpty() && failure instanceof CancelledError) {
                failure = interruption(c, failure);
            }
        }
        if (failure != null && (flags & STARTED) != 0) {
            // Thrown from the loop at the await the frame is stopped at, which no Java stack shows.
            AsyncTrace.delivered(failure, innermost, this, failure == handedOut ? base : null);
        }
        Coroutine<?> frame = innermost;
        if ((flags & STARTED) == 0) {
            flags |= STARTED;
            if (failure != null) {
                // Cancelled before its first step: the body never runs, as a coroutine that
                // Python throws into before it started.
                frame.owner = Coroutine.FINISHED;
                innermost = null;
                finish(null, failure);
                return;
            }
        }
        loop.enterTask(this);
        try {
            drive(frame, value, failure);
        } finally {
            loop.leaveTask();
        }
    }

    /**
     * Resumes frames until one parks. A finished frame resumes its caller in this loop, not on
     * the stack, so a chain of nested awaits completes at any depth.
     */
    private void drive(Coroutine<?> frame, Object value, Throwable failure) {
        EventLoop loop = this.loop;
        for (;;) {
            Object r;
            Throwable thrown = null;
            try {
                r = frame.resume(value, failure);
            } catch (Throwable t) {
                r = null;
                thrown = t;
            }
            Coroutine<?> start = loop.pendingStart;
            if (start != null) {
                loop.pendingStart = null;
                if (thrown == null && r == SUSPENDED) {
                    frame = start;
                    innermost = start;
                    value = null;
                    failure = null;
                    continue;
                }
                // The frame did not stop at the await that deferred the start: the child never runs.
                start.owner = Coroutine.FINISHED;
                start.caller = null;
            }
            if (thrown == null && r == SUSPENDED) {
                if (waitingOn != null) {
                    return;
                }
                if (loop.yielded == frame) {
                    // An async generator's body emitted: it stays resumable, its step completes.
                    loop.yielded = null;
                    Coroutine<?> step = frame.caller;
                    frame.caller = null;
                    frame = step;
                    innermost = step;
                    value = Generator.YIELDED;
                    failure = null;
                    continue;
                }
                thrown = new IllegalStateException(frame.describe() + " returned SUSPENDED without awaiting anything "
                        + "pending: a resume body may return Woven.SUSPENDED only right after Woven.await returned it");
            }
            Coroutine<?> caller = frame.caller;
            frame.caller = null;
            frame.owner = Coroutine.FINISHED;
            if (caller == null) {
                innermost = null;
                finish(r, thrown);
                return;
            }
            if (thrown != null) {
                // The frame was resumed from the loop: the awaits out from its caller are on no Java stack.
                AsyncTrace.rethrown(thrown, frame, caller, this);
            }
            frame = caller;
            innermost = caller;
            value = thrown == null ? r : null;
            failure = thrown;
        }
    }

    @SuppressWarnings("unchecked")
    private void finish(Object r, Throwable thrown) {
        loop.tasks.remove(this);
        CancelState c = cancel;
        if (thrown == null) {
            if (c != null && c.mustCancel) {
                complete(CANCELLED, c.message);
            } else {
                complete(RESULT, (T) r);
            }
        } else if (thrown instanceof CancelledError e) {
            AsyncTrace.forget(loop, e);
            complete(CANCELLED, e.getMessage());
            keepCancelTrace(e);
        } else {
            AsyncTrace.forget(loop, thrown);
            complete(FAILED, thrown);
        }
        if (Jfr.on) {
            JfrEvents.taskFinished(this);
        }
    }

    /** Parks this task on {@code f} for the frame {@code self}. */
    void park(Coroutine<?> self, Future<?> f) {
        innermost = self;
        waitingOn = f;
        if (f instanceof ParkAware<?> p) {
            // sleep(0), or an asCompleted slot.
            p.park(this);
        } else {
            f.addWaiter(this);
        }
        CancelState c = cancel;
        if (c != null && c.mustCancel && f.cancel(c.message)) {
            // A cancel requested while the task ran lands on the await it stops at, as in CPython.
            c.mustCancel = false;
        }
    }

    /**
     * The await chain where the task waits, innermost first: one element per coroutine frame, each
     * naming the method's class, name and file and the line of the {@code await} that frame is
     * stopped at, out to the task's root coroutine (Python's {@code Task.get_stack()}, in Java's
     * order). The runtime's own coroutines between two of the user's (an async generator's
     * {@code hasNext} step) are left out. A task awaiting another task ends at its own root; {@link EventLoop#dumpTasks()}
     * says which task it awaits. A coroutine woven by a weaver that wrote no line table shows line -1.
     *
     * <p>A done task, and one that has not taken its first step, have no stack: the result is
     * empty. A task asking for its own stack while it runs gets the frames as far as the runtime
     * knows them: from the frame it last resumed out to its root, each at the line of the await it
     * last passed; the frames it started inline since then are on the Java stack, not in the chain.
     *
     * <p>Meant for the loop's thread, as the rest of the task's API. From another thread (a
     * watchdog looking at a stuck loop) it reads the chain without locking and never disturbs the
     * loop: the answer is a snapshot that may be torn if the task moves meanwhile, never a failure.
     *
     * <pre>{@code
     * for (StackTraceElement e : task.getStack()) {
     *     System.out.println(e);        // demo.Fetch.fetchData(Fetch.java:12)
     * }
     * }</pre>
     *
     * @return the frames, innermost first; empty when the task is done or not started
     */
    public StackTraceElement[] getStack() {
        if (isDone() || (flags & STARTED) == 0) {
            return new StackTraceElement[0];
        }
        List<StackTraceElement> stack = new ArrayList<>();
        // The bound only matters for a torn read from another thread, which could see a cycle.
        int frames = 0;
        for (Coroutine<?> c = innermost; c != null && frames++ < MAX_STACK; c = c.caller) {
            if (!c.isRuntimeGlue()) {
                stack.add(c.stackElement());
            }
        }
        return stack.toArray(new StackTraceElement[0]);
    }

    /**
     * Prints the task's stack, as Python's {@code Task.print_stack()}: a header with the task's
     * name and state, then one {@code at} line per frame of {@link #getStack()}, innermost first,
     * as Java prints a stack trace.
     *
     * <pre>{@code
     * Stack for task fetch-1 (pending, awaits sleep until 2.0 [pending]):
     *   at demo.Fetch.fetchData(Fetch.java:12)
     *   at demo.Fetch.main(Fetch.java:20)
     * }</pre>
     *
     * A task with no stack prints {@code No stack for task fetch-1 (finished result=Data from 1)}.
     * Called from another thread, it prints a snapshot, as {@link #getStack()} reads one.
     *
     * @param out where to print
     */
    public void printStack(java.io.PrintStream out) {
        StringBuilder sb = new StringBuilder();
        appendStack(sb, getStack());
        out.print(sb);
        out.flush();
    }

    /**
     * What the task awaits, for dumps: {@code task NAME} for a task, else the future's own
     * description.
     *
     * @return the description, or null while the task is not parked on anything
     */
    String waitingOnText() {
        Future<?> w = waitingOn;
        if (w == null) {
            return null;
        }
        return w instanceof Task<?> t ? "task " + t.getName() : w.toString();
    }

    /** The task's state for dumps: {@code pending, awaits task fetch-2}, {@code cancelled}, ... */
    String stateForDump() {
        if (isDone()) {
            return stateName();
        }
        if ((flags & STARTED) == 0) {
            return "pending, not started";
        }
        if (loop.currentTask() == this) {
            return "pending, running";
        }
        String w = waitingOnText();
        return w != null ? "pending, awaits " + w : "pending, ready";
    }

    /** Appends the header and the {@code at} lines of {@link #printStack}. */
    void appendStack(StringBuilder sb, StackTraceElement[] stack) {
        sb.append(stack.length == 0 ? "No stack for task " : "Stack for task ").append(getName())
                .append(" (").append(stateForDump()).append(stack.length == 0 ? ")" : "):").append(System.lineSeparator());
        for (StackTraceElement e : stack) {
            sb.append("  at ").append(e).append(System.lineSeparator());
        }
    }

    /**
     * Appends where the task was made, recorded in debug mode: the frames of its creation site
     * between the runtime's task-making calls and the runtime's own machinery (the drive loop, a
     * state machine's {@code resume}, reflection), as {@code created at} lines.
     */
    void appendCreationSite(StringBuilder sb) {
        Throwable site = creationSite();
        if (site == null) {
            return;
        }
        StackTraceElement[] frames = site.getStackTrace();
        int i = 0;
        while (i < frames.length && isTaskMaker(frames[i].getClassName())) {
            i++;
        }
        for (int shown = 0; i < frames.length && shown < MAX_SITE_FRAMES && !isMachinery(frames[i].getClassName());
                i++, shown++) {
            StackTraceElement f = frames[i];
            // Without the module and class loader prefix, as the await chain's lines are printed.
            sb.append("  created at ").append(new StackTraceElement(f.getClassName(), f.getMethodName(), f.getFileName(),
                    f.getLineNumber())).append(System.lineSeparator());
        }
    }

    private static final int MAX_SITE_FRAMES = 8;

    private static boolean isTaskMaker(String className) {
        return is(className, Task.class) || is(className, EventLoop.class) || is(className, Aio.class)
                || is(className, TaskGroup.class) || is(className, EngineImpl.class);
    }

    private static boolean isMachinery(String className) {
        return is(className, Task.class) || is(className, EventLoop.class) || is(className, EngineImpl.class)
                || is(className, Woven.class) || className.contains("$weft$") || className.startsWith("jdk.internal.")
                || className.startsWith("java.lang.reflect.");
    }

    private static boolean is(String className, Class<?> type) {
        String name = type.getName();
        return className.startsWith(name) && (className.length() == name.length() || className.charAt(name.length()) == '$');
    }

    String waitingAt() {
        Coroutine<?> c = innermost;
        return c == null ? "" : " awaiting in " + c.describe();
    }

    /**
     * Describes the task for logs: its name, and its state or the coroutine it waits in.
     *
     * @return for example {@code Task[fetch-1, pending awaiting in Fetch.fetchData]}
     */
    @Override
    public String toString() {
        return "Task[" + getName() + ", " + (isDone() ? stateName() : "pending" + waitingAt()) + "]";
    }
}
