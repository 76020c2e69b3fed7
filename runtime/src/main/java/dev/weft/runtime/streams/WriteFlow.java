package dev.weft.runtime.streams;

import dev.weft.runtime.EventLoop;
import dev.weft.runtime.ExceptionContext;
import dev.weft.runtime.kernel.PollKey;

/**
 * Flow control of a write buffer, CPython's {@code _FlowControlMixin}: when the buffered bytes pass
 * the high-water mark the writing protocol is told {@link Protocol#pauseWriting()}, once; when they
 * fall to the low-water mark, {@link Protocol#resumeWriting()}, once. A failure of either is
 * reported, not thrown into the write that caused it. Shared by the socket and pipe transports and
 * by the TLS layer, whose buffer counts the plaintext it holds as well as the raw transport's.
 *
 * <p>It is a {@link PollKey} that handles its own readiness, so that a socket transport is its
 * channel's registration too (one object a connection fewer); the pipe transports and the TLS
 * layer are never registered.
 */
abstract class WriteFlow extends PollKey {
    static final int DEFAULT_HIGH = 64 * 1024;
    static final int DEFAULT_LOW = 16 * 1024;

    /** The loop the buffer belongs to, whose exception handler hears of a failing protocol. */
    final EventLoop loop;
    /** The marks when set to others than the defaults; null for the defaults (one field, not two ints, a connection). */
    private int[] marks;
    private boolean writingPaused;

    WriteFlow(EventLoop loop) {
        super();
        this.loop = loop;
    }

    /** Readiness, for a flow registered with the poller (a socket transport); the others never are. */
    @Override
    protected void ready(int readyOps) {
        throw new IllegalStateException(this + " is not registered with a poller");
    }

    /** The bytes that count against the marks: {@link Transport#getWriteBufferSize()}. */
    abstract long getWriteBufferSize();

    /** The protocol that writes into the buffer, and is paused and resumed: {@link Transport#protocol()}. */
    abstract Protocol protocol();

    /** Reports a failure (of the protocol's {@code pauseWriting}, say) to the loop's handler, naming this. */
    void report(String message, Throwable failure) {
        loop.callExceptionHandler(new ExceptionContext(message + " (" + this + ")", failure, null, null, null));
    }

    final int highWater() {
        int[] m = marks;
        return m == null ? DEFAULT_HIGH : m[0];
    }

    final int lowWater() {
        int[] m = marks;
        return m == null ? DEFAULT_LOW : m[1];
    }

    /**
     * Sets the marks; pausing or resuming at once is the caller's call, as CPython's transports
     * do it after setting theirs.
     */
    final void setWaterMarks(int high, int low) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        marks = high == DEFAULT_HIGH && low == DEFAULT_LOW ? null : new int[] {high, low};
    }

    /** CPython's {@code _maybe_pause_protocol}. */
    final void maybePauseProtocol() {
        if (!writingPaused && getWriteBufferSize() > highWater()) {
            writingPaused = true;
            try {
                protocol().pauseWriting();
            } catch (RuntimeException e) {
                report("protocol.pauseWriting() failed", e);
            }
        }
    }

    /** CPython's {@code _maybe_resume_protocol}. */
    final void maybeResumeProtocol() {
        if (writingPaused && getWriteBufferSize() <= lowWater()) {
            writingPaused = false;
            try {
                protocol().resumeWriting();
            } catch (RuntimeException e) {
                report("protocol.resumeWriting() failed", e);
            }
        }
    }
}
