/**
 * Files as aiofiles gives them to asyncio: {@link dev.weft.runtime.files.AsyncFiles#open} and the
 * {@code aiofiles.os} helpers, every disk operation off the loop's thread.
 */
package dev.weft.runtime.files;
