package dev.weft.runtime.kernel;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * One channel's registration with a {@link Poller}: the handle a transport keeps to change what it
 * waits for ({@link #interestOps(int)}: pause reading, wait until writable) and to stop
 * ({@link #cancel()}). The poller queues it on the loop when the channel is ready, and the loop
 * runs it: it is its own ready-queue entry, so readiness allocates nothing.
 *
 * <p>A transport may be its own key: a subclass made with {@link #PollKey()} handles its readiness
 * in {@link #ready(int)} and takes over a registration with {@link #takeOver(PollKey)}, which
 * saves a connection an object.
 *
 * <p>For the loop's thread.
 */
public abstract class PollKey implements Runnable {
    SelectionKey key;
    /** What the selector last reported, until the loop runs the callback (the ops fit in a byte). */
    byte readyOps;
    /** Whether this key waits in the ready queue, so that it is queued once. */
    boolean queued;

    /**
     * For a subclass that handles its own readiness in {@link #ready(int)}: not registered until
     * it {@link #takeOver takes over} a registration.
     */
    protected PollKey() {
    }

    /** What {@link Poller#register} makes: a key that hands readiness to a callback. */
    static final class WithCallback extends PollKey {
        private IoCallback callback;

        WithCallback(IoCallback callback) {
            this.callback = callback;
        }

        @Override
        protected void ready(int readyOps) {
            callback.ready(this, readyOps);
        }

        @Override
        public IoCallback callback() {
            return callback;
        }

        @Override
        public void callback(IoCallback callback) {
            if (callback == null) {
                throw new NullPointerException("callback");
            }
            this.callback = callback;
        }
    }

    /**
     * Makes {@code registration}'s channel registration this key's: readiness runs this key from
     * now on, and {@code registration}, even if it is queued already, runs nothing again.
     *
     * @param registration a key from {@link Poller#register} or {@link Poller#keyFor}
     * @throws IllegalStateException when this key is registered already
     */
    protected final void takeOver(PollKey registration) {
        if (key != null) {
            throw new IllegalStateException(this + " is registered already");
        }
        key = registration.key;
        key.attach(this);
    }

    /**
     * Handles readiness (a key from {@link Poller#register} hands it to its callback). Called from
     * {@link #run()} with the operations ready that the key still waits for, never 0.
     *
     * @param readyOps the ready operations
     */
    protected abstract void ready(int readyOps);

    /**
     * The registered channel.
     *
     * @return the channel
     */
    public final SelectableChannel channel() {
        return key.channel();
    }

    /**
     * Hands the readiness of this registration to another callback, as when a connected channel
     * passes from the connect's waiter to its transport.
     *
     * @param callback what to run on readiness from now on
     * @throws UnsupportedOperationException for a key that handles its readiness itself
     */
    public void callback(IoCallback callback) {
        throw new UnsupportedOperationException(this + " handles its readiness itself: it has no callback");
    }

    /**
     * The callback that readiness runs.
     *
     * @return the callback, or null for a key that handles its readiness itself
     */
    public IoCallback callback() {
        return null;
    }

    /**
     * The operations this registration waits for.
     *
     * @return the interest set, 0 once cancelled
     */
    public final int interestOps() {
        return key.isValid() ? key.interestOps() : 0;
    }

    /**
     * Changes the operations this registration waits for; 0 keeps the registration but waits for
     * nothing (a paused reader), which lets a virtual clock jump again.
     *
     * @param ops the new interest set
     * @throws java.nio.channels.CancelledKeyException when the registration was cancelled
     */
    public final void interestOps(int ops) {
        key.interestOps(ops);
    }

    /** Ends the registration; its callback does not run again, even if it is queued already. */
    public final void cancel() {
        key.cancel();
    }

    /**
     * Whether the registration holds: neither cancelled nor its channel closed.
     *
     * @return true while registered
     */
    public final boolean isValid() {
        return key.isValid();
    }

    /**
     * Runs the callback with the readiness the poller saw, unless the registration was cancelled
     * meanwhile, another key took it over, or it no longer waits for those operations. Called by
     * the loop, from its ready queue.
     */
    @Override
    public final void run() {
        int ops = readyOps;
        readyOps = 0;
        queued = false;
        if (key.isValid() && key.attachment() == this) {
            ops &= key.interestOps();
            if (ops != 0) {
                ready(ops);
            }
        }
    }

    @Override
    public String toString() {
        if (key == null) {
            return "PollKey[unregistered]";
        }
        return "PollKey[" + (key.isValid() ? "interest=" + key.interestOps() : "cancelled") + ", " + key.channel()
                + ", " + callback() + "]";
    }
}
