package dev.weft.runtime.kernel;

/**
 * Marks a {@link dev.weft.runtime.Coroutine} of the runtime's own that debug mode does not record
 * when it is made, so never reports as never awaited: one that the runtime makes ahead of the
 * task that runs it and may drop unrun for reasons that are no mistake of the user's (a server's
 * connection protocol, when the handler throws or the TLS handshake fails). Debug mode still
 * records the coroutines such a one makes or is handed.
 */
public interface Unrecorded {
}
