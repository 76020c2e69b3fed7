package dev.weft.runtime;

import dev.weft.runtime.internal.Engine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The runtime's side of the woven-code protocol; see {@link dev.weft.runtime.internal}. */
final class EngineImpl extends Engine {
    private static final Object SUSPENDED = suspended();

    @Override
    protected Object await(Coroutine<?> self, Awaitable<?> awaitable) throws Throwable {
        if (awaitable instanceof Future<?> f) {
            byte s = f.state;
            if (s == Future.RESULT) {
                return f.value;
            }
            if (s != Future.PENDING) {
                throw f.failure();
            }
            return park(self, f);
        }
        if (awaitable == null) {
            throw new NullPointerException("await(null) in " + self.describe());
        }
        return start(self, (Coroutine<?>) awaitable);
    }

    private static Object park(Coroutine<?> self, Future<?> f) {
        Task<?> task = self.task;
        if (f.loop != task.loop && f != Yield.INSTANCE) {
            throw new IllegalStateException(self.describe() + " awaits " + f + " of another event loop; a future "
                    + "belongs to the loop that made it (use Future.fromStage(f.toCompletableFuture()) to cross loops)");
        }
        if (f == task) {
            throw new IllegalStateException("task " + task.getName() + " cannot await itself");
        }
        task.park(self, f);
        return SUSPENDED;
    }

    /** Runs a coroutine that nobody started yet inside the awaiting task, as a nested frame. */
    private static Object start(Coroutine<?> self, Coroutine<?> child) throws Throwable {
        if (child.state != Coroutine.NEW) {
            throw new IllegalStateException("coroutine " + child.describe() + " was awaited already; a coroutine "
                    + "runs once (wrap it in createTask to await its result from several places)");
        }
        Task<?> task = self.task;
        child.state = Coroutine.RUNNING;
        child.caller = self;
        child.task = task;
        if (task.inlineDepth >= Task.MAX_INLINE_DEPTH) {
            task.pendingStart = child;
            return SUSPENDED;
        }
        task.inlineDepth++;
        Object r;
        try {
            r = child.resume(null, null);
        } catch (Throwable t) {
            child.state = Coroutine.DONE;
            child.caller = null;
            child.task = null;
            throw t;
        } finally {
            task.inlineDepth--;
        }
        if (r == SUSPENDED) {
            return SUSPENDED;
        }
        child.state = Coroutine.DONE;
        child.caller = null;
        child.task = null;
        return r;
    }

    @Override
    protected Object awaitStage(Coroutine<?> self, CompletionStage<?> stage) throws Throwable {
        if (stage instanceof CompletableFuture<?> cf && cf.isDone()) {
            try {
                return cf.join();
            } catch (Throwable t) {
                throw Future.unwrap(t);
            }
        }
        if (stage == null) {
            throw new NullPointerException("await(null) in " + self.describe());
        }
        return park(self, self.task.loop.wrapStage(stage));
    }
}
