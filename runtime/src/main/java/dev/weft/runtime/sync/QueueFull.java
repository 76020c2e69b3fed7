package dev.weft.runtime.sync;

/**
 * Thrown by {@link Queue#putNowait(Object)} when the queue is full: Python's {@code asyncio.QueueFull}. Unchecked.
 */
public class QueueFull extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the message "the queue is full". */
    public QueueFull() {
        super("the queue is full");
    }

    /**
     * With a message of its own.
     *
     * @param message the message
     */
    public QueueFull(String message) {
        super(message);
    }
}
