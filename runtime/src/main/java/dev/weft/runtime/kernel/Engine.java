package dev.weft.runtime.kernel;

import dev.weft.runtime.AsyncCloseable;
import dev.weft.runtime.AsyncGenerator;
import dev.weft.runtime.Awaitable;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Task;
import java.util.concurrent.CompletionStage;

/**
 * The runtime's side of {@link dev.weft.runtime.internal.Woven}, implemented in
 * {@code dev.weft.runtime} where the task and future state lives, and installed once when
 * {@link Coroutine} is initialized. This indirection keeps that state package-private while woven
 * code in any package can call {@code Woven}.
 *
 * <p>This is the JDK's shared-secrets habit: the hook lives in a package the module does not
 * export, so no other module can reach it, and {@link #install} also checks who calls it, so that
 * on the class path, where every public class is reachable, nothing but {@link Coroutine}'s
 * initializer can install an engine (and so make that initializer fail with "installed already").
 */
public abstract class Engine {
    static final Object SUSPENDED = new Object() {
        @Override
        public String toString() {
            return "SUSPENDED";
        }
    };

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private static volatile Engine installed;

    /** For the runtime's single implementation. */
    protected Engine() {
    }

    /**
     * Installs the runtime's implementation; called once from {@link Coroutine}'s initializer,
     * and refused to any other caller.
     *
     * @param engine the implementation
     * @throws IllegalCallerException when the caller is not {@link Coroutine}
     * @throws IllegalStateException  when one is installed already
     */
    public static void install(Engine engine) {
        Class<?> caller = WALKER.getCallerClass();
        if (caller != Coroutine.class) {
            throw new IllegalCallerException("the Weft engine is installed by dev.weft.runtime.Coroutine only, not by "
                    + caller.getName());
        }
        synchronized (Engine.class) {
            if (installed != null) {
                throw new IllegalStateException("the Weft engine is installed already");
            }
            installed = engine;
        }
    }

    /**
     * The installed engine, initializing {@link Coroutine} first if nothing has yet; for
     * {@code Woven}.
     *
     * @return the engine
     */
    public static Engine get() {
        Engine e = installed;
        if (e == null) {
            try {
                // Initializing Coroutine installs the engine.
                Class.forName(Coroutine.class.getName(), true, Coroutine.class.getClassLoader());
            } catch (ClassNotFoundException impossible) {
                throw new LinkageError("dev.weft.runtime.Coroutine is missing", impossible);
            }
            e = installed;
        }
        return e;
    }

    /**
     * The sentinel that says a body stopped at an await: {@code Woven.SUSPENDED}.
     *
     * @return the sentinel
     */
    public static Object suspended() {
        return SUSPENDED;
    }

    /**
     * See {@link dev.weft.runtime.internal.Woven#await(Coroutine, Awaitable)}.
     *
     * @param self      the awaiting state machine
     * @param awaitable what it awaits
     * @return the value, or the suspension sentinel
     * @throws Throwable the awaited failure
     */
    public abstract Object await(Coroutine<?> self, Awaitable<?> awaitable) throws Throwable;

    /**
     * See {@link dev.weft.runtime.internal.Woven#awaitStage(Coroutine, CompletionStage)}.
     *
     * @param self  the awaiting state machine
     * @param stage what it awaits
     * @return the value, or the suspension sentinel
     * @throws Throwable the awaited failure
     */
    public abstract Object awaitStage(Coroutine<?> self, CompletionStage<?> stage) throws Throwable;

    /**
     * See {@link dev.weft.runtime.internal.Woven#acloseAfter(AsyncCloseable, Throwable)}.
     *
     * @param resource what the block closes
     * @param thrown   what the block's body threw
     * @return an awaitable of the close
     */
    public abstract Awaitable<Void> acloseAfter(AsyncCloseable resource, Throwable thrown);

    /**
     * See {@link dev.weft.runtime.internal.Woven#rethrow(Throwable)}.
     *
     * @param thrown what the block's body threw
     * @return what to throw in its place
     */
    public abstract Throwable rethrow(Throwable thrown);

