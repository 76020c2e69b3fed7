package dev.weft.runtime.internal;

import dev.weft.runtime.kernel.Engine;

/**
 * The MXBean that {@code ps} and {@code pstree} on Weft's command line read; not API.
 *
 * <p>Nothing registers it until a client asks: the command line attaches to the JVM, starts its
 * local management agent and creates this MBean there by class name
 * ({@code MBeanServerConnection.createMBean("dev.weft.runtime.internal.Tasks", "dev.weft:type=Tasks")}),
 * which is why the class is public, with a public constructor. A program nobody inspects loads
 * neither this class nor {@code java.management}.
 */
public final class Tasks implements TasksMXBean {
    /** The name the command line registers it under. */
    public static final String OBJECT_NAME = "dev.weft:type=Tasks";

    /** For the MBean server, which makes it by reflection. */
    public Tasks() {
    }

    @Override
    public LoopInfo[] getLoops() {
        return Engine.get().inspectLoops();
    }

    @Override
    public int getLoopsMade() {
        return Engine.get().loopsMade();
    }
}
