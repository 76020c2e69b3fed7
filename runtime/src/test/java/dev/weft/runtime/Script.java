package dev.weft.runtime;

import dev.weft.runtime.internal.Woven;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written coroutine for the runtime's tests, where nothing is woven: a list of steps run
 * one after the other. A step gets the value of the step before; when it returns an
 * {@link Awaitable} that awaitable is awaited (through {@link Woven#await}, as woven code does)
 * and its value goes to the next step, else its return value goes on as it is. The last value is
 * the coroutine's result. A failure of an await goes to the {@link #recover} registered right
 * after that step, or fails the coroutine.
 *
 * <pre>{@code
 * Coroutine<String> c = Script.<String>named("fetch").then(v -> Aio.sleep(2)).then(v -> "data");
 * }</pre>
 *
 * @param <T> the result type
 */
final class Script<T> extends Coroutine<T> {
    /** One step of a script. */
    interface Step {
        Object apply(Object value) throws Throwable;
    }

    /** What to do with a failure thrown at an await. */
    interface Handler {
        Object apply(Throwable failure) throws Throwable;
    }

    private final String name;
    private final List<Step> steps = new ArrayList<>();
    private final List<Handler> handlers = new ArrayList<>();
    private int next;
    /** Suspensions so far: how often the script returned SUSPENDED to the runtime. */
    int suspensions;

    private Script(String name) {
        this.name = name;
    }

    static <T> Script<T> named(String name) {
        return new Script<>(name);
    }

    /** A coroutine that sleeps, then returns {@code value}. */
    static <T> Script<T> sleepThen(double seconds, T value) {
        return Script.<T>named("sleep " + seconds + " then " + value).then(v -> Aio.sleep(seconds)).then(v -> value);
    }

    /** A coroutine that sleeps, then throws {@code failure}. */
    static <T> Script<T> sleepThenFail(double seconds, Throwable failure) {
        return Script.<T>named("sleep " + seconds + " then fail").then(v -> Aio.sleep(seconds)).then(v -> {
            throw failure;
        });
    }

    /** A coroutine that awaits one awaitable and returns its value. */
    static <T> Script<T> awaiting(Awaitable<T> awaitable) {
        return Script.<T>named("await " + awaitable).then(v -> awaitable);
    }

    Script<T> then(Step step) {
        steps.add(step);
        handlers.add(null);
        return this;
    }

    /** Handles a failure of the await of the step added last; its value goes on as the step's. */
    Script<T> recover(Handler handler) {
        handlers.set(handlers.size() - 1, handler);
        return this;
    }

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        for (;;) {
            if (failure != null) {
                Handler h = next == 0 ? null : handlers.get(next - 1);
                if (h == null) {
                    throw failure;
                }
                handlers.set(next - 1, null);
                value = h.apply(failure);
                failure = null;
                if (value instanceof Awaitable<?> a) {
                    try {
                        value = Woven.await(this, a);
                    } catch (Throwable t) {
                        failure = t;
                        continue;
                    }
                    if (value == Woven.SUSPENDED) {
                        suspensions++;
                        return Woven.SUSPENDED;
                    }
                }
            }
            if (next == steps.size()) {
                return value;
            }
            Object out = steps.get(next++).apply(value);
            if (out instanceof Awaitable<?> a) {
                try {
                    value = Woven.await(this, a);
                } catch (Throwable t) {
                    failure = t;
                    continue;
                }
                if (value == Woven.SUSPENDED) {
                    suspensions++;
                    return Woven.SUSPENDED;
                }
            } else {
                value = out;
            }
        }
    }

    @Override
    protected String describe() {
        return "Script[" + name + "]";
    }
}
