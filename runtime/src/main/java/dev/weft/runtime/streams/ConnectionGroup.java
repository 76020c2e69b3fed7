package dev.weft.runtime.streams;

import dev.weft.runtime.ExceptionContext;
import dev.weft.runtime.kernel.LoopIo;
import java.util.Arrays;

/**
 * What the socket transports of one server share (a client's transport has one of its own): the
 * flush of what they wrote, run once before the loop polls for all of them that wrote in that
 * turn, and what runs when one of them is lost (the server's count of its connections). An idle
 * connection keeps neither a closure for its flush nor one for its end.
 *
 * <p>For the loop's thread.
 */
final class ConnectionGroup implements Runnable {
    private final LoopIo io;
    private final Runnable onLost;
    /** The transports whose flush is queued, in the order they queued it. */
    private SocketTransport[] pending = new SocketTransport[4];
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

    /** Flushes {@code t} before the loop next polls, after the callbacks of this turn. */
    void queueFlush(SocketTransport t) {
        if (count == 0) {
            io.beforePoll(this);
        }
        if (count == pending.length) {
            pending = Arrays.copyOf(pending, count * 2);
        }
        pending[count++] = t;
    }

    /** The flush before the poll: each queued transport, in order, those queued meanwhile too. */
    @Override
    public void run() {
        // A flush may queue another (a protocol that writes when resumed): count and array may grow.
        for (int i = 0; i < count; i++) {
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
        count = 0;
        if (pending.length > 64) {
            pending = new SocketTransport[4];
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
