package dev.weft.runtime.sync;

/**
 * Thrown by the puts and gets of a queue that was {@linkplain Queue#shutdown() shut down}: Python's
 * {@code asyncio.QueueShutDown}. A get throws it once the queue is empty, or at once after
 * {@code shutdown(true)}. Unchecked.
 */
public class QueueShutDown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the message "the queue is shut down". */
    public QueueShutDown() {
        super("the queue is shut down");
    }

    /**
     * With a message of its own.
     *
     * @param message the message
     */
    public QueueShutDown(String message) {
        super(message);
    }
}
