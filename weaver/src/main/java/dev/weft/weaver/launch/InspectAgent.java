package dev.weft.weaver.launch;

import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What {@code ps --agent} and {@code pstree --agent} load into a JVM whose Weft runtime no class path
 * shows: a class loader of its own loaded it (an application server, a Spring Boot jar), so the MBean
 * server cannot make the runtime's MXBean by name. The agent finds the loader that loaded
 * {@code dev.weft.runtime.EventLoop} among the JVM's loaded classes and registers the runtime's
 * {@code dev.weft.runtime.internal.Tasks} from there, under the name the command line reads.
 *
 * <p>The command line hands the JVM a jar of this one class, so that nothing else of the command
 * line's jar lands on the process's class path. JDK 21 and later print a warning on the process's
 * standard error when an agent is loaded into it while it runs: this path is taken only when asked.
 */
public final class InspectAgent {
    private InspectAgent() {
    }

    /**
     * Registers the runtime's MXBean, if some class loader has loaded the runtime and it is not
     * registered yet; does nothing otherwise (the command line then reports that).
     *
     * @param name            the MBean's name
     * @param instrumentation the JVM's instrumentation
     * @throws Exception when the MXBean cannot be made or registered, which the command line reports
     */
    public static void agentmain(String name, Instrumentation instrumentation) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName objectName = new ObjectName(name);
        if (server.isRegistered(objectName)) {
            return;
        }
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            if (c.getName().equals("dev.weft.runtime.EventLoop")) {
                Class<?> tasks = Class.forName("dev.weft.runtime.internal.Tasks", true, c.getClassLoader());
                server.registerMBean(tasks.getConstructor().newInstance(), objectName);
                return;
            }
        }
    }
}
