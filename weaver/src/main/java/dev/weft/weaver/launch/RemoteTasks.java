package dev.weft.weaver.launch;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads the loops and tasks of a running JVM: attaches with the Attach API, starts the JVM's local
 * management agent, creates the runtime's {@code dev.weft.runtime.internal.Tasks} MXBean there by
 * class name if no earlier inspection did, and reads its snapshot over JMX as open data.
 *
 * <p>No Java agent is loaded into the target, so it prints nothing (JDK 21 and later warn on
 * standard error when an agent is loaded into a running JVM) and runs no code of this jar. The MBean
 * server finds the class through the target's system class loader: a program with Weft's runtime on
 * its class path or module path. For a runtime loaded by a class loader of its own, and only when
 * asked ({@code --agent}), {@link InspectAgent} is loaded into the target to register the MXBean.
 */
final class RemoteTasks {
    private static final String MBEAN_CLASS = "dev.weft.runtime.internal.Tasks";
    private static final String MBEAN_NAME = "dev.weft:type=Tasks";

    private RemoteTasks() {
    }

    /**
     * The pending tasks of every open loop of process {@code pid}, loop by loop, oldest first.
     *
     * @param agent whether to load {@link InspectAgent} into the process to find a runtime that its
     *              system class loader cannot see
     * @throws InspectException when the process does not exist, is not a JVM this user can attach
     *                          to, refuses the attach, or does not run Weft
     */
    static List<RemoteTask> read(long pid, boolean agent) throws InspectException {
        if (pid == ProcessHandle.current().pid()) {
            throw new InspectException("it is this command's own JVM");
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            throw new InspectException("no such process");
        }
        // Attaching to a process that is no JVM would send it SIGQUIT (HotSpot's way of waking a JVM's
        // attach listener), which ends most programs: only JVMs that announce themselves are tried.
        String id = Long.toString(pid);
        Optional<VirtualMachineDescriptor> descriptor = VirtualMachine.list().stream()
                .filter(d -> d.id().equals(id)).findFirst();
        if (descriptor.isEmpty()) {
            boolean java = process.get().info().command().map(c -> c.endsWith("/java") || c.endsWith("\\java.exe"))
                    .orElse(false);
            throw new InspectException(java
                    ? "the JVM does not list itself as attachable by user " + System.getProperty("user.name")
                            + " (it runs as another user, or with -XX:+DisableAttachMechanism, -XX:-UsePerfData or "
                            + "-XX:+PerfDisableSharedMem), so no attach was tried"
                    : "it is not a Java virtual machine of user " + System.getProperty("user.name"));
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(descriptor.get());
        } catch (AttachNotSupportedException | IOException e) {
            throw new InspectException("the attach was refused: " + causes(e));
        }
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                if (agent) {
                    loadAgent(vm, server);
                }
                return read(server);
            }
        } catch (IOException e) {
            throw new InspectException("the JMX connection failed: " + causes(e));
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // The snapshot is read; a detach that fails leaves nothing behind in this process.
            }
        }
    }

    /** Loads {@link InspectAgent} from a jar of that one class, unless the MXBean is there already. */
    private static void loadAgent(VirtualMachine vm, MBeanServerConnection server) throws IOException, InspectException {
        try {
            ObjectName name = new ObjectName(MBEAN_NAME);
            if (server.isRegistered(name)) {
                if (((Number) server.getAttribute(name, "LoopsMade")).intValue() > 0) {
                    return;
                }
                // Made by an earlier plain ps from a runtime on the class path that runs no loop: the
                // loops are in another loader's runtime, which the agent is asked to find.
                server.unregisterMBean(name);
            }
        } catch (MalformedObjectNameException impossible) {
            throw new IllegalStateException(impossible);
        } catch (JMException e) {
            throw new InspectException("its Weft runtime could not be read: " + causes(e));
        }
        Path jar = Files.createTempFile("weft-inspect-agent", ".jar");
        try {
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().putValue("Agent-Class", InspectAgent.class.getName());
            String entry = InspectAgent.class.getName().replace('.', '/') + ".class";
            try (InputStream in = InspectAgent.class.getClassLoader().getResourceAsStream(entry);
                    JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                if (in == null) {
                    throw new InspectException("this command's jar lacks " + entry + ", which --agent loads: "
                            + "run the weft-cli jar itself");
                }
                out.putNextEntry(new JarEntry(entry));
                in.transferTo(out);
                out.closeEntry();
            }
            vm.loadAgent(jar.toString(), MBEAN_NAME);
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new InspectException("the agent that looks for Weft's runtime failed in it: " + causes(e));
        } finally {
            // The process has read the class by now; a file it still holds open (Windows) goes at exit.
            try {
                Files.deleteIfExists(jar);
            } catch (IOException held) {
                jar.toFile().deleteOnExit();
            }
        }
    }

    private static List<RemoteTask> read(MBeanServerConnection server) throws IOException, InspectException {
        try {
            ObjectName name = new ObjectName(MBEAN_NAME);
            if (!server.isRegistered(name)) {
                try {
                    server.createMBean(MBEAN_CLASS, name);
                } catch (InstanceAlreadyExistsException raced) {
                    // Another inspection made it meanwhile: the same MBean.
                } catch (ReflectionException e) {
                    if (e.getCause() instanceof ClassNotFoundException) {
                        throw new InspectException("it does not run Weft (" + MBEAN_CLASS + " is not on its class path "
                                + "or module path, and no class loader of it has loaded dev.weft.runtime.EventLoop)", true);
                    }
                    throw e;
                }
            }
            if (((Number) server.getAttribute(name, "LoopsMade")).intValue() == 0) {
                throw new InspectException("it has Weft's runtime but has made no event loop", true);
            }
            return tasks((CompositeData[]) server.getAttribute(name, "Loops"));
        } catch (JMException | RuntimeException e) {
            throw new InspectException("its Weft runtime could not be read: " + causes(e));
        }
    }

    /**
     * A text from the target (a task's name, a thread's) with its control characters escaped as
     * Java writes them in a string literal (a newline as a backslash and n, ESC as a backslash, u and 001b), so that a name can neither
     * break a row of the table nor send the terminal an escape sequence.
     */
    static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (control && sb == null) {
                sb = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (sb != null) {
                if (!control) {
                    sb.append(c);
                } else if (c == '\n') {
                    sb.append("\\n");
                } else if (c == '\t') {
                    sb.append("\\t");
                } else if (c == '\r') {
                    sb.append("\\r");
                } else {
                    sb.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return sb == null ? text : sb.toString();
    }

    /**
     * A failure and its causes in one line, each as {@code Class: message}, for the error line: the
     * JMX layers wrap what went wrong in the target (a {@code RuntimeMBeanException} around the
     * real exception) and their own messages say little.
     */
    static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Throwable t = e; t != null && n < 8; t = t.getCause() == t ? null : t.getCause(), n++) {
            if (sb.length() > 0) {
                sb.append("; caused by ");
            }
            sb.append(t.getClass().getName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage().replace('\n', ' '));
            }
        }
        return sb.toString();
    }

    private static List<RemoteTask> tasks(CompositeData[] loops) {
        List<RemoteTask> tasks = new ArrayList<>();
        for (CompositeData loop : loops) {
            int number = (Integer) loop.get("number");
            String thread = printable((String) loop.get("thread"));
            for (CompositeData task : (CompositeData[]) loop.get("tasks")) {
                List<RemoteTask.Frame> stack = new ArrayList<>();
                for (CompositeData frame : (CompositeData[]) task.get("stack")) {
                    stack.add(new RemoteTask.Frame((String) frame.get("className"), (String) frame.get("methodName"),
                            (String) frame.get("fileName"), (Integer) frame.get("lineNumber")));
                }
                List<Integer> awaitedBy = Arrays.stream((int[]) task.get("awaitedBy")).boxed().toList();
                tasks.add(new RemoteTask(number, thread, (Integer) task.get("id"), printable((String) task.get("name")),
                        printable((String) task.get("state")), List.copyOf(stack), awaitedBy));
            }
        }
        return tasks;
    }
}
