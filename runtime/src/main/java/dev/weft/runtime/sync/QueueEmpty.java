package dev.weft.runtime.sync;

/**
 * Thrown by {@link Queue#getNowait()} when the queue is empty: Python's {@code asyncio.QueueEmpty}. Unchecked.
 */
public class QueueEmpty extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the message "the queue is empty". */
    public QueueEmpty() {
        super("the queue is empty");
    }

    /**
     * With a message of its own.
     *
     * @param message the message
     */
    public QueueEmpty(String message) {
        super(message);
    }
}
