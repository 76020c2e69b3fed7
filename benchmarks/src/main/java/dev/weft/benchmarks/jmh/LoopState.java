package dev.weft.benchmarks.jmh;

import dev.weft.runtime.Aio;
import dev.weft.runtime.EventLoop;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One event loop per benchmark thread for the whole trial, as an application keeps one loop: the
 * benchmarks measure the work on the loop, not the opening of its selector.
 */
@State(Scope.Thread)
public class LoopState {
    /** The loop, created before the first iteration and closed after the last. */
    public EventLoop loop;

    /** Opens the loop. */
    @Setup(Level.Trial)
    public void open() {
        loop = Aio.newEventLoop();
    }

    /** Closes the loop. */
    @TearDown(Level.Trial)
    public void close() {
        loop.close();
    }
}
