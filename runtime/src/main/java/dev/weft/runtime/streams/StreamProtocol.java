package dev.weft.runtime.streams;

import dev.weft.runtime.EventLoop;
import dev.weft.runtime.ExceptionContext;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;
import dev.weft.runtime.kernel.Engine;
import dev.weft.runtime.kernel.Waiters;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The protocol under a stream pair: CPython's {@code StreamReaderProtocol} with its
 * {@code FlowControlMixin}. Feeds the reader, holds the writer's drain waiters and the
 * connection's end, and on a server starts the handler's task.
 */
// It is its task's name maker and done callback itself, which saves an idle connection two closures.
final class StreamProtocol implements Protocol, Supplier<String>, Consumer<Future<Void>> {
    private final EventLoop loop;
    private final StreamReader reader;
    private final ConnectionHandler handler;
    private final boolean overTls;
    private Transport transport;
    private StreamWriter writer;

    private boolean paused;
    private ArrayDeque<Future<Void>> drainWaiters;
    private boolean lost;
    private Exception lostWith;
    private List<Future<Void>> closedWaiters;

    StreamProtocol(EventLoop loop, int limit, ConnectionHandler handler, boolean overTls) {
        this.loop = loop;
        this.reader = new StreamReader(loop, limit);
        this.handler = handler;
        this.overTls = overTls;
    }

    StreamReader reader() {
        return reader;
    }

    StreamWriter writer() {
        return writer;
    }

    @Override
    public void connectionMade(Transport t) {
        transport = t;
        reader.setTransport(t);
        writer = new StreamWriter(t, this, reader, loop);
        if (handler != null) {
            Task<Void> task;
            try {
                // Named when asked: an idle connection keeps no string of its peer's address.
                task = Engine.get().createTask(loop, handler.handle(reader, writer), this);
            } catch (Exception e) {
                handlerFailed(e);
                return;
            }
            task.addDoneCallback(this);
        }
    }

    /**
     * The handler task's name, made when first asked for.
     *
     * @return {@code connection} and the peer's address
     */
    @Override
    public String get() {
        return "connection " + transport.remoteAddress();
    }

    /**
     * The handler task is done: a cancelled one closes the connection, a failed one is reported.
     *
     * @param task the handler's task
     */
    @Override
    public void accept(Future<Void> task) {
        if (task.isCancelled()) {
            // As CPython: nobody is left to close this connection, so it would stay open for good.
            transport.close();
            return;
        }
        Throwable e = task.exception();
        if (e != null) {
            handlerFailed(e);
        }
    }

    private void handlerFailed(Throwable e) {
        loop.callExceptionHandler(new ExceptionContext("Unhandled exception in the connection handler for "
                + transport.remoteAddress(), e, null, null, null));
        transport.close();
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        reader.feedData(data);
    }

    @Override
    public boolean eofReceived() {
        reader.feedEof();
        // Over TLS the end of the stream closes the connection: TLS has no half-close.
        return !overTls;
    }

    @Override
    public void connectionLost(Exception failure) {
        if (failure == null) {
            reader.feedEof();
        } else {
            reader.setException(failure);
        }
        lost = true;
        lostWith = failure;
        if (paused) {
            Waiters.settle(drainWaiters, failure);
        }
        Waiters.settle(closedWaiters, failure);
        closedWaiters = null;
    }

    @Override
    public void pauseWriting() {
        paused = true;
    }

    @Override
    public void resumeWriting() {
        paused = false;
        Waiters.settle(drainWaiters, null);
    }

    boolean isLost() {
        return lost;
    }

    Exception lostWith() {
        return lostWith;
    }

    boolean isPaused() {
        return paused;
    }

    Future<Void> drainWaiter() {
        Future<Void> w = loop.createFuture();
        if (drainWaiters == null) {
            drainWaiters = new ArrayDeque<>(2);
        }
        drainWaiters.addLast(w);
        return w;
    }

    void removeDrainWaiter(Future<Void> w) {
        drainWaiters.remove(w);
    }

    /** A future of the connection's end, made only for a task that waits for it. */
    Future<Void> closedWaiter() {
        Future<Void> w = loop.createFuture();
        if (closedWaiters == null) {
            closedWaiters = new ArrayList<>(1);
        }
        closedWaiters.add(w);
        return w;
    }

    @Override
    public String toString() {
        return "StreamProtocol[" + transport + "]";
    }
}
