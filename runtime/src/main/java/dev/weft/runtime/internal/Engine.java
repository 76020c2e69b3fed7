package dev.weft.runtime.internal;

import dev.weft.runtime.Awaitable;
import dev.weft.runtime.Coroutine;
import java.util.concurrent.CompletionStage;

/**
 * The runtime's side of {@link Woven}, implemented in {@code dev.weft.runtime} where the task and
 * future state lives, and installed once when {@link Coroutine} is initialized. This indirection
 * keeps that state package-private while woven code in any package can call {@link Woven}.
 */
public abstract class Engine {
    static final Object SUSPENDED = new Object() {
        @Override
        public String toString() {
            return "SUSPENDED";
        }
    };

    private static volatile Engine installed;

    /** For the runtime's single implementation. */
    protected Engine() {
    }

    /**
     * Installs the runtime's implementation; called once from {@link Coroutine}'s initializer.
     *
     * @param engine the implementation
     * @throws IllegalStateException when one is installed already
     */
    public static void install(Engine engine) {
        synchronized (Engine.class) {
            if (installed != null) {
                throw new IllegalStateException("the Weft engine is installed already");
            }
            installed = engine;
        }
    }

    static Engine get() {
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
     * The sentinel that says a body stopped at an await.
     *
     * @return {@link Woven#SUSPENDED}
     */
    protected static Object suspended() {
        return SUSPENDED;
    }

    /**
     * See {@link Woven#await(Coroutine, Awaitable)}.
     *
     * @param self      the awaiting state machine
     * @param awaitable what it awaits
     * @return the value, or the suspension sentinel
     * @throws Throwable the awaited failure
     */
    protected abstract Object await(Coroutine<?> self, Awaitable<?> awaitable) throws Throwable;

    /**
     * See {@link Woven#awaitStage(Coroutine, CompletionStage)}.
     *
     * @param self  the awaiting state machine
     * @param stage what it awaits
     * @return the value, or the suspension sentinel
     * @throws Throwable the awaited failure
     */
    protected abstract Object awaitStage(Coroutine<?> self, CompletionStage<?> stage) throws Throwable;
}
