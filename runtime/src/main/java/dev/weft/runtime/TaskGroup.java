package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;

import dev.weft.Async;
import dev.weft.runtime.kernel.Sneaky;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Structured concurrency, Python's {@code asyncio.TaskGroup}: children that cannot outlive the block
 * that made them.
 *
 * <pre>{@code
 * try (TaskGroup tg = new TaskGroup()) {
 *     Task<String> a = tg.createTask(fetch(1));
 *     Task<String> b = tg.createTask(fetch(2));
 * }   // waits for both
 * }</pre>
 *
 * <p>Leaving the block (inside an {@code @Async} method, where the weaver turns the close into an
 * await, see {@link AsyncCloseable}) waits for every child. The first child that fails with anything
 * but a {@link CancelledError} cancels the other children and the body: the task that runs the block
 * is cancelled at the await it is stopped at, and uncancelled on exit, so a {@link Aio#timeout} scope
 * around the group still tells its own cancellation apart. A failure of the body cancels the children.
 * Cancelling the task from outside cancels the children, waits for them, and propagates the
 * {@link CancelledError}. On exit every failure (the body's own among them) is thrown together as one
 * {@link ExceptionGroup}; a {@link CancelledError} that the group caused in the body is its cause, so
 * the group supersedes it.
 *
 * <p>A group belongs to the task that made it, and is made inside a task. Outside {@code @Async} code,
 * {@link #close()} cannot wait and throws {@link IllegalStateException}; await {@link #aclose()} there.
 */
public final class TaskGroup implements AsyncCloseable {
    private final EventLoop loop;
    private final Task<?> parent;
    /**
     * The children in the order they were made, for {@link #abort()}: those whose done callback has
     * not run yet, and some that are done (dropped in bulk once they are half the list, so a long
     * group does not keep every child it ever had).
     */
    private final List<Task<?>> children = new ArrayList<>();
    /** The children whose done callback has not run yet: CPython's {@code len(self._tasks)}. */
    private int live;
    /** The one done callback every child gets, made once rather than once a child. */
    private final ChildDone onChildDone = new ChildDone();
    private final List<Throwable> errors = new ArrayList<>();
    private boolean exiting;
    private boolean aborting;
    private boolean parentCancelRequested;
    /** Completed when the last child is done, while the exit waits for them. */
    private Future<Boolean> allDone;

    /**
     * A group whose children run beside the current task.
     *
     * @throws IllegalStateException when no task is running on this thread
     */
    public TaskGroup() {
        Task<?> current = Aio.currentTask();
        if (current == null) {
            throw new IllegalStateException("a TaskGroup is made inside a running task (an @Async method run by "
                    + "Aio.run or Aio.createTask), and thread " + Thread.currentThread().getName() + " runs none");
        }
        this.parent = current;
        this.loop = current.getLoop();
    }

    /**
     * Starts {@code coroutine} as a child task of this group.
     *
     * @param coroutine the child's work
     * @param <T>       its result type
     * @return the child task
     * @throws IllegalStateException when the group has finished or is shutting down after a failure
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null);
    }

    /**
     * Starts {@code coroutine} as a child task of this group, with a name.
     *
     * @param coroutine the child's work
     * @param name      the task's name, or null for the default
     * @param <T>       its result type
     * @return the child task
     * @throws IllegalStateException when the group has finished or is shutting down after a failure
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        if (exiting && live == 0) {
            throw new IllegalStateException(this + " is finished: it takes no new task once its block has exited");
        }
        if (aborting) {
            throw new IllegalStateException(this + " is shutting down after a failure: it takes no new task");
        }
        Task<T> task = name == null ? loop.createTask(coroutine) : loop.createTask(coroutine, name);
        children.add(task);
        live++;
        task.addDoneCallback(onChildDone);
        return task;
    }

    /**
     * Waits for every child, then throws what failed: the exit of a block without failure.
     *
     * @return an awaitable of the exit, which fails with an {@link ExceptionGroup} of the children's
     *         failures, or with the {@link CancelledError} of a cancellation from outside
     */
    @Override
    public Awaitable<Void> aclose() {
        return exit(null);
    }

    /**
     * The exit of a block whose body threw {@code failure}: the children are cancelled and waited for,
     * then the failures are thrown together.
     *
     * @param failure what the body threw
     * @return an awaitable of the exit, which fails with an {@link ExceptionGroup} holding
     *         {@code failure} (or caused by it, for a {@link CancelledError}), or with {@code failure}
     *         itself for a cancellation from outside with no child failed
     */
    @Override
    public Awaitable<Void> aclose(Throwable failure) {
        return exit(failure);
    }

    /**
     * Refuses: a group's exit waits for its children, which only an {@code @Async} method can do.
     *
     * @throws IllegalStateException always
     */
    @Override
    public void close() {
        throw new IllegalStateException("TaskGroup.close() cannot wait for the group's tasks outside an @Async "
                + "method: use the group in try-with-resources inside an @Async method (the weaver awaits the close "
                + "there), or await(group.aclose())");
    }

    /** CPython's {@code TaskGroup._aexit}, as a coroutine. */
    @Async
    private Coroutine<Void> exit(Throwable failure) {
        loop.checkThread("TaskGroup.aclose");
        exiting = true;
        // A timeout scope's delivery stands for the cancellation CPython would raise in its place.
        Throwable propagate = interruption(failure) ? failure : null;
        if (failure != null && !aborting) {
            // the task running the block is being cancelled, or the body threw
            abort();
        }
        Throwable pending = null;
        while (live > 0) {
            if (allDone == null) {
                allDone = loop.createFuture();
            }
            try {
                await(allDone);
            } catch (CancelledError | TimeoutError e) {
                // (nothing but a cancellation or a timeout scope's delivery of one completes allDone with a failure)
                pending = e;
                if (!aborting) {
                    // cancelled from outside while waiting for the children
                    propagate = e;
                    abort();
                }
            }
            allDone = null;
        }
        if (parentCancelRequested) {
            // once only: an exit awaited again must not take back somebody else's cancellation
            parentCancelRequested = false;
            if (parent.uncancel() == 0) {
                propagate = null;
            } else if (propagate == null) {
                propagate = pending;
            }
        }
        if (propagate != null && errors.isEmpty()) {
            throw Sneaky.raise(propagate);
        }
        if (failure != null && !interruption(failure)) {
            errors.add(failure);
        }
        if (!errors.isEmpty()) {
            if (parent.cancelling() > 0) {
                // keep a cancellation from outside pending for the awaits after the block
                parent.uncancel();
                parent.cancel();
            }
            ExceptionGroup group = new ExceptionGroup("unhandled errors in a TaskGroup", errors,
                    interruption(failure) ? failure : null);
            errors.clear();
            throw group;
        }
        return done();
    }

    /** A cancellation, or a timeout scope's delivery of one: not a failure of the body. */
    private static boolean interruption(Throwable failure) {
        return failure instanceof CancelledError || failure instanceof TimeoutError t && t.fromScope;
    }

    private void abort() {
        aborting = true;
        // (a cancel completes nothing at once, so no done callback changes the list meanwhile)
        for (int i = 0, n = children.size(); i < n; i++) {
            Task<?> t = children.get(i);
            if (!t.isDone()) {
                t.cancel();
            }
        }
    }

    private void childDone(Future<?> done) {
        live--;
        if (live == 0) {
            children.clear();
        } else if (live < children.size() / 2 && children.size() >= 64) {
            children.removeIf(Future::isDone);
        }
        if (allDone != null && live == 0 && !allDone.isDone()) {
            allDone.setResult(true);
        }
        if (done.isCancelled()) {
            return;
        }
        Throwable failure = done.exception();
        if (failure == null) {
            return;
        }
        errors.add(failure);
        if (parent.isDone()) {
            loop.callExceptionHandler(new ExceptionContext("Task " + done + " has errored out but its "
                    + "parent task " + parent + " is already completed", failure, (Task<?>) done, null, done));
            return;
        }
        if (!aborting && !parentCancelRequested) {
            // stop the body where it waits; the exit uncancels the parent
            abort();
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    /**
     * The done callback on each child: a class of its own, not a method reference, so that an
     * inspection of the loop ({@link TaskInspector}) can tell from a child which task its group
     * belongs to, as CPython 3.14 records the parent task in each child's {@code awaited_by}.
     */
    final class ChildDone implements Consumer<Future<?>> {
        @Override
        public void accept(Future<?> done) {
            childDone(done);
        }

        /** The task running the block that made the group. */
        Task<?> parent() {
            return parent;
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("TaskGroup[");
        text.append(live).append(live == 1 ? " task" : " tasks");
        if (!errors.isEmpty()) {
            text.append(", ").append(errors.size()).append(errors.size() == 1 ? " error" : " errors");
        }
        text.append(aborting ? ", cancelling" : exiting ? ", exiting" : ", entered").append(']');
        return text.toString();
    }
}
