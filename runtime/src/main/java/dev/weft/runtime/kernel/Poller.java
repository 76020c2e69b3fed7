package dev.weft.runtime.kernel;

import java.io.IOException;
import java.nio.channels.SelectableChannel;

/**
 * What an event loop waits in: the readiness of registered channels, with a timeout, that another
 * thread can cut short. I/O is kept apart from the scheduler as CPython's
 * {@code _process_events} and Netty's {@code NioEventLoop} keep it: the loop asks the poller to
 * wait at most until its next timer, and the poller hands each ready registration back to the
 * loop's ready queue, where its callback runs on the loop's thread, in order with the other
 * callbacks of that iteration.
 *
 * <p>Every method but {@link #wakeup()} is for the loop's thread.
 */
public interface Poller {
    /**
     * Registers {@code channel} for the operations {@code ops} ({@link java.nio.channels.SelectionKey}'s
     * {@code OP_READ} and the rest; 0 registers it without interest). {@code callback} runs on the
     * loop's thread each time the channel is ready for one of the operations it is registered for
     * then.
     *
     * @param channel  a channel in non-blocking mode
     * @param ops      the interest set
     * @param callback what to run on readiness
     * @return the registration, which changes its interest set and is cancelled through
     * @throws IOException when the channel cannot be registered (it is closed, say)
     */
    PollKey register(SelectableChannel channel, int ops, IoCallback callback) throws IOException;

    /**
     * The registration of {@code channel} with this poller, if it has a valid one: a channel is
     * registered once per poller, so a second wait on it changes that registration.
     *
     * @param channel the channel
     * @return its registration, or null
     */
    PollKey keyFor(SelectableChannel channel);

    /**
     * Carries the cancellation of closed registrations through at once: a select that does not
     * wait, whose readiness is queued as {@link #poll(long)} queues it.
     *
     * @throws IOException when the underlying selector fails
     */
    void flushCancelled() throws IOException;

    /**
     * Waits for readiness, then queues the callbacks of the ready registrations on the loop.
     *
     * @param timeoutNanos how long to wait at most: 0 does not wait, a negative value waits until
     *                     readiness or {@link #wakeup()}
     * @throws IOException when the underlying selector fails
     */
    void poll(long timeoutNanos) throws IOException;

    /**
     * Makes the current or next waiting {@link #poll(long)} return at once; from any thread, and
     * cheap when called many times in a row. Between a poll's return and the next
     * {@link #prepareToWait()} the loop is awake, and a wake-up costs no system call: the loop
     * looks at what the caller of this method changed (its inbox, its stop flag) after
     * {@code prepareToWait()} and before it waits.
     */
    void wakeup();

    /**
     * Tells the poller that the loop is about to wait: from here on {@link #wakeup()} reaches the
     * poll. The loop calls it before a poll that may wait, then looks once more at whatever
     * another thread hands it with a wake-up, and polls without waiting if something came.
     * Without it, a poll that waits may miss a wake-up sent while the loop was awake.
     */
    void prepareToWait();

    /**
     * Whether some registration still waits for readiness (has a non-empty interest set): I/O in
     * flight, which a virtual clock must not jump over.
     *
     * @return true while a registration has interest
     */
    boolean hasInterest();

    /**
     * Releases the poller and closes the channel of every registration still on it, so that a
     * loop closed with connections or servers still open leaks no descriptor.
     *
     * @throws IOException when closing the selector fails
     */
    void close() throws IOException;
}
