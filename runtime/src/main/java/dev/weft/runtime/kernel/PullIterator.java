package dev.weft.runtime.kernel;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Awaitable;
import dev.weft.runtime.Coroutine;
import java.util.NoSuchElementException;

/**
 * An {@link AsyncIterator} that awaits one {@link #fetch()} for each value, until a value or a
 * failure that marks the end: the shape of a stream's and a file's {@code lines()} and a queue's
 * {@code items()}. {@code hasNext()} may be awaited again before {@code next()} without skipping a
 * value; closing ends the iteration and leaves the source as it is.
 *
 * <pre>{@code
 * private final class Lines extends PullIterator<byte[]> {
 *     Lines() {
 *         super("line");
 *     }
 *
 *     protected Awaitable<byte[]> fetch() throws IOException {
 *         return readLine();
 *     }
 *
 *     protected boolean endsAt(byte[] line) {
 *         return line.length == 0;
 *     }
 * }
 * }</pre>
 *
 * @param <T> the type of the values
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods.
public abstract class PullIterator<T> implements AsyncIterator<T> {
    private final String noun;
    private T next;
    private boolean ready;
    private boolean finished;

    /**
     * For a subclass.
     *
     * @param noun what a value is called in the error of a {@code next()} with none ready ("line")
     */
    protected PullIterator(String noun) {
        this.noun = noun;
    }

    /**
     * The awaitable of the next value, awaited once for each value that {@code hasNext()} finds.
     *
     * @return the awaitable
     * @throws Exception what the source's method declares; thrown at the {@code hasNext()} await
     */
    protected abstract Awaitable<T> fetch() throws Exception;

    /**
     * Whether {@code value} marks the end instead of being one (an empty line at end of file).
     *
     * @param value what {@link #fetch()} produced
     * @return true to end the iteration; false by default
     */
    protected boolean endsAt(T value) {
        return false;
    }

    /**
     * Whether {@code failure} of {@link #fetch()} marks the end instead of failing
     * {@code hasNext()} (a queue shut down).
     *
     * @param failure what the fetch threw
     * @return true to end the iteration; false by default, and the failure is thrown as it is
     */
    protected boolean endsWith(Exception failure) {
        return false;
    }

    /**
     * Whether a value is ready: at once when one is, else after one {@link #fetch()}.
     *
     * @return an awaitable of true when {@link #next()} has a value, false at the end
     */
    @Async
    @Override
    public final Coroutine<Boolean> hasNext() {
        if (ready) {
            return result(true);
        }
        if (finished) {
            return result(false);
        }
        T value;
        try {
            value = await(fetch());
        } catch (Exception e) {
            if (!endsWith(e)) {
                throw Sneaky.raise(e);
            }
            finish();
            return result(false);
        }
        if (endsAt(value)) {
            finish();
            return result(false);
        }
        next = value;
        ready = true;
        return result(true);
    }

    /**
     * The value that {@code hasNext()} found.
     *
     * @return the value
     * @throws NoSuchElementException when none is ready
     */
    @Override
    public final T next() {
        if (!ready) {
            throw new NoSuchElementException("no " + noun + " ready: await hasNext() first");
        }
        ready = false;
        T value = next;
        next = null;
        return value;
    }

    /**
     * Ends the iteration; the source stays as it is.
     *
     * @return an awaitable, done
     */
    @Override
    public final Awaitable<Void> aclose() {
        finish();
        return done();
    }

    /** Ends the iteration; the source stays as it is. */
    @Override
    public final void close() {
        finish();
    }

    /** {@link #close()}, under a name that the woven {@code hasNext()} calls without awaiting {@link #aclose()}. */
    private void finish() {
        finished = true;
        ready = false;
        next = null;
    }
}
