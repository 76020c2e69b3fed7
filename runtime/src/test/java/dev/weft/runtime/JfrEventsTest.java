package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weft's JFR events, recorded and read back: in this JVM with {@code jdk.jfr.Recording}, and in
 * child JVMs for what only a fresh JVM shows (the classes a program without a recording loads, a
 * JDK without {@code jdk.jfr}, a recording that starts while a loop runs, the command line the
 * guide gives).
 */
class JfrEventsTest {
    /** The threshold every recording here gives the slow-callback and loop-stall events. */
    private static final Duration THRESHOLD = Duration.ofMillis(10);

    @TempDir
    Path dir;

    @Test
    void aRecordingThatEnablesTheEventsGetsEveryTaskAndTheSlowWork() throws IOException {
        Path file = dir.resolve("weft.jfr");
        EventLoop loop;
        // tag::record[]
        try (Recording recording = new Recording()) {
            recording.enable("dev.weft.TaskCreated");
            recording.enable("dev.weft.TaskFinished");
            recording.enable("dev.weft.SlowCallback").withThreshold(Duration.ofMillis(10));
            recording.enable("dev.weft.LoopStall").withThreshold(Duration.ofMillis(10));
            recording.start();
            loop = new EventLoop(Clock.virtual());
            loop.runUntilComplete(JfrProbe.work());
            recording.stop();
            recording.dump(file);
        }
        // end::record[]
        loop.close();
        List<RecordedEvent> events = ofLoop(RecordingFile.readAllEvents(file), loop);

        List<RecordedEvent> created = named(events, "dev.weft.TaskCreated");
        assertEquals(List.of("Task-1", "ok", "failing", "sleeper", "spinner"), strings(created, "taskName"));
        assertEquals(List.of(1, 2, 3, 4, 5), ints(created, "taskId"));
        assertEquals(List.of(0, 1, 1, 1, 1), ints(created, "parentTaskId"));
        assertTrue(created.get(0).getString("coroutine").endsWith("JfrProbe.work"), created.get(0).getString("coroutine"));
        assertTrue(created.get(4).getString("coroutine").endsWith("JfrProbe.spinThenSleep"));
        assertTrue(created.get(1).getStackTrace().getFrames().stream()
                .anyMatch(f -> f.getMethod().getName().equals("work")), "the stack trace shows where");

        Map<String, RecordedEvent> finished = named(events, "dev.weft.TaskFinished").stream()
                .collect(Collectors.toMap(e -> e.getString("taskName"), Function.identity()));
        assertEquals(5, finished.size());
        assertEquals("result", finished.get("ok").getString("outcome"));
        assertNull(finished.get("ok").getClass("exceptionClass"));
        assertEquals("failed", finished.get("failing").getString("outcome"));
        assertEquals(IllegalStateException.class.getName(), finished.get("failing").getClass("exceptionClass").getName());
        assertEquals("boom", finished.get("failing").getString("message"));
        assertEquals("cancelled", finished.get("sleeper").getString("outcome"));
        assertEquals("enough", finished.get("sleeper").getString("message"));
        assertEquals("result", finished.get("spinner").getString("outcome"));
        assertEquals("result", finished.get("Task-1").getString("outcome"));
        assertEquals(4, finished.get("sleeper").getInt("taskId"));

        // Others may pass the threshold on a busy machine (the JIT, the GC): these two must.
        List<RecordedEvent> slow = named(events, "dev.weft.SlowCallback");
        RecordedEvent busy = only(slow, e -> "Handle[busy work]".equals(e.getString("callback")));
        assertEquals(0, busy.getInt("taskId"));
        assertNull(busy.getString("taskName"));
        assertTrue(busy.getDuration().compareTo(THRESHOLD) >= 0);
        RecordedEvent step = only(slow, e -> "spinner".equals(e.getString("taskName")));
        assertEquals(5, step.getInt("taskId"));
        assertTrue(step.getString("callback").startsWith("step of task spinner awaiting in "),
                step.getString("callback"));
        assertTrue(step.getDuration().compareTo(THRESHOLD) >= 0);

        // The iteration that ran the four new tasks' first steps and the busy callback.
        RecordedEvent stall = only(named(events, "dev.weft.LoopStall"), e -> e.getInt("callbacks") == 5);
        assertTrue(stall.getDuration().compareTo(THRESHOLD.multipliedBy(2)) >= 0, stall.toString());
    }

    @Test
    void aRecordingThatDoesNotNameTheEventsRecordsNoneOfThem() throws IOException {
        Path file = dir.resolve("plain.jfr");
        try (Recording recording = new Recording()) {
            recording.start();
            EventLoop loop = new EventLoop(Clock.virtual());
            loop.runUntilComplete(JfrProbe.work());
            assertTrue(Jfr.on, "a recording runs, so the hooks ask each event type, and each says no");
            loop.close();
            recording.stop();
            recording.dump(file);
        }
        assertEquals(List.of(), RecordingFile.readAllEvents(file).stream()
                .map(e -> e.getEventType().getName()).filter(n -> n.startsWith("dev.weft.")).toList());
        assertFalse(FlightRecorder.getFlightRecorder().getRecordings().stream()
                .anyMatch(r -> r.getState() == RecordingState.RUNNING));
        assertFalse(Jfr.on, "no recording runs any more");
    }

