package dev.weft.runtime;

import dev.weft.runtime.internal.Woven;

/**
 * What an {@code @Async} method returns: one run of its body, not started yet.
 *
 * <p>As in Python, calling an {@code @Async} method runs nothing. The coroutine runs when it is
 * awaited (inside the awaiting task, with no hop through the event loop) or when
 * {@link Aio#createTask(Coroutine)} wraps it in a {@link Task} that the loop drives concurrently. A
 * coroutine can be awaited once; awaiting it again fails with {@link IllegalStateException}.
 *
 * <p>Subclasses are written by the weaver, one per {@code @Async} method; the protocol between the
 * two is specified in {@link Woven}. User code never extends this class.
 *
 * @param <T> the type of the value the coroutine produces
 */
public abstract non-sealed class Coroutine<T> implements Awaitable<T> {
    static {
        dev.weft.runtime.kernel.Engine.install(new EngineImpl());
    }

    /** The value of {@link #owner} once the body has returned or thrown. */
    static final Object FINISHED = new Object();

    /** The frame that awaits this one and is resumed with its outcome; null for a task's root. */
    Coroutine<?> caller;
    /**
     * Null before the coroutine starts, the {@link Task} that drives it while it runs, then
     * {@link #FINISHED}. One field for the state and the task keeps a state machine at 8 bytes
     * of runtime fields beside its header, which the one-million-sleepers budget counts.
     */
    Object owner;

    /** For subclasses written by the weaver (and by hand in the runtime's own tests). */
    // Debug mode records the coroutine by identity only (weakly, with where it was made), before the
    // subclass's fields are set, and reads none of them until the coroutine is reported later.
    @SuppressWarnings("this-escape")
    protected Coroutine() {
        if (DebugRegistry.DEBUG_LOOPS.get() != 0) {
            DebugRegistry.created(this);
        }
    }

    /**
     * Runs the body from where it last stopped. Called by the runtime only, never by user code.
     *
     * @param value   the value of the await the body stopped at (null on the first call)
     * @param failure the failure to throw at that await instead, or null
     * @return the coroutine's result, or {@link Woven#SUSPENDED} when the body stopped at an await
     * @throws Throwable the body's own failure, which completes the coroutine exceptionally
     */
    protected abstract Object resume(Object value, Throwable failure) throws Throwable;

    /**
     * Whether this coroutine has run to its end. A coroutine that has not been awaited or wrapped
     * in a task is not done.
     *
     * @return true once the body has returned or thrown
     */
    public final boolean isDone() {
        return owner == FINISHED;
    }

    /**
     * Names the method the weaver wrote this coroutine for, for diagnostics (task dumps, debug
     * mode, the report of a coroutine that was never awaited).
     *
     * @return a description such as {@code Fetch.fetchData}; the class name by default
     */
    protected String describe() {
        return getClass().getName();
    }

    @Override
    public String toString() {
        return "Coroutine[" + describe() + (owner == FINISHED ? ", done]" : owner != null ? ", running]" : ", not started]");
    }
}
