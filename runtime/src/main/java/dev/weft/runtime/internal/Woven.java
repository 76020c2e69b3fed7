package dev.weft.runtime.internal;

import dev.weft.runtime.AsyncCloseable;
import dev.weft.runtime.AsyncGenerator;
import dev.weft.runtime.Awaitable;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.kernel.Engine;
import java.util.concurrent.CompletionStage;

/**
 * The calls woven code makes into the runtime. See the package documentation for the protocol.
 */
public final class Woven {
    /** Returned by {@link #await} and by a resume body to say that the body stopped at an await. */
    public static final Object SUSPENDED = Engine.suspended();

    /**
     * The version of the woven-code protocol this runtime speaks: the calls on this class, the
     * {@link #SUSPENDED} sentinel and the shape of a state machine. The weaver records the version it
     * wrote in each state machine, whose static initializer hands it to {@link #checkProtocol}.
     */
    public static final int PROTOCOL = 3;

    private static final Engine ENGINE = Engine.get();

    private Woven() {
    }

    /**
     * Awaits {@code awaitable} on behalf of the state machine {@code self}.
     *
     * @param self      the state machine of the awaiting {@code @Async} method
     * @param awaitable what the user's code awaits
     * @return the awaited value when it is available at once, else {@link #SUSPENDED}
     * @throws Throwable the awaited failure, when it is available at once
     */
    public static Object await(Coroutine<?> self, Awaitable<?> awaitable) throws Throwable {
        return ENGINE.await(self, awaitable);
    }

    /**
     * Awaits a {@link CompletionStage}, such as a {@code CompletableFuture} from
     * {@code HttpClient.sendAsync}, on behalf of {@code self}. Its completion on another thread
     * wakes the loop with a thread-safe hand-off; its failure is unwrapped from
     * {@link java.util.concurrent.CompletionException}.
     *
     * @param self  the state machine of the awaiting {@code @Async} method
     * @param stage what the user's code awaits
     * @return the awaited value when it is available at once, else {@link #SUSPENDED}
     * @throws Throwable the awaited failure, when it is available at once
     */
    public static Object awaitStage(Coroutine<?> self, CompletionStage<?> stage) throws Throwable {
        return ENGINE.awaitStage(self, stage);
    }

    /**
     * The close of a try-with-resources block whose body threw: what a woven {@code close()} of an
     * {@link AsyncCloseable} becomes on the block's exceptional path, awaited in place of the close
     * ({@code await(Woven.acloseAfter(r, thrown))}). It awaits {@code resource.aclose(thrown)} (with
     * what replaced {@code thrown}, when an earlier close of the same block superseded it). When that
     * fails with {@code thrown} itself or with an exception that holds it (in its cause chain, or among
     * an {@link dev.weft.runtime.ExceptionGroup}'s members), the close supersedes the body's failure:
     * the awaitable completes normally and {@link #rethrow} hands the close's failure to the block's
     * {@code throw thrown}. Any other failure is the awaitable's, which the compiled handler suppresses
     * in {@code thrown}.
     *
     * @param resource what the block closes
     * @param thrown   what the block's body threw, as the compiled handler holds it
     * @return an awaitable of the close
     */
    public static Awaitable<Void> acloseAfter(AsyncCloseable resource, Throwable thrown) {
        return ENGINE.acloseAfter(resource, thrown);
    }

    /**
     * What a try-with-resources block whose body threw {@code thrown} throws when it has closed its
     * resources: the failure of a close that superseded {@code thrown} in this task (see
     * {@link #acloseAfter}), once, or else {@code thrown} itself. Woven code calls it as
     * {@code throw Woven.rethrow(thrown)}.
     *
     * @param thrown what the block's body threw
     * @return what to throw in its place
     */
    public static Throwable rethrow(Throwable thrown) {
        return ENGINE.rethrow(thrown);
    }

