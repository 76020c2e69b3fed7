package dev.weft.runtime;

import dev.weft.runtime.kernel.Engine;
import dev.weft.runtime.kernel.LoopIo;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The runtime's side of the woven-code protocol; see {@link dev.weft.runtime.internal}. */
final class EngineImpl extends Engine {
    private static final Object SUSPENDED = suspended();

    @Override
    public LoopIo io(EventLoop loop) {
        return loop.io();
    }

    @Override
    public Object await(Coroutine<?> self, Awaitable<?> awaitable) throws Throwable {
        if (awaitable instanceof Future<?> f) {
            // The fast path: a type test and a field read, no allocation and no suspension.
            byte s = f.state;
            if (s == Future.RESULT) {
                return f.value;
            }
            if (s != Future.PENDING) {
                throw doneFailure(self, f);
            }
            return park(self, f);
        }
        if (awaitable instanceof Generator<?>.Step s && s.owner == null && self.owner instanceof Task<?> task
                && task.loop.inlineDepth < Task.MAX_INLINE_DEPTH) {
            // A hasNext() or aclose(): started as start() would, through a call that stays
            // monomorphic however many coroutine classes start() sees.
            return s.start(self, task);
        }
        if (awaitable == null) {
            throw new NullPointerException("await(null) in " + self.describe() + ": the awaited value is null");
        }
        if (awaitable instanceof Generator.Emit e) {
            // An emit the weaver wrote as await(Woven.emitting(v)) (its fallback).
            return Generator.emit(self, e.value);
        }
        return start(self, (Coroutine<?>) awaitable);
    }

    /**
     * The failure an await of a done future throws at once, with the await chain of {@code self}
     * written into its trace: it was made elsewhere, so the Java stack it carries does not show
     * this await.
     */
    private static Throwable doneFailure(Coroutine<?> self, Future<?> f) {
        Throwable failure = f.failure();
        return AsyncTrace.thrownAt(failure, self, f.firstTrace());
    }

    @Override
    public Object emit(Coroutine<?> self, Object value) {
        return Generator.emit(self, value);
    }

    @Override
    public Object emitLong(Coroutine<?> self, long value) {
        return Generator.emitPrimitive(self, Generator.LONG, value);
    }

    @Override
    public Object emitInt(Coroutine<?> self, int value) {
        return Generator.emitPrimitive(self, Generator.INT, value);
    }

    @Override
    public Object emitDouble(Coroutine<?> self, double value) {
        return Generator.emitPrimitive(self, Generator.DOUBLE, Double.doubleToRawLongBits(value));
    }

    @Override
    public Awaitable<?> emitting(Object value) {
        return new Generator.Emit(value);
    }

    @Override
    public AsyncGenerator<?> generator(Coroutine<?> body) {
        return new Generator<>(body);
    }

    private static Task<?> taskOf(Coroutine<?> self) {
        if (self.owner instanceof Task<?> task) {
            return task;
        }
        throw new IllegalStateException(self.describe() + " awaits while it is not driven by a task (" + self
                + "): a coroutine runs when it is awaited or wrapped in createTask, never by calling resume");
    }

    private static Object park(Coroutine<?> self, Future<?> f) {
        Task<?> task = taskOf(self);
        if (f.loop != task.loop) {
            throw new IllegalStateException(self.describe() + " awaits " + f + " of another event loop; a future "
                    + "belongs to the loop that made it (use Future.fromStage(f.toCompletableFuture()) to cross loops)");
        }
        if (f == task) {
            throw new IllegalStateException("task " + task.getName() + " awaits itself, which would never end");
        }
        task.park(self, f);
        return SUSPENDED;
    }

    /** Runs a coroutine that nobody started yet inside the awaiting task, as a nested frame. */
    private static Object start(Coroutine<?> self, Coroutine<?> child) throws Throwable {
        Task<?> task = taskOf(self);
        if (child.owner != null) {
            throw new IllegalStateException("coroutine " + child.describe() + " was awaited already (" + child
                    + "); a coroutine runs once: wrap it in createTask to await its result from several places");
        }
        child.owner = task;
        child.caller = self;
        EventLoop loop = task.loop;
        if (loop.inlineDepth >= Task.MAX_INLINE_DEPTH) {
            // Too deep to grow the Java stack further: the task starts it from its own drive loop.
            loop.pendingStart = child;
            return SUSPENDED;
        }
        loop.inlineDepth++;
        Object r;
        try {
            r = child.resume(null, null);
        } catch (Throwable t) {
            child.owner = Coroutine.FINISHED;
            child.caller = null;
            throw t;
        } finally {
            loop.inlineDepth--;
        }
        if (r == SUSPENDED) {
            return SUSPENDED;
        }
        child.owner = Coroutine.FINISHED;
        child.caller = null;
        return r;
    }

    @Override
    public Object awaitStage(Coroutine<?> self, CompletionStage<?> stage) throws Throwable {
        if (stage == null) {
            throw new NullPointerException("await(null) in " + self.describe() + ": the awaited stage is null");
        }
        CompletableFuture<?> cf = doneFuture(stage);
        if (cf != null) {
            try {
                return cf.join();
            } catch (Throwable t) {
                Throwable cause = Future.unwrap(t);
                throw AsyncTrace.thrownAt(cause instanceof CancellationException ? CancelledError.delivered(cause.getMessage())
                        : cause, self, null);
            }
        }
        return park(self, taskOf(self).loop.wrapStage(stage));
    }

    @Override
    public Awaitable<Void> acloseAfter(AsyncCloseable resource, Throwable thrown) {
        return AsyncWith.closeAfter(resource, thrown);
    }

    @Override
    public Throwable rethrow(Throwable thrown) {
        return AsyncWith.rethrow(thrown);
    }

    /**
     * The stage as a {@code CompletableFuture} when it is one that is done already, for the fast
     * path; else null. A {@code minimalCompletionStage()} is a {@code CompletableFuture} whose
     * {@code isDone} throws {@code UnsupportedOperationException}: it takes the slow path.
     */
    private static CompletableFuture<?> doneFuture(CompletionStage<?> stage) {
        if (stage instanceof CompletableFuture<?> cf) {
            try {
                return cf.isDone() ? cf : null;
            } catch (UnsupportedOperationException minimalStage) {
                return null;
            }
        }
        return null;
    }

    @Override
    public dev.weft.runtime.internal.LoopInfo[] inspectLoops() {
        return TaskInspector.loops();
    }

    @Override
    public int loopsMade() {
        return LoopRegistry.made();
    }

    @Override
    public void finishUnstarted(Coroutine<?> coroutine) {
        if (coroutine.owner == null) {
            coroutine.owner = Coroutine.FINISHED;
        }
    }

    @Override
    public boolean reuse(Future<?> done) {
        if (done.getClass() != Future.class || done.state != Future.RESULT || done.waiters != null) {
            return false;
        }
        done.state = Future.PENDING;
        done.value = null;
        done.retrieved = false;
        return true;
    }

    @Override
    public <T> Task<T> createTask(EventLoop loop, Coroutine<T> coroutine, java.util.function.Supplier<String> name,
            Throwable origin) {
        return loop.createTaskNamedLater(coroutine, name, origin);
    }
}
