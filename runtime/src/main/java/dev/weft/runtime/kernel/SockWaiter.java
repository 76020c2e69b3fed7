package dev.weft.runtime.kernel;

import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * The readiness waits of the loop's low-level socket calls on one channel: one reader (read or
 * accept) and one writer (write or connect) at a time, as asyncio's {@code sock_*} calls allow.
 * It is the callback of the channel's single registration with the loop's poller, and a wait that
 * ends takes its operation out of the interest set again, so an idle channel waits for nothing.
 */
public final class SockWaiter implements IoCallback {
    private static final int READS = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
    private static final int WRITES = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

    private final EventLoop loop;
    private PollKey key;
    private Future<Void> reader;
    private Future<Void> writer;

    private SockWaiter(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * The waiter of {@code channel} on {@code loop}, registering the channel on first use.
     *
     * @param loop    the running loop
     * @param channel a non-blocking channel
     * @return its waiter
     * @throws IOException when the channel cannot be registered
     * @throws IllegalStateException when the channel is registered with this loop by something else,
     *                               a transport say
     */
    public static SockWaiter of(EventLoop loop, SelectableChannel channel) throws IOException {
        LoopIo io = Engine.get().io(loop);
        PollKey k = io.keyFor(channel);
        if (k == null) {
            SockWaiter w = new SockWaiter(loop);
            w.key = io.register(channel, 0, w);
            return w;
        }
        if (k.callback() instanceof SockWaiter w) {
            return w;
        }
        throw new IllegalStateException(channel + " is in use by " + (k.callback() != null ? k.callback() : k)
                + ": a channel that a transport drives cannot take low-level socket calls");
    }

    /**
     * Starts waiting until the channel is ready for {@code op}.
     *
     * @param op        one of {@code OP_READ}, {@code OP_ACCEPT}, {@code OP_WRITE}, {@code OP_CONNECT}
     * @param operation the call's name, for the error when another task waits already
     * @return a future that completes on readiness
     * @throws IllegalStateException when another task waits for the same direction
     */
    public Future<Void> waitFor(int op, String operation) {
        boolean read = (op & READS) != 0;
        if ((read ? reader : writer) != null) {
            throw new IllegalStateException(operation + " called while another task waits to "
                    + (read ? "read from" : "write to") + " " + key.channel());
        }
        Future<Void> f = loop.createFuture();
        if (read) {
            reader = f;
        } else {
            writer = f;
        }
        key.interestOps(key.interestOps() | op);
        return f;
    }

    /**
     * Ends the wait for {@code op}, however it ended (readiness, cancellation, failure).
     *
     * @param op the operation given to {@link #waitFor}
     */
    public void done(int op) {
        if ((op & READS) != 0) {
            reader = null;
        } else {
            writer = null;
        }
        if (key.isValid()) {
            key.interestOps(key.interestOps() & ~op);
        }
    }

    @Override
    public void ready(PollKey k, int readyOps) {
        if ((readyOps & READS) != 0) {
            wake(reader);
            k.interestOps(k.interestOps() & ~READS);
        }
        if ((readyOps & WRITES) != 0) {
            wake(writer);
            k.interestOps(k.interestOps() & ~WRITES);
        }
    }

    private static void wake(Future<Void> f) {
        if (f != null && !f.isDone()) {
            f.setResult(null);
        }
    }

    @Override
    public String toString() {
        return "SockWaiter[" + (reader != null ? "reader " : "") + (writer != null ? "writer" : "") + "]";
    }
}