    /**
     * The I/O side of {@code loop} that transports use: its poller, its before-poll hook and its
     * read buffer.
     *
     * @param loop the loop
     * @return its I/O access
     */
    public abstract LoopIo io(EventLoop loop);

    /**
     * See {@link dev.weft.runtime.internal.Woven#emit(Coroutine, Object)}.
     *
     * @param self  the generator's body
     * @param value what it emits
     * @return the suspension sentinel
     */
    public abstract Object emit(Coroutine<?> self, Object value);

    /**
     * See {@link dev.weft.runtime.internal.Woven#emitLong(Coroutine, long)}.
     *
     * @param self  the generator's body
     * @param value what it emits, unboxed
     * @return the suspension sentinel
     */
    public abstract Object emitLong(Coroutine<?> self, long value);

    /**
     * See {@link dev.weft.runtime.internal.Woven#emitInt(Coroutine, int)}.
     *
     * @param self  the generator's body
     * @param value what it emits, unboxed
     * @return the suspension sentinel
     */
    public abstract Object emitInt(Coroutine<?> self, int value);

    /**
     * See {@link dev.weft.runtime.internal.Woven#emitDouble(Coroutine, double)}.
     *
     * @param self  the generator's body
     * @param value what it emits, unboxed
     * @return the suspension sentinel
     */
    public abstract Object emitDouble(Coroutine<?> self, double value);

    /**
     * See {@link dev.weft.runtime.internal.Woven#emitting(Object)}.
     *
     * @param value what the generator emits
     * @return what the woven code awaits for the emit
     */
    public abstract Awaitable<?> emitting(Object value);

    /**
     * See {@link dev.weft.runtime.internal.Woven#generator(Coroutine)}.
     *
     * @param body the state machine of the generator's method
     * @return the generator the method returns
     */
    public abstract AsyncGenerator<?> generator(Coroutine<?> body);

    /**
     * See {@link dev.weft.runtime.internal.TasksMXBean#getLoops()}.
     *
     * @return a snapshot of the open loops and their pending tasks
     */
    public abstract dev.weft.runtime.internal.LoopInfo[] inspectLoops();

    /**
     * See {@link dev.weft.runtime.internal.TasksMXBean#getLoopsMade()}.
     *
     * @return how many loops the JVM has made
     */
    public abstract int loopsMade();

    /**
     * Marks a coroutine that was made but that nothing will run as finished, as a task cancelled
     * before its first step marks its own root: debug mode does not report it as never awaited,
     * and awaiting it fails as for one that ran. A coroutine started already is left as it is.
     *
     * @param coroutine the coroutine
     */
    public abstract void finishUnstarted(Coroutine<?> coroutine);

    /**
     * Makes a waiter future pending again for its next wait, saving the allocation: one that a
     * set result woke, that nobody else holds (not a waiter list, not a task: the task that awaited
     * it has stepped past it) and that no caller ever saw, as a queue's getter once its get
     * resumed. Refuses (false, changing nothing) any future but a plain one done with a result and
     * no waiters left.
     *
     * @param done the future
     * @return whether it is pending again
     */
    public abstract boolean reuse(dev.weft.runtime.Future<?> done);

    /**
     * Wraps {@code coroutine} in a task of {@code loop} whose name is made only when someone asks
     * for it (a dump, {@code ps}, a log): a connection's task would otherwise carry a string of its
     * peer's address for its whole idle life.
     *
     * @param loop      the loop
     * @param coroutine the coroutine, not started yet
     * @param name      makes the name; called at most a few times, from any thread
     * @param origin    in debug mode, where the task comes from when that is not the call (a
     *                  connection's task: where its server was started), else null; its stack
     *                  trace becomes the task's creation site, and an empty one means none
     * @param <T>       the type of its result
     * @return the task
     */
    public abstract <T> Task<T> createTask(EventLoop loop, Coroutine<T> coroutine, java.util.function.Supplier<String> name,
            Throwable origin);
}
