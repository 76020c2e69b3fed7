package dev.weft.runtime.streams;

import dev.weft.runtime.ExceptionContext;
import dev.weft.runtime.kernel.LoopIo;
import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * What the socket transports of one server share (the client transports of one loop share one
 * too): the flush of what they wrote, run once before the loop polls for all of them that wrote
 * in that turn, and what runs when one of them is lost (the server's count of its connections).
 * An idle connection keeps neither a closure for its flush nor one for its end.
 *
 * <p>For the loop's thread.
 */
final class ConnectionGroup implements Runnable {
    private static final SocketTransport[] NONE = {};
    /**
     * The group of the client transports of the loop that last made one on this thread, held
     * weakly: its transports hold it, and a closed loop is not kept for it.
     */
    private static final ThreadLocal<WeakReference<ConnectionGroup>> CLIENTS = new ThreadLocal<>();

    private final LoopIo io;
    private final Runnable onLost;
    /** The transports whose flush is queued, in the order they queued it; made at the first. */
    private SocketTransport[] pending = NONE;
    private int count;

    /**
     * @param io     the loop's I/O side
     * @param onLost runs once for each transport of the group that is lost, after its protocol
     *               heard of it; null for nothing
     */
    ConnectionGroup(LoopIo io, Runnable onLost) {
        this.io = io;
        this.onLost = onLost;
    }

    /**
     * The group the client transports of {@code io}'s loop share: kept for the loop thread's
     * latest loop, so a thread that runs one loop after another makes one for each.
     */
    static ConnectionGroup clients(LoopIo io) {
        WeakReference<ConnectionGroup> ref = CLIENTS.get();
        ConnectionGroup g = ref == null ? null : ref.get();
        if (g == null || g.io != io) {
            g = new ConnectionGroup(io, null);
            CLIENTS.set(new WeakReference<>(g));
        }
        return g;
    }

    /** Flushes {@code t} before the loop next polls, after the callbacks of this turn. */
    void queueFlush(SocketTransport t) {
        if (count == 0) {
            io.beforePoll(this);
        }
        if (count == pending.length) {
            pending = Arrays.copyOf(pending, Math.max(4, count * 2));
        }
        pending[count++] = t;
    }

    /** The flush before the poll: each queued transport, in order, those queued meanwhile too. */
    @Override
    public void run() {
        int i = 0;
        try {
            // A flush may queue another (a protocol that writes when resumed): count and array may grow.
            for (; i < count; i++) {
                SocketTransport t = pending[i];
                pending[i] = null;
                try {
                    t.flushQueued();
                } catch (RuntimeException e) {
                    // As the loop reports a failing before-poll hook: the other transports still flush.
                    t.loop.callExceptionHandler(new ExceptionContext("exception in a before-poll hook (the flush of "
                            + t + ")", e, null, null, null));
                }
            }
        } finally {
            // After an Error, the transports not flushed yet wait for the next turn, queued again.
            int left = count - Math.min(count, i + 1);
            if (left > 0) {
                System.arraycopy(pending, count - left, pending, 0, left);
                Arrays.fill(pending, left, count, null);
                count = left;
                io.beforePoll(this);
            } else {
                count = 0;
                if (pending.length > 64) {
                    pending = NONE;
                }
            }
        }
    }

    /** A transport of the group was lost. */
    void lost() {
        if (onLost != null) {
            onLost.run();
        }
    }

    @Override
    public String toString() {
        return "ConnectionGroup[" + count + " flushes queued]";
    }
}
