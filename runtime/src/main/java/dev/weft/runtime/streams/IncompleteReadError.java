package dev.weft.runtime.streams;

/**
 * The stream ended before a read had what it asked for: asyncio's {@code IncompleteReadError}.
 * {@link #partial()} holds what was read; {@link #expected()} is the count asked for, or -1 when
 * the read was for a separator.
 */
public class IncompleteReadError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What was read before the end; kept whole, as CPython keeps it. */
    private final byte[] partial;
    private final int expected;

    /**
     * An error for a read that got {@code partial} of {@code expected} bytes.
     *
     * @param partial  what was read
     * @param expected how many bytes were asked for, or -1 for a read up to a separator
     */
    public IncompleteReadError(byte[] partial, int expected) {
        super(partial.length + " bytes read on a total of " + (expected < 0 ? "undefined" : String.valueOf(expected))
                + " expected bytes");
        this.partial = partial.clone();
        this.expected = expected;
    }

    /**
     * The bytes read before the stream ended.
     *
     * @return a copy of them
     */
    public byte[] partial() {
        return partial.clone();
    }

    /**
     * How many bytes were asked for.
     *
     * @return the count, or -1 when the read was for a separator
     */
    public int expected() {
        return expected;
    }
}
