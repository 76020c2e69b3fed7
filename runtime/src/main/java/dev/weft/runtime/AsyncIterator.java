package dev.weft.runtime;

import java.util.NoSuchElementException;

/**
 * An iterator whose next value may have to be waited for: the Java spelling of Python's
 * {@code async for}.
 *
 * <pre>{@code
 * for (AsyncIterator<byte[]> it = reader.lines(); await(it.hasNext()); ) {
 *     byte[] line = it.next();
 * }
 * }</pre>
 *
 * <p>{@link #hasNext()} may be awaited again before {@link #next()} without skipping a value.
 * Closing ends the iteration early and releases what the iterator holds; inside an
 * {@code @Async} method a try-with-resources awaits {@link #aclose()}.
 *
 * @param <T> the type of the values
 */
public interface AsyncIterator<T> extends AsyncCloseable {
    /**
     * Waits until a value is ready or the iteration is over.
     *
     * @return an awaitable of true when {@link #next()} has a value, false at the end
     */
    Coroutine<Boolean> hasNext();

    /**
     * The value that {@link #hasNext()} made ready.
     *
     * @return the value
     * @throws NoSuchElementException when no value is ready
     */
    T next();
}
