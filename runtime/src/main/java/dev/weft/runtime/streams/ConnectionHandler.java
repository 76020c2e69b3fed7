package dev.weft.runtime.streams;

import dev.weft.runtime.Coroutine;

/**
 * What a server runs for each connection, in a task of its own: asyncio's
 * {@code client_connected_cb}. A failure goes to the loop's exception handler and closes that
 * connection only. Returning does not close the connection (the writer may have been handed to
 * another task, as in CPython): close the writer when done.
 */
@FunctionalInterface
public interface ConnectionHandler {
    /**
     * Serves one connection.
     *
     * @param reader what the peer sends
     * @param writer what goes back
     * @return the coroutine that serves it
     * @throws Exception when the handler fails before its coroutine is made
     */
    Coroutine<Void> handle(StreamReader reader, StreamWriter writer) throws Exception;
}
