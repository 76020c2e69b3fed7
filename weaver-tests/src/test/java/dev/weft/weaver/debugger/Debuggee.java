package dev.weft.weaver.debugger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.Bootstrap;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.Location;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.IllegalConnectorArgumentsException;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.LocatableEvent;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequestManager;
import com.sun.jdi.request.StepRequest;
import dev.weft.runtime.Coroutine;
import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.WeaveResult;
import dev.weft.weaver.Weaver;
import dev.weft.weaver.testing.TestCompiler;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A woven program run in a child JVM under JDI, attached over a loopback socket: the test sets
 * breakpoints by source line, steps, and reads the stopped frame's locals. Every wait is bounded;
 * {@link #close} disposes of the connection and kills the child whatever happened.
 */
final class Debuggee implements AutoCloseable {
    private static final long WAIT_MILLIS = 60_000;
    private static final Pattern LISTENING = Pattern.compile("Listening for transport dt_socket at address: (\\d+)");

    private final Process process;
    private final VirtualMachine vm;
    private final ReferenceType type;
    private final List<String> sourceLines;
    private final ByteArrayOutputStream output;
    private EventSet pending;

    private Debuggee(Process process, VirtualMachine vm, ReferenceType type, List<String> sourceLines,
                     ByteArrayOutputStream output, EventSet pending) {
        this.process = process;
        this.vm = vm;
        this.type = type;
        this.sourceLines = sourceLines;
        this.output = output;
        this.pending = pending;
    }

    /**
     * Compiles the resource with javac 17, weaves it, starts {@code main} suspended under the
     * debugger on the JDK that runs the test, and stops when {@code main}'s class is prepared.
     */
    static Debuggee launch(Path dir, String resource, String main) throws Exception {
        Path classes = writeWoven(dir.resolve("classes"), TestCompiler.javac17().compileResources(resource));
        String classpath = classes + File.pathSeparator + runtimeClasses();
        Process process = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0",
                "-cp", classpath, main).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = reader.readLine();
            Matcher listening = first == null ? null : LISTENING.matcher(first);
            if (listening == null || !listening.find()) {
                fail("the debuggee did not say where it listens: " + first);
            }
            Thread drain = new Thread(() -> {
                try {
                    reader.transferTo(new java.io.OutputStreamWriter(output, StandardCharsets.UTF_8) {
                        @Override
                        public void write(char[] chars, int off, int len) throws IOException {
                            super.write(chars, off, len);
                            flush();
                        }
                    });
                } catch (IOException ignored) {
                    // the child is gone
                }
            }, "debuggee-output");
            drain.setDaemon(true);
            drain.start();
            VirtualMachine vm = attach(listening.group(1));
            ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
            prepare.addClassFilter(main);
            prepare.enable();
            vm.resume();
            Debuggee debuggee = new Debuggee(process, vm, null, List.of(), output, null);
            EventSet set = debuggee.waitFor(ClassPrepareEvent.class);
            ReferenceType type = ((ClassPrepareEvent) set.eventIterator().nextEvent()).referenceType();
            return new Debuggee(process, vm, type, TestCompiler.readResource(resource).lines().toList(), output, set);
        } catch (Exception | Error e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static VirtualMachine attach(String port) throws IOException, IllegalConnectorArgumentsException {
        AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                .filter(c -> c.name().equals("com.sun.jdi.SocketAttach")).findFirst()
                .orElseThrow(() -> new AssertionError("no com.sun.jdi.SocketAttach connector"));
        Map<String, Connector.Argument> arguments = socket.defaultArguments();
        arguments.get("hostname").setValue("127.0.0.1");
        arguments.get("port").setValue(port);
        arguments.get("timeout").setValue(Long.toString(WAIT_MILLIS));
        return socket.attach(arguments);
    }

    private static Path writeWoven(Path classes, Map<String, byte[]> compiled) throws IOException {
        Weaver weaver = new Weaver(ClassHierarchy.ofBytes(compiled, ClassHierarchy.of(TestCompiler.testClasspath())));
        for (Map.Entry<String, byte[]> entry : compiled.entrySet()) {
            WeaveResult result = weaver.weave(entry.getValue());
            assertTrue(result.diagnostics().isEmpty(), () -> entry.getKey() + ": " + result.diagnostics());
            Map<String, byte[]> out = result.changed() ? result.classes() : Map.of(entry.getKey(), entry.getValue());
            for (Map.Entry<String, byte[]> woven : out.entrySet()) {
                Path file = classes.resolve(woven.getKey() + ".class");
                Files.createDirectories(file.getParent());
                Files.write(file, woven.getValue());
            }
        }
        return classes;
    }

    private static String runtimeClasses() throws URISyntaxException {
        return Paths.get(Coroutine.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** The line of the source whose text contains {@code text}: exactly one must. */
    int lineOf(String text) {
        int found = -1;
        for (int i = 0; i < sourceLines.size(); i++) {
            if (sourceLines.get(i).contains(text)) {
                assertEquals(-1, found, "two lines contain " + text);
                found = i + 1;
            }
        }
        assertTrue(found > 0, "no line contains " + text);
        return found;
    }

    /** A breakpoint at every location of the line in the program's class, as an IDE sets one. */
    void breakAt(int line) throws AbsentInformationException {
        List<Location> locations = type.locationsOfLine(line);
        assertFalse(locations.isEmpty(), "no code on line " + line);
        for (Location location : locations) {
            BreakpointRequest request = vm.eventRequestManager().createBreakpointRequest(location);
            request.setSuspendPolicy(BreakpointRequest.SUSPEND_EVENT_THREAD);
            request.enable();
        }
    }

    /** Runs to the first stop on the line, then removes every breakpoint, so that only steps stop it. */
    BreakpointEvent stopOnceAt(int line) throws AbsentInformationException, InterruptedException {
        breakAt(line);
        BreakpointEvent stop = next(BreakpointEvent.class);
        clearBreakpoints();
        return stop;
    }

    /** Removes every breakpoint. */
    void clearBreakpoints() {
        EventRequestManager requests = vm.eventRequestManager();
        requests.deleteEventRequests(requests.breakpointRequests());
    }

    /**
     * A one-line step of the stopped thread, taken when the next event is waited for.
     *
     * @param depth    {@link StepRequest#STEP_OVER}, {@code STEP_INTO} or {@code STEP_OUT}
     * @param excluded class patterns not to stop in, as an IDE's step filters
     */
    void step(LocatableEvent from, int depth, String... excluded) {
        EventRequestManager requests = vm.eventRequestManager();
        requests.deleteEventRequests(requests.stepRequests());
        StepRequest step = requests.createStepRequest(from.thread(), StepRequest.STEP_LINE, depth);
        for (String pattern : excluded) {
            step.addClassExclusionFilter(pattern);
        }
        step.addCountFilter(1);
        step.setSuspendPolicy(StepRequest.SUSPEND_EVENT_THREAD);
        step.enable();
    }

    /** Lets the program run until the next event of {@code kind}, which stops it. */
    <T extends LocatableEvent> T next(Class<T> kind) throws InterruptedException {
        EventSet set = waitFor(kind);
        for (Event event : set) {
            if (kind.isInstance(event)) {
                pending = set;
                return kind.cast(event);
            }
        }
        throw new AssertionError("unreachable");
    }

    private EventSet waitFor(Class<? extends Event> kind) throws InterruptedException {
        if (pending != null) {
            pending.resume();
            pending = null;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            EventSet set = left > 0 ? vm.eventQueue().remove(left) : null;
            if (set == null) {
                fail("no " + kind.getSimpleName() + " within " + WAIT_MILLIS + " ms; the program printed: " + output());
            }
            for (Event event : set) {
                if (kind.isInstance(event)) {
                    return set;
                }
                if (event instanceof VMDeathEvent || event instanceof VMDisconnectEvent) {
                    fail("the program ended before a " + kind.getSimpleName() + "; it printed: " + output());
                }
            }
            set.resume();
        }
    }

    /** The visible locals of the stopped frame, by name, as JDI prints their values. */
    static Map<String, String> locals(LocatableEvent stop) throws IncompatibleThreadStateException, AbsentInformationException {
        StackFrame frame = stop.thread().frame(0);
        Map<String, String> locals = new LinkedHashMap<>();
        for (LocalVariable variable : frame.visibleVariables()) {
            Value value = frame.getValue(variable);
            locals.put(variable.name(), String.valueOf(value));
        }
        return locals;
    }

    /** One visible local of the stopped frame. */
    static Value value(LocatableEvent stop, String name) throws IncompatibleThreadStateException, AbsentInformationException {
        StackFrame frame = stop.thread().frame(0);
        LocalVariable variable = frame.visibleVariableByName(name);
        assertTrue(variable != null, () -> "no visible local " + name + " at " + stop.location());
        return frame.getValue(variable);
    }

    /** Lets the program run to its end with no more stops, and checks that it printed {@code expected}. */
    void finish(String expected) throws InterruptedException {
        EventRequestManager requests = vm.eventRequestManager();
        requests.deleteEventRequests(requests.breakpointRequests());
        requests.deleteEventRequests(requests.stepRequests());
        if (pending != null) {
            pending.resume();
            pending = null;
        }
        vm.resume();
        assertTrue(process.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), () -> "the program did not end; it printed: " + output());
        assertEquals(0, process.exitValue(), this::output);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!output().contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(output().contains(expected), this::output);
    }

    private String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            vm.dispose();
        } catch (RuntimeException ignored) {
            // already disconnected
        } finally {
            process.destroyForcibly();
            process.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
