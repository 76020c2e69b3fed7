package validation.targets;

import static dev.weft.runtime.Aio.getRunningLoop;

import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;

/**
 * What the targets await. Not a target itself: it is compiled and woven with every target (it has
 * no {@code @Async} method, so the weaver leaves it unchanged).
 *
 * <p>The harness runs each target twice: once with {@link #fast} false, where every source
 * completes 10 ms later on the loop (each await really suspends), and once with it true, where
 * every source is already done (each await takes the fast path). The output must be the same.
 */
public final class Sources {
    /** Set by the harness before {@code main()} runs. */
    public static boolean fast;

    private Sources() {
    }

    /** A future that completes with {@code value} 10 ms from now, or at once on the fast path. */
    public static <T> Future<T> later(T value) {
        EventLoop loop = getRunningLoop();
        Future<T> future = loop.createFuture();
        if (fast) {
            future.setResult(value);
        } else {
            loop.callLater(0.01, () -> future.setResult(value));
        }
        return future;
    }

    /** A future that fails with {@code failure} 10 ms from now, or at once on the fast path. */
    public static <T> Future<T> failLater(Throwable failure) {
        EventLoop loop = getRunningLoop();
        Future<T> future = loop.createFuture();
        if (fast) {
            future.setException(failure);
        } else {
            loop.callLater(0.01, () -> future.setException(failure));
        }
        return future;
    }

    /** A future that is already done with {@code value}, in both runs. */
    public static <T> Future<T> now(T value) {
        Future<T> future = getRunningLoop().createFuture();
        future.setResult(value);
        return future;
    }
}
