package dev.weft.runtime.internal;

/**
 * The management interface of {@link Tasks}: what {@code ps} and {@code pstree} on Weft's command
 * line read from a running JVM over JMX. Not API: the shape may change with the runtime, and the
 * command line of the same version is its only client.
 *
 * <p>As an MXBean its values cross the wire as JMX open types ({@code CompositeData} arrays), so a
 * client needs none of the runtime's classes; JConsole and VisualVM show it as it is.
 */
public interface TasksMXBean {
    /**
     * A snapshot of every event loop of the JVM that is not closed, in the order they were made,
     * with their pending tasks. Read from the calling thread without stopping any loop: a loop that
     * is busy or stuck is read as it is, and a task moving meanwhile may be read torn, never failing.
     *
     * @return the loops
     */
    LoopInfo[] getLoops();

    /**
     * How many event loops the JVM has made, closed ones included.
     *
     * @return 0 when the process has never used Weft's runtime
     */
    int getLoopsMade();
}
