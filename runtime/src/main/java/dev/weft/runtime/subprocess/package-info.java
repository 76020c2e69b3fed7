/**
 * Child processes with their standard streams as {@link dev.weft.runtime.streams.StreamReader}s and a
 * {@link dev.weft.runtime.streams.StreamWriter}: asyncio's {@code asyncio.subprocess}. Start one
 * with {@link dev.weft.runtime.Aio#createSubprocessExec(String...)}.
 */
package dev.weft.runtime.subprocess;
