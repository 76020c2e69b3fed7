package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;

/** The coroutines that many behaviour tests start from: sleep, then return or fail; await one thing. */
final class Naps {
    private Naps() {
    }

    /** Sleeps, then returns {@code value}. */
    @Async
    static <T> Coroutine<T> sleepThen(double seconds, T value) {
        await(sleep(seconds));
        return result(value);
    }

    /**
     * Sleeps, then fails with {@code failure}, the very instance. A {@code Throwable} parameter
     * cannot be thrown without declaring it, and a coroutine that declared it would make every
     * caller catch it; awaiting a future failed with it throws it undeclared, as any await does.
     */
    @Async
    static <T> Coroutine<T> sleepThenFail(double seconds, Throwable failure) {
        await(sleep(seconds));
        Future<T> failed = getRunningLoop().createFuture();
        failed.setException(failure);
        return result(await(failed));
    }

    /** Awaits {@code awaitable}, to make a task of it. */
    @Async
    static <T> Coroutine<T> awaiting(Awaitable<T> awaitable) {
        return result(await(awaitable));
    }
}
