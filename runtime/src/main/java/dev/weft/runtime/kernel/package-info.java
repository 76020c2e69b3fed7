/**
 * The runtime's back room, shared between its own packages and not exported by the module: the
 * engine behind the woven-code protocol ({@link dev.weft.runtime.kernel.Engine}) and the poller
 * that the event loop waits in and that transports register their channels with
 * ({@link dev.weft.runtime.kernel.Poller}); and what the toolbox packages share, such as the one
 * sneaky throw ({@link dev.weft.runtime.kernel.Sneaky}). Not API: on the class path these types
 * are reachable, so the engine's install hook checks its caller as well.
 */
package dev.weft.runtime.kernel;
