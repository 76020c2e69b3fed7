package dev.weft.runtime.streams;

/**
 * A separator was not found within the reader's limit: asyncio's {@code LimitOverrunError}, also
 * thrown by {@link StreamReader#readLine()} where CPython raises {@code ValueError}.
 * {@link #consumed()} is how many bytes would have to be consumed to get past the point reached.
 */
public class LimitOverrunError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int consumed;

    /**
     * An error with CPython's message and consumed count.
     *
     * @param message  what happened
     * @param consumed the bytes to be consumed
     */
    public LimitOverrunError(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /**
     * How many bytes are to be consumed: for {@link StreamReader#readUntil(byte[])}, the data is
     * still in the buffer.
     *
     * @return the count
     */
    public int consumed() {
        return consumed;
    }
}
