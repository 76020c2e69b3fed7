package dev.weft.runtime;

import java.util.NoSuchElementException;

/**
 * The runtime's {@link AsyncGenerator}: the woven state machine of an {@code @Async} method that
 * returns one, driven by the consumer's awaits. {@code hasNext()} and {@code aclose()} are frames
 * ({@link Step}) that resume the body as their child, inline, in the consumer's task. An
 * {@code emit} in the body reaches the engine as a call of {@code Woven.emit} at a suspension point
 * (or, where the weaver falls back, as an await of an {@link Emit}): the value is kept
 * here, the body's frame stops, and, instead of parking the task, its caller (the step) completes,
 * so that handing a value over costs no turn of the loop. When the body waits on something real,
 * the task parks as for any await, the step waiting above the body; when the body later emits, the
 * task's drive loop sees {@link EventLoop#yielded} and resumes the step the same way.
 */
final class Generator<T> implements AsyncGenerator<T> {
    private static final byte NEW = 0;
    private static final byte PAUSED = 1;
    private static final byte RUNNING = 2;
    private static final byte DONE = 3;

    /** {@link #kind}: the value is {@link #value}. */
    static final byte OBJECT = 0;
    /** {@link #kind}: the value is {@link #bits}, a {@code long}. */
    static final byte LONG = 1;
    /** {@link #kind}: the value is {@link #bits}, an {@code int}. */
    static final byte INT = 2;
    /** {@link #kind}: the value is {@link #bits}, a {@code double}'s raw bits. */
    static final byte DOUBLE = 3;

    /**
     * What {@code emit(v)} awaits where the weaver falls back from {@code Woven.emit}: a coroutine in type only (the sealed
     * {@link Awaitable} allows a coroutine or a future, and the public API keeps it so), which the
     * engine recognizes before it would start it, and never resumes. Debug mode does not record it.
     */
    static final class Emit extends Coroutine<Object> {
        final Object value;

        Emit(Object value) {
            super((Emit) null);
            this.value = value;
        }

        @Override
        protected Object resume(Object ignored, Throwable failure) {
            throw new IllegalStateException("an emit is not a coroutine to run: " + this);
        }

        @Override
        protected String describe() {
            return "emit(" + value + ")";
        }
    }

    private static final Object SUSPENDED = dev.weft.runtime.kernel.Engine.suspended();

    private final Coroutine<?> body;
    private byte state = NEW;
    private boolean closing;
    /** The value ready for {@link #next()} when {@link #kind} is {@link #OBJECT}. */
    private Object value;
    /** The value ready for {@link #next()}, unboxed, when {@link #kind} is a primitive's. */
    private long bits;
    /** Which of {@link #value} and {@link #bits} holds the ready value, and as what. */
    private byte kind;
    private boolean hasValue;
    /**
     * True while a step resumes the body on its own stack: an emit then only leaves the value, and
     * the step sees it in {@code hasValue} when the body returns, with no trip through the loop's
     * {@code yielded} field.
     */
    private boolean inline;
    /** Reused for each {@code hasNext()} once the one before has completed. */
    private Step spare;

    Generator(Coroutine<?> body) {
        this.body = body;
        if (DebugRegistry.DEBUG_LOOPS.get() != 0) {
            DebugRegistry.generatorMade(body);
        }
    }

    /**
     * The engine's side of {@code emit(v)}: called with the body as {@code self}.
     *
     * @return the suspension sentinel
     */
    static Object emit(Coroutine<?> self, Object v) {
        Generator<?> g = emitter(self);
        g.value = v;
        g.kind = OBJECT;
        return emitted(self, g);
    }

    /**
     * The engine's side of {@code Woven.emitLong}, {@code emitInt} and {@code emitDouble}: a value
     * whose box the weaver left out, kept as {@code bits} of {@code kind} until {@link #next()}
     * boxes it.
     *
     * @return the suspension sentinel
     */
    static Object emitPrimitive(Coroutine<?> self, byte kind, long bits) {
        Generator<?> g = emitter(self);
        g.bits = bits;
        g.kind = kind;
        return emitted(self, g);
    }