    @Test
    void aProgramWithoutARecordingLoadsNoEventClass() throws Exception {
        Path log = dir.resolve("classes.log");
        Child c = child(List.of("-Xlog:class+load=info:file=" + log), "plain");
        assertEquals("fine, boom, cancelled on=false", c.lastLine(), c.toString());
        String classes = Files.readString(log);
        assertTrue(classes.contains("dev.weft.runtime.Jfr "), "the gate is there");
        assertFalse(classes.contains("dev.weft.runtime.JfrEvents"), "no event");
        assertFalse(classes.contains("dev.weft.runtime.JfrWatch"), "no listener");
        assertFalse(classes.contains("jdk.jfr.Event "), "nothing of JFR's own but FlightRecorder");
        assertFalse(classes.contains("jdk.jfr.internal."), "nothing of JFR's own but FlightRecorder");
    }

    @Test
    void withoutTheJdkJfrModuleTheRuntimeRunsAndNeverNamesIt() throws Exception {
        Path log = dir.resolve("classes.log");
        Child c = child(List.of("--limit-modules", "java.base,dev.weft.runtime", "-Xlog:class+load=info:file=" + log),
                "plain");
        assertEquals("fine, boom, cancelled on=false", c.lastLine(), c.toString());
        assertFalse(Files.readString(log).contains("jdk.jfr"));
    }

    @Test
    void aRecordingStartedWhileALoopRunsGetsTheTasksMadeAfterIt() throws Exception {
        Path file = dir.resolve("late.jfr");
        Child c = child(List.of(), "late", file.toString());
        assertEquals("dumped", c.lastLine(), c.toString());
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertEquals(List.of("after"), strings(named(events, "dev.weft.TaskCreated"), "taskName"));
        assertEquals(List.of("after"), strings(named(events, "dev.weft.TaskFinished"), "taskName"));
    }

    @Test
    void theGuidesCommandLineRecordsTheEvents() throws Exception {
        Path file = dir.resolve("cli.jfr");
        // The option the guide shows, with this test's file and thresholds.
        String option = "-XX:StartFlightRecording:filename=" + file + ",+dev.weft.TaskCreated#enabled=true,"
                + "+dev.weft.TaskFinished#enabled=true,+dev.weft.SlowCallback#enabled=true,"
                + "+dev.weft.SlowCallback#threshold=10ms,+dev.weft.LoopStall#enabled=true,"
                + "+dev.weft.LoopStall#threshold=10ms";
        Child c = child(List.of(option), "plain");
        assertEquals("fine, boom, cancelled on=true", c.lastLine(), c.toString());
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertEquals(5, named(events, "dev.weft.TaskCreated").size());
        assertEquals(5, named(events, "dev.weft.TaskFinished").size());
        only(named(events, "dev.weft.SlowCallback"), e -> "Handle[busy work]".equals(e.getString("callback")));
        assertFalse(named(events, "dev.weft.LoopStall").isEmpty());
    }

    record Child(int status, String out, String err) {
        /** The probe's own line: JFR may print its start-up lines before it, on JDK 17 whatever -Xlog says. */
        String lastLine() {
            String[] lines = out.strip().split("\\R");
            return lines[lines.length - 1];
        }
    }

    /** Runs {@link JfrProbe} in a JVM of this one's kind, with the runtime and its tests as one module. */
    static Child child(List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("--module-path", Path.of("target/classes").toAbsolutePath().toString(),
                "--patch-module", "dev.weft.runtime=" + Path.of("target/test-classes").toAbsolutePath(),
                "-m", "dev.weft.runtime/" + JfrProbe.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("weft-jfr", ".out");
        Path err = Files.createTempFile("weft-jfr", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            Child c = new Child(p.waitFor(), Files.readString(out), Files.readString(err));
            assertEquals(0, c.status(), c.toString());
            return c;
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    static List<RecordedEvent> ofLoop(List<RecordedEvent> events, EventLoop loop) {
        int id = System.identityHashCode(loop);
        return events.stream().filter(e -> e.getEventType().getName().startsWith("dev.weft.") && e.getInt("loop") == id)
                .toList();
    }

    static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name))
                .sorted((a, b) -> a.getStartTime().compareTo(b.getStartTime())).toList();
    }

    static RecordedEvent only(List<RecordedEvent> events, java.util.function.Predicate<RecordedEvent> which) {
        List<RecordedEvent> found = events.stream().filter(which).toList();
        assertEquals(1, found.size(), events.toString());
        return found.get(0);
    }

    static List<String> strings(List<RecordedEvent> events, String field) {
        return events.stream().map(e -> e.getString(field)).toList();
    }

    static List<Integer> ints(List<RecordedEvent> events, String field) {
        return events.stream().map(e -> e.getInt(field)).toList();
    }
}