    /**
     * An async generator's {@code emit(value)}: the weaver rewrites {@code Aio.emit(v)} into this
     * call at a suspension point of the body {@code self}. It hands {@code value} to the consumer's
     * waiting {@code hasNext()} and returns {@link #SUSPENDED}, so that the body's frame stops there
     * until the next {@code hasNext()} resumes it. Nothing is allocated for it.
     *
     * @param self  the generator's body
     * @param value the value emitted
     * @return {@link #SUSPENDED}
     * @throws IllegalStateException when {@code self} is not an async generator's body run by its
     *         {@code hasNext()}
     */
    public static Object emit(Coroutine<?> self, Object value) {
        return ENGINE.emit(self, value);
    }

    /**
     * {@link #emit} of a value the body boxed with {@code Long.valueOf} right before it emitted it
     * (what {@code emit(i)} of a {@code long} compiles to): the weaver leaves the box out and hands
     * the {@code long} over as it is, and the consumer's {@code next()} boxes it, where a consumer
     * that unboxes it at once lets the JIT drop the box. The consumer sees an equal {@code Long}
     * (the same one, for the values {@code Long.valueOf} caches).
     *
     * @param self  the generator's body
     * @param value the value emitted
     * @return {@link #SUSPENDED}
     * @throws IllegalStateException as {@link #emit}
     */
    public static Object emitLong(Coroutine<?> self, long value) {
        return ENGINE.emitLong(self, value);
    }

    /**
     * {@link #emitLong} for an {@code int} boxed with {@code Integer.valueOf}.
     *
     * @param self  the generator's body
     * @param value the value emitted
     * @return {@link #SUSPENDED}
     * @throws IllegalStateException as {@link #emit}
     */
    public static Object emitInt(Coroutine<?> self, int value) {
        return ENGINE.emitInt(self, value);
    }

    /**
     * {@link #emitLong} for a {@code double} boxed with {@code Double.valueOf}; the consumer sees
     * its exact bits.
     *
     * @param self  the generator's body
     * @param value the value emitted
     * @return {@link #SUSPENDED}
     * @throws IllegalStateException as {@link #emit}
     */
    public static Object emitDouble(Coroutine<?> self, double value) {
        return ENGINE.emitDouble(self, value);
    }

    /**
     * The awaitable of {@code emit(value)} in an async generator's body, awaited as
     * {@code await(Woven.emitting(v))}: the form the weaver's first stage writes and the form its
     * await stage falls back to where it cannot write {@link #emit}; the weaver writes {@link #emit}
     * in its place everywhere else.
     *
     * @param value the value emitted
     * @return the awaitable of the emit
     */
    public static Awaitable<?> emitting(Object value) {
        return ENGINE.emitting(value);
    }

    /**
     * The generator an {@code @Async} method returning {@code AsyncGenerator} returns: its entry
     * method wraps its state machine with this.
     *
     * @param body the state machine, not started
     * @return the generator
     */
    public static AsyncGenerator<?> generator(Coroutine<?> body) {
        return ENGINE.generator(body);
    }

    /**
     * Refuses a state machine woven for another protocol version, the first time its method runs (its
     * class's static initializer calls this), so old woven code never runs on a runtime it does not
     * match.
     *
     * @param protocol the protocol version the weaver wrote the state machine for
     * @param method   the woven method, as {@code com.example.Fetch.fetchData}
     * @throws IncompatibleClassChangeError when {@code protocol} is not {@link #PROTOCOL}; an error, so
     *         that the JVM throws it as it is from the initializer instead of wrapping it
     */
    public static void checkProtocol(int protocol, String method) {
        if (protocol != PROTOCOL) {
            throw new IncompatibleClassChangeError(method + " was woven for Weft protocol " + protocol
                    + ", but this weft-runtime speaks protocol " + PROTOCOL + ": rebuild it with the weft-maven-plugin "
                    + "(or weft-cli) of the same Weft version as weft-runtime");
        }
    }

    /**
     * The failure of a resume body reached with a label it does not know: a state machine driven
     * outside the runtime's protocol (woven code calls it as {@code throw Woven.badLabel(sm)}).
     *
     * @param self the state machine
     * @return an {@link IllegalStateException} naming the coroutine, for the caller to throw
     */
    public static IllegalStateException badLabel(Coroutine<?> self) {
        return new IllegalStateException("resumed " + self + " at a label it does not have: a woven state machine "
                + "is driven by the Weft runtime only");
    }
}