    private static Generator<?> emitter(Coroutine<?> self) {
        if (!(self.caller instanceof Generator<?>.Step step)) {
            throw new IllegalStateException("emit() in " + self.describe() + ", which is not an async generator's "
                    + "body run by its hasNext(): only an @Async method returning AsyncGenerator emits");
        }
        return step.generator();
    }

    private static Object emitted(Coroutine<?> self, Generator<?> g) {
        g.hasValue = true;
        if (!g.inline) {
            // Resumed by the task's drive loop after a real wait: the loop sees the emit there.
            Task<?> task = (Task<?>) self.owner;
            task.loop.yielded = self;
        }
        return SUSPENDED;
    }

    @Override
    public Coroutine<Boolean> hasNext() {
        Step s = spare;
        if (s != null && s.owner == Coroutine.FINISHED) {
            s.reset();
            return s;
        }
        s = new Step(false);
        spare = s;
        return s;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasValue) {
            throw new NoSuchElementException("no value ready in " + body.describe() + ": await hasNext() first");
        }
        hasValue = false;
        // Boxed here, where a consumer that unboxes at once (the JIT inlines this) lets the box go.
        switch (kind) {
            case LONG:
                return (T) Long.valueOf(bits);
            case INT:
                return (T) Integer.valueOf((int) bits);
            case DOUBLE:
                return (T) Double.valueOf(Double.longBitsToDouble(bits));
            default:
                Object v = value;
                value = null;
                return (T) v;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Awaitable<Void> aclose() {
        // A step whose result is null: typed as the close it is.
        return (Awaitable<Void>) (Awaitable<?>) new Step(true);
    }

    @Override
    public void close() {
        if (state == NEW) {
            state = DONE;
            body.owner = Coroutine.FINISHED;
            return;
        }
        if (state == PAUSED) {
            EventLoop.running().createTask(new Step(true), "aclose " + body.describe());
        }
    }

    @Override
    public String toString() {
        return "AsyncGenerator[" + body.describe() + ", " + switch (state) {
            case NEW -> "not started";
            case PAUSED -> hasValue ? "value ready" : "paused at emit";
            case RUNNING -> "running";
            default -> "finished";
        } + "]";
    }

    /**
     * One {@code hasNext()} (an awaitable of whether a value is ready) or one {@code aclose()}
     * (of nothing): resumes the body until it emits or ends.
     */
    final class Step extends Coroutine<Boolean> {
        private final boolean close;
        private boolean entered;

        Step(boolean close) {
            this.close = close;
        }

        Generator<T> generator() {
            return Generator.this;
        }

        void reset() {
            owner = null;
            entered = false;
        }

        /**
         * What {@code EngineImpl.start} does for any coroutine, for this step, awaited by
         * {@code self} of {@code task} below the inline depth limit: the step runs as a child
         * frame, and {@link #enter()} is its first resume, called directly.
         */
        Object start(Coroutine<?> self, Task<?> task) throws Throwable {
            owner = task;
            caller = self;
            entered = true;
            if (!close && state == PAUSED && !hasValue) {
                return next(task);
            }
            EventLoop loop = task.loop;
            loop.inlineDepth++;
            Object r;
            try {
                r = enter();
            } catch (Throwable t) {
                loop.inlineDepth--;
                owner = Coroutine.FINISHED;
                caller = null;
                throw t;
            }
            loop.inlineDepth--;
            if (r != SUSPENDED) {
                owner = Coroutine.FINISHED;
                caller = null;
            }
            return r;
        }

        /**
         * {@link #start} of a {@code hasNext()} of a generator paused at an emit, the step of
         * every value after the first: {@link #enter()} and {@link #step} in one, with only the
         * writes a value needs. The body keeps its owner and its link to this step between values
         * (the task's drive loop unlinks it when it emits after a real wait, so both are tested
         * before they are written), and the step, its own frame and the body's, counts two inline
         * levels as the two calls do.
         */
        private Object next(Task<?> task) throws Throwable {
            Coroutine<?> b = body;
            if (b.owner != task) {
                b.owner = task;
            }
            if (b.caller != this) {
                b.caller = this;
            }
            state = RUNNING;
            inline = true;
            EventLoop loop = task.loop;
            loop.inlineDepth += 2;
            Object r;
            try {
                r = b.resume(null, null);
            } catch (Throwable t) {
                inline = false;
                loop.inlineDepth -= 2;
                owner = Coroutine.FINISHED;
                caller = null;
                return ended(null, t);
            }
            inline = false;
            loop.inlineDepth -= 2;
            if (r == SUSPENDED) {
                if (hasValue) {
                    // The body emitted on this stack: the value is ready, the step done.
                    state = PAUSED;
                    owner = Coroutine.FINISHED;
                    return Boolean.TRUE;
                }
                // The body waits on something real: the task parks, this step above it.
                return r;
            }
            owner = Coroutine.FINISHED;
            caller = null;
            return ended(r, null);
        }

        @Override
        protected Object resume(Object v, Throwable failure) throws Throwable {
            if (!entered) {
                entered = true;
                return enter();
            }
            // Resumed by the task's drive loop: the body yielded (v is YIELDED) or ended.
            return afterBody(v, failure);
        }

        private Object enter() throws Throwable {
            if (close) {
                if (state == NEW || state == DONE) {
                    state = DONE;
                    body.owner = Coroutine.FINISHED;
                    hasValue = false;
                    value = null;
                    return null;
                }
                if (state == RUNNING) {
                    throw new IllegalStateException("aclose() of " + body.describe()
                            + " while it runs: another task iterates it");
                }
                closing = true;
                hasValue = false;
                value = null;
                return step(new GeneratorExit());
            }
            if (hasValue) {
                return Boolean.TRUE;
            }
            if (state == DONE) {
                return Boolean.FALSE;
            }
            if (state == RUNNING) {
                throw new IllegalStateException("hasNext() of " + body.describe()
                        + " while it runs: another task iterates it (Python: anext(): asynchronous generator is already running)");
            }
            return step(null);
        }

        /** Resumes the body inline, as the engine starts a child coroutine. */
        private Object step(Throwable thrown) throws Throwable {
            Task<?> task = (Task<?>) owner;
            EventLoop loop = task.loop;
            body.owner = task;
            body.caller = this;
            state = RUNNING;
            loop.inlineDepth++;
            inline = true;
            Object r;
            try {
                r = body.resume(null, thrown);
            } catch (Throwable t) {
                inline = false;
                loop.inlineDepth--;
                return ended(null, t);
            }
            inline = false;
            loop.inlineDepth--;
            if (r == SUSPENDED) {
                // No value was ready when this step began (enter() and close both see to that),
                // so one now is the body's emit, made on this stack.
                if (hasValue) {
                    body.caller = null;
                    return yielded();
                }
                // The body waits on something real: the task parks, this step above it.
                return r;
            }
            return ended(r, null);
        }

        private Object afterBody(Object v, Throwable failure) throws Throwable {
            if (failure == null && v == YIELDED) {
                return yielded();
            }
            return ended(v, failure);
        }

        private Object yielded() {
            state = PAUSED;
            if (close) {
                // Python: RuntimeError: async generator ignored GeneratorExit.
                state = DONE;
                hasValue = false;
                value = null;
                throw new IllegalStateException("async generator " + body.describe() + " emitted while it was being "
                        + "closed: it ignored GeneratorExit (let it pass; do not emit in a finally block)");
            }
            return Boolean.TRUE;
        }

        private Object ended(Object r, Throwable failure) throws Throwable {
            state = DONE;
            body.owner = Coroutine.FINISHED;
            body.caller = null;
            if (close) {
                if (failure == null || failure instanceof GeneratorExit) {
                    return null;
                }
                throw failure;
            }
            if (failure != null) {
                throw failure;
            }
            return Boolean.FALSE;
        }

        @Override
        protected String describe() {
            return (close ? "aclose of " : "hasNext of ") + body.describe();
        }
    }

    /** What the drive loop resumes a step with when its body yielded. */
    static final Object YIELDED = new Object() {
        @Override
        public String toString() {
            return "YIELDED";
        }
    };
}
