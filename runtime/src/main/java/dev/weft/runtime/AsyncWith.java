package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;

import dev.weft.Async;
import dev.weft.runtime.kernel.Sneaky;

/**
 * The exceptional exit of an {@code async with}: the runtime's side of
 * {@link dev.weft.runtime.internal.Woven#acloseAfter} and {@link dev.weft.runtime.internal.Woven#rethrow}.
 *
 * <p>The compiler's try-with-resources code catches every failure of the close, suppresses it in the
 * body's failure {@code thrown} and throws {@code thrown}. A close that supersedes {@code thrown} must
 * propagate instead, so {@link #closeAfter} swallows it and records it against {@code thrown}, and the
 * woven {@code throw thrown} asks {@link #rethrow} for what to throw. A record lives from the close to
 * that throw, with no suspension between them except further closes of the same {@code try} (ECJ's code
 * closes every resource before it throws); it belongs to the task that made it, since other tasks run
 * while a close suspends and may fail with the very same exception object.
 */
final class AsyncWith {
    private AsyncWith() {
    }

    /** One superseded failure of one task, in a list held by the loop: almost always empty. */
    static final class Superseded {
        final Task<?> task;
        final Throwable thrown;
        Throwable replacement;
        Superseded next;

        Superseded(Task<?> task, Throwable thrown, Throwable replacement, Superseded next) {
            this.task = task;
            this.thrown = thrown;
            this.replacement = replacement;
            this.next = next;
        }
    }

    /**
     * Awaits {@code resource.aclose(failure)}, where {@code failure} is what replaces {@code thrown} so
     * far (an earlier close of the same block may have superseded it). A failure of the close that
     * supersedes {@code failure} (is it, or holds it, see {@link ExceptionGroup#holds}) is recorded for
     * {@link #rethrow} and the close completes; any other failure is the close's own, suppressed by the
     * caller's handler, or here, when {@code failure} is a replacement the handler does not know.
     */
    @Async
    static Coroutine<Void> closeAfter(AsyncCloseable resource, Throwable thrown) {
        EventLoop loop = EventLoop.running();
        Task<?> task = loop.currentTask();
        Throwable failure = replacement(loop, task, thrown, false);
        try {
            await(failure == null ? resource.aclose() : resource.aclose(failure));
        } catch (Throwable closing) {
            if (failure != null && (closing == failure || ExceptionGroup.holds(closing, failure, 0))) {
                if (closing != failure) {
                    record(loop, task, thrown, closing);
                }
            } else if (failure != thrown) {
                failure.addSuppressed(closing);
            } else {
                throw Sneaky.raise(closing);
            }
        }
        return done();
    }

    /**
     * What the exceptional exit throws in place of {@code thrown}: the failure of a close that superseded
     * it, whose record this takes, or {@code thrown} itself.
     */
    static Throwable rethrow(Throwable thrown) {
        EventLoop loop = EventLoop.runningOrNull();
        if (loop == null || loop.superseded == null) {
            return thrown;
        }
        return replacement(loop, loop.currentTask(), thrown, true);
    }

    private static Throwable replacement(EventLoop loop, Task<?> task, Throwable thrown, boolean take) {
        Superseded previous = null;
        for (Superseded s = loop.superseded; s != null; previous = s, s = s.next) {
            if (s.task == task && s.thrown == thrown) {
                if (take) {
                    if (previous == null) {
                        loop.superseded = s.next;
                    } else {
                        previous.next = s.next;
                    }
                }
                return s.replacement;
            }
        }
        return thrown;
    }

    /**
     * Records {@code replacement} for {@code thrown}, dropping the records of tasks that have finished
     * (a throw that never came, in a user's own handler that closes and goes on), so the list stays as
     * short as the number of tasks between a close and their throw.
     */
    private static void record(EventLoop loop, Task<?> task, Throwable thrown, Throwable replacement) {
        Superseded kept = null;
        for (Superseded s = loop.superseded; s != null; s = s.next) {
            if (s.task == task && s.thrown == thrown) {
                s.replacement = replacement;
                return;
            }
        }
        for (Superseded s = loop.superseded; s != null; s = s.next) {
            if (s.task == null || !s.task.isDone()) {
                kept = new Superseded(s.task, s.thrown, s.replacement, kept);
            }
        }
        loop.superseded = new Superseded(task, thrown, replacement, kept);
    }
}
