package dev.weft.runtime.streams;

import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.ExceptionContext;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;
import dev.weft.runtime.kernel.Engine;
import dev.weft.runtime.kernel.Unrecorded;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The protocol under a server's stream pair (see {@link StreamSide}), which also starts the
 * handler's task: made, it runs {@code handler.handle(reader, writer)} in a task of its own, and
 * when that task ends cancelled the connection is closed, when it fails the failure is reported
 * and the connection closed, as CPython's {@code StreamReaderProtocol} does.
 *
 * <p>It is the task's root coroutine, the handler's coroutine its one child, and its name maker:
 * the task needs no done callback and no closure to see the handler end, which an idle connection
 * would hold for good. A task cancelled before its first step never runs its coroutine, so until
 * that step it has a done callback, which the step takes off again, and which marks the handler's
 * coroutine finished if it comes first.
 *
 * <p>Debug mode, which records every coroutine made and reports those no task ever ran, does not
 * record this one ({@link Unrecorded}): a connection whose handler throws, or whose TLS handshake
 * fails, never gets as far as its task, and that is no coroutine the user forgot. The handler's own
 * coroutine is recorded as any other.
 */
final class ServedStreamProtocol extends Coroutine<Void>
        implements StreamSide, Supplier<String>, Consumer<Future<Void>>, Unrecorded {
    private static final Engine ENGINE = Engine.get();
    private static final Object SUSPENDED = Engine.suspended();

    private final StreamReader reader;
    /** The handler until the connection is made; then its coroutine until the task's first step; then null. */
    private Object handler;

    ServedStreamProtocol(EventLoop loop, int limit, ConnectionHandler handler) {
        this.reader = new StreamReader(loop, limit);
        this.handler = handler;
    }

    @Override
    public StreamReader reader() {
        return reader;
    }

    @Override
    public void connectionMade(Transport t) {
        reader.setTransport(t);
        Task<Void> task;
        try {
            ConnectionHandler h = (ConnectionHandler) handler;
            // In debug mode the task is created where the server was started; for a server started
            // before debug mode was on, nowhere: the accept's own frames are the loop's.
            Throwable origin = NOWHERE;
            if (h instanceof Traced traced) {
                h = traced.handler();
                origin = traced.origin();
            }
            Coroutine<Void> body = h.handle(reader, new StreamWriter(reader));
            if (body == null) {
                throw new NullPointerException("the connection handler " + h + " returned null, not a coroutine");
            }
            handler = body;
            // Named when asked: an idle connection keeps no string of its peer's address.
            task = ENGINE.createTask(reader.loop(), this, this, origin);
        } catch (Exception e) {
            handler = null;
            handlerFailed(e, null);
            return;
        }
        task.addDoneCallback(this);
    }

    /**
     * Runs the handler's coroutine, inline at the first step; resumed when it is done, with its
     * outcome, which becomes the task's.
     */
    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        if (handler instanceof Coroutine<?> body) {
            handler = null;
            // The task has run: its end is seen here from now on.
            currentTask().removeDoneCallback(this);
            try {
                value = ENGINE.await(this, body);
            } catch (Throwable e) {
                failure = e;
            }
            if (failure == null && value == SUSPENDED) {
                return SUSPENDED;
            }
        }
        // The handler is done, and the task with it once this returns: what its done callback would
        // do then, as one (scheduled now, it runs after the task completed).
        Future<Void> task = currentTask();
        reader.loop().callSoon(() -> accept(task));
        if (failure != null) {
            throw failure;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Task<Void> currentTask() {
        return (Task<Void>) Aio.currentTask();
    }

    /**
     * The handler task's name, made when first asked for.
     *
     * @return {@code connection} and the peer's address
     */
    @Override
    public String get() {
        return "connection " + reader.transport().remoteAddress();
    }

    /**
     * The handler task is done: a cancelled one closes the connection, a failed one is reported.
     * One cancelled before its first step never ran the handler's coroutine, which is finished
     * here, as the task's root was, so that debug mode does not report it as never awaited.
     *
     * @param task the handler's task
     */
    @Override
    public void accept(Future<Void> task) {
        if (handler instanceof Coroutine<?> body) {
            handler = null;
            ENGINE.finishUnstarted(body);
        }
        if (task.isCancelled()) {
            // As CPython: nobody is left to close this connection, so it would stay open for good.
            reader.transport().close();
            return;
        }
        Throwable e = task.exception();
        if (e != null) {
            handlerFailed(e, (Task<?>) task);
        }
    }

    /**
     * Reports the handler's failure and closes the connection; {@code task} is the connection's
     * task (whose creation site debug mode reports with it), or null when the handler failed
     * before one was made.
     */
    private void handlerFailed(Throwable e, Task<?> task) {
        Transport t = reader.transport();
        reader.loop().callExceptionHandler(new ExceptionContext("Unhandled exception in the connection handler for "
                + t.remoteAddress(), e, task, null, null));
        t.close();
    }

    @Override
    public String toString() {
        return "ServedStreamProtocol[" + reader.transport() + "]";
    }

    /**
     * The handler a server started on {@code loop} serves its connections with: {@code handler}
     * itself, or in debug mode {@code handler} with where the server was started, which each
     * connection's task then shows as where it was created (a task made on accept would otherwise
     * show the loop's own frames).
     */
    static ConnectionHandler traced(EventLoop loop, ConnectionHandler handler) {
        if (!loop.isDebug()) {
            return handler;
        }
        Throwable origin = new Throwable("server started here");
        StackTraceElement[] frames = origin.getStackTrace();
        int i = 0;
        while (i < frames.length && (frames[i].getClassName().equals(ServedStreamProtocol.class.getName())
                || frames[i].getClassName().equals(Streams.class.getName()))) {
            i++;
        }
        origin.setStackTrace(java.util.Arrays.copyOfRange(frames, i, frames.length));
        return new Traced(handler, origin);
    }

    /** The creation site of a connection's task when its server was started outside debug mode: none. */
    private static final Throwable NOWHERE = new Throwable("no creation site", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    /** In debug mode, a server's handler and where the server was started. */
    private record Traced(ConnectionHandler handler, Throwable origin) implements ConnectionHandler {
        // Only to be a ConnectionHandler where the server keeps one: connectionMade unwraps it first.
        @Override
        public Coroutine<Void> handle(StreamReader reader, StreamWriter writer) throws Exception {
            return handler.handle(reader, writer);
        }
    }
}
