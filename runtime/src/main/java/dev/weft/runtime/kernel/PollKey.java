package dev.weft.runtime.kernel;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * One channel's registration with a {@link Poller}: the handle a transport keeps to change what it
 * waits for ({@link #interestOps(int)}: pause reading, wait until writable) and to stop
 * ({@link #cancel()}). The poller queues it on the loop when the channel is ready, and the loop
 * runs it: it is its own ready-queue entry, so readiness allocates nothing.
 *
 * <p>For the loop's thread.
 */
public final class PollKey implements Runnable {
    private IoCallback callback;
    SelectionKey key;
    /** What the selector last reported, until the loop runs the callback. */
    int readyOps;
    /** Whether this key waits in the ready queue, so that it is queued once. */
    boolean queued;

    PollKey(IoCallback callback) {
        this.callback = callback;
    }

    /**
     * The registered channel.
     *
     * @return the channel
     */
    public SelectableChannel channel() {
        return key.channel();
    }

    /**
     * Hands the readiness of this registration to another callback, as when a connected channel
     * passes from the connect's waiter to its transport.
     *
     * @param callback what to run on readiness from now on
     */
    public void callback(IoCallback callback) {
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        this.callback = callback;
    }

    /**
     * The callback that readiness runs.
     *
     * @return the callback
     */
    public IoCallback callback() {
        return callback;
    }

    /**
     * The operations this registration waits for.
     *
     * @return the interest set, 0 once cancelled
     */
    public int interestOps() {
        return key.isValid() ? key.interestOps() : 0;
    }

    /**
     * Changes the operations this registration waits for; 0 keeps the registration but waits for
     * nothing (a paused reader), which lets a virtual clock jump again.
     *
     * @param ops the new interest set
     * @throws java.nio.channels.CancelledKeyException when the registration was cancelled
     */
    public void interestOps(int ops) {
        key.interestOps(ops);
    }

    /** Ends the registration; its callback does not run again, even if it is queued already. */
    public void cancel() {
        key.cancel();
    }

    /**
     * Whether the registration holds: neither cancelled nor its channel closed.
     *
     * @return true while registered
     */
    public boolean isValid() {
        return key.isValid();
    }

    /**
     * Runs the callback with the readiness the poller saw, unless the registration was cancelled
     * meanwhile or no longer waits for those operations. Called by the loop, from its ready queue.
     */
    @Override
    public void run() {
        int ops = readyOps;
        readyOps = 0;
        queued = false;
        if (key.isValid()) {
            ops &= key.interestOps();
            if (ops != 0) {
                callback.ready(this, ops);
            }
        }
    }

    @Override
    public String toString() {
        return "PollKey[" + (key.isValid() ? "interest=" + key.interestOps() : "cancelled") + ", " + key.channel()
                + ", " + callback + "]";
    }
}
