package dev.weft.runtime.streams;

import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;
import dev.weft.runtime.kernel.Engine;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The protocol under a server's stream pair in debug mode: the handler's coroutine is its task's
 * own, and a done callback sees the task end. It does what {@link ServedStreamProtocol} does
 * without being a coroutine itself, which debug mode would record when it is made and report
 * when no task ever ran it (a handler that throws, a TLS handshake that fails); an idle
 * connection holds a done callback more.
 */
final class TaskedStreamProtocol implements StreamSide, Supplier<String>, Consumer<Future<Void>> {
    private final StreamReader reader;
    private final ConnectionHandler handler;

    TaskedStreamProtocol(EventLoop loop, int limit, ConnectionHandler handler) {
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
            Coroutine<Void> body = handler.handle(reader, new StreamWriter(reader));
            if (body == null) {
                throw new NullPointerException("the connection handler " + handler + " returned null, not a coroutine");
            }
            task = Engine.get().createTask(reader.loop(), body, this);
        } catch (Exception e) {
            ServedStreamProtocol.handlerFailed(reader, e);
            return;
        }
        task.addDoneCallback(this);
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
     *
     * @param task the handler's task
     */
    @Override
    public void accept(Future<Void> task) {
        ServedStreamProtocol.ended(reader, task);
    }

    @Override
    public String toString() {
        return "TaskedStreamProtocol[" + reader.transport() + "]";
    }
}
