package dev.weft.runtime;

import dev.weft.runtime.internal.Woven;

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
 * the Java stack; a coroutine awaited while not yet started runs inline, up to a depth limit past
 * which it is started from the bottom of the stack instead.
 *
 * @param <T> the type of the coroutine's result
 */
public final class Task<T> extends Future<T> {
    /** How deep coroutines start inline inside an await before the task starts them from its own loop. */
    static final int MAX_INLINE_DEPTH = 64;

    private static final Object SUSPENDED = Woven.SUSPENDED;

    /** The frame to resume next: the root until it first suspends, then the innermost waiting one. */
    Coroutine<?> innermost;
    /** What the task is parked on; null while it is ready or running. */
    Future<?> waitingOn;
    /** A coroutine too deep to start inline, started by {@link #drive} next. */
    Coroutine<?> pendingStart;
    int inlineDepth;
    private boolean mustCancel;
    /** False until the first step, so a task cancelled before it starts never runs its body. */
    private boolean started;
    private String cancelMessage;
    private int cancelRequests;
    /** A failure to deliver instead of the CancelledError of the next cancellation (timeouts). */
    Throwable interruption;
    private final int id;
    private String name;
    /** Where the task was made, kept in debug mode only. */
    final Throwable creationSite;
    /** The loop's list of live tasks. */
    Task<?> prevLive;
    Task<?> nextLive;

    Task(EventLoop loop, Coroutine<T> coroutine, String name) {
        super(loop);
        if (coroutine.state != Coroutine.NEW) {
            throw new IllegalStateException("coroutine " + coroutine.describe()
                    + " was awaited already; a coroutine runs once");
        }
        coroutine.state = Coroutine.RUNNING;
        coroutine.task = this;
        this.innermost = coroutine;
        this.id = loop.nextTaskId();
        this.name = name;
        this.creationSite = loop.isDebug() ? new Throwable("task created here") : null;
        loop.register(this);
        loop.schedule(this);
    }

    /**
     * The task's name: the one given to {@link Aio#createTask(Coroutine, String)}, or
     * {@code Task-N}.
     *
     * @return the name
     */
    public String getName() {
        String n = name;
        return n != null ? n : "Task-" + id;
    }

    /**
     * Renames the task.
     *
     * @param name the new name
     */
    public void setName(String name) {
        this.name = name;
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
     * await the task is stopped at (or at its next step, if it is ready to run). The task ends
     * cancelled unless it catches the error.
     *
     * @param message the message, or null
     * @return false when the task is done already, else true
     */
    @Override
    public boolean cancel(String message) {
        loop.checkThread("Task.cancel");
        if (isDone()) {
            return false;
        }
        cancelRequests++;
        Future<?> w = waitingOn;
        if (w != null && w != Yield.INSTANCE && w.cancel(message)) {
            return true;
        }
        mustCancel = true;
        cancelMessage = message;
        return true;
    }

    /**
     * How many cancellation requests are pending: {@link #cancel()} calls not taken back by
     * {@link #uncancel()}.
     *
     * @return the count
     */
    public int cancelling() {
        return cancelRequests;
    }

    /**
     * Takes back one cancellation request, as a timeout scope does when it turns its own
     * cancellation into a {@link TimeoutError}.
     *
     * @return the remaining count
     */
    public int uncancel() {
        if (cancelRequests > 0) {
            cancelRequests--;
        }
        return cancelRequests;
    }

    /** Cancels the task but throws {@code failure} instead of the CancelledError at its await. */
    void interrupt(Throwable failure) {
        interruption = failure;
        cancel(null);
    }

    /** One step: called from the ready queue when what the task waits on is done. */
    void step() {
        Object value = null;
        Throwable failure = null;
        Future<?> w = waitingOn;
        if (w != null) {
            waitingOn = null;
            if (w.state == RESULT) {
                value = w.value;
            } else if (w.state != PENDING) {
                failure = w.failure();
            }
        }
        if (mustCancel) {
            mustCancel = false;
            failure = new CancelledError(cancelMessage);
            cancelMessage = null;
        }
        if (interruption != null && failure instanceof CancelledError) {
            failure = interruption;
            interruption = null;
            uncancel();
        }
        Coroutine<?> frame = innermost;
        if (!started) {
            started = true;
            if (failure != null) {
                frame.state = Coroutine.DONE;
                frame.task = null;
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


    /** Resumes frames until one parks: a nested completion resumes its caller in this loop, not on the stack. */
    private void drive(Coroutine<?> frame, Object value, Throwable failure) {
        for (;;) {
            Object r;
            Throwable thrown = null;
            try {
                r = frame.resume(value, failure);
            } catch (Throwable t) {
                r = null;
                thrown = t;
            }
            if (r == SUSPENDED && thrown == null) {
                Coroutine<?> start = pendingStart;
                if (start == null) {
                    return;
                }
                pendingStart = null;
                frame = start;
                value = null;
                failure = null;
                continue;
            }
            frame.state = Coroutine.DONE;
            Coroutine<?> caller = frame.caller;
            frame.caller = null;
            frame.task = null;
            if (caller == null) {
                innermost = null;
                finish(r, thrown);
                return;
            }
            frame = caller;
            innermost = caller;
            value = r;
            failure = thrown;
        }
    }

    @SuppressWarnings("unchecked")
    private void finish(Object r, Throwable thrown) {
        loop.unregister(this);
        if (thrown == null) {
            if (mustCancel) {
                complete(CANCELLED, cancelMessage);
            } else {
                complete(RESULT, (T) r);
            }
        } else if (thrown instanceof CancelledError c) {
            complete(CANCELLED, c.getMessage());
        } else {
            complete(FAILED, thrown);
        }
    }

    /** Parks this task on {@code f} for the frame {@code self}. */
    void park(Coroutine<?> self, Future<?> f) {
        innermost = self;
        waitingOn = f;
        if (f == Yield.INSTANCE) {
            loop.schedule(this);
        } else {
            f.addWaiter(this);
        }
    }

    String waitingAt() {
        Coroutine<?> c = innermost;
        return c == null ? "" : " awaiting in " + c.describe();
    }

    @Override
    public String toString() {
        return "Task[" + getName() + ", " + (isDone() ? stateName() : "pending" + waitingAt()) + "]";
    }
}
