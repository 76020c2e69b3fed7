package dev.weft.runtime.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;

/**
 * What a transport needs from its event loop beyond the public API: the poller to register its
 * channel with, a hook that runs once after the callbacks of an iteration and before the loop
 * polls again (where buffered writes go out together, one system call for a burst of writes), and
 * a read buffer shared by every transport of the loop (a read is handed to its protocol and
 * consumed before the next read, so one buffer serves them all, and an idle connection holds none).
 *
 * <p>For the loop's thread.
 */
public interface LoopIo {
    /**
     * Registers {@code channel} with the loop's poller; see {@link Poller#register}.
     *
     * @param channel  a channel in non-blocking mode
     * @param ops      the interest set
     * @param callback what to run on readiness
     * @return the registration
     * @throws IOException when the channel cannot be registered
     */
    PollKey register(SelectableChannel channel, int ops, IoCallback callback) throws IOException;

    /**
     * Fails at once, naming {@code what}, when called from a thread other than the loop's while it runs.
     *
     * @param what the method called
     * @throws IllegalStateException off the loop's thread
     */
    void checkThread(String what);

    /**
     * The registration of {@code channel} with this loop's poller, if it has a valid one.
     *
     * @param channel the channel
     * @return its registration, or null
     */
    PollKey keyFor(SelectableChannel channel);

    /**
     * Runs {@code flush} once, after the callbacks of the current iteration and before the next
     * poll. A flush queued while the hooks run goes with them.
     *
     * @param flush what to run
     */
    void beforePoll(Runnable flush);

    /**
     * Carries the cancellations of closed registrations through to the operating system now (a
     * closed listening socket registered with a selector keeps listening until the selector's next
     * select), queueing any readiness that select sees as a poll would.
     *
     * @throws IOException when the selector fails
     */
    void flushCancelled() throws IOException;

    /**
     * The loop's read buffer: a direct buffer that a transport clears, reads into and hands to its
     * protocol, which must consume it before returning.
     *
     * @return the buffer
     */
    ByteBuffer readBuffer();

    /** The size of the write chunks that {@link #takeChunk()} hands out. */
    int CHUNK = 16 * 1024;

    /**
     * A cleared buffer for a transport's outgoing bytes: a direct one of {@link #CHUNK} bytes from
     * the loop's pool, or, once the pool's chunks are all in use, a smaller heap one (check its
     * capacity). A connection holds one only while it has bytes to send.
     *
     * @return the chunk
     */
    ByteBuffer takeChunk();

    /**
     * Gives a chunk from {@link #takeChunk()} back to the pool.
     *
     * @param chunk the chunk, no longer used by the caller
     */
    void giveChunk(ByteBuffer chunk);

    /**
     * Counts a hand-off that another thread will deliver with {@link #deliver(Runnable)}: until
     * then a virtual clock waits for it for real before it jumps. From any thread.
     */
    void expect();

    /**
     * Runs {@code r} on the loop's thread soon, ending one hand-off counted by {@link #expect()}.
     * From any thread; dropped when the loop is closed.
     *
     * @param r what to run
     */
    void deliver(Runnable r);

    /**
     * Runs {@code hook} when the loop closes, before its channels are closed: what a child process
     * or a pipe thread needs to end with the loop.
     *
     * @param hook what to run
     */
    void atClose(Runnable hook);

    /**
     * Forgets a hook given to {@link #atClose(Runnable)}.
     *
     * @param hook the hook
     */
    void removeAtClose(Runnable hook);
}
