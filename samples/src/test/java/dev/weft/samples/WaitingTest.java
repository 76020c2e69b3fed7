package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.launch.Main;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ps} and {@code pstree} of Weft's command line against a child JVM running the woven
 * {@link Waiting}, once every task of it is parked; and against a JVM without Weft, and PIDs that
 * are no JVM. Nothing here waits for time to pass: the child says when it is ready, and what it
 * shows then cannot change until it is killed.
 */
class WaitingTest {
    /** The runtime's TaskGroup, whose exit is a coroutine frame of the main task's chain, as CPython's {@code TaskGroup._aexit}. */
    private static final Path TASK_GROUP = Path.of("../runtime/src/main/java/dev/weft/runtime/TaskGroup.java");
    private static Process child;

    @BeforeAll
    static void startTheWaitingProgram() throws IOException {
        child = startJava(List.of("-cp", System.getProperty("java.class.path"), Waiting.class.getName(), "exit-at-eof"));
        awaitReady(child);
    }

    @AfterAll
    static void killTheChild() throws InterruptedException {
        kill(child);
    }

    @Test
    void psListsEveryTaskWithItsStateItsLinesAndWhatAwaitsIt() throws IOException {
        Output ps = run("ps", Long.toString(child.pid()));
        assertEquals(0, ps.status, ps.err);
        List<String> lines = ps.lines();
        assertEquals("loop thread task id task name", lines.get(0).replaceAll(" +", " ").substring(0, 29), ps.out);
        assertEquals("-".repeat(lines.get(0).length()), lines.get(1));
        String exit = "TaskGroup.exit:" + lineOf(TASK_GROUP, "await(allDone);") + " -> Waiting.main:" + closeLine();
        String gather = "Waiting.fetchBoth:" + lineOf("await(gather(users, orders))");
        String report = "Waiting.report:" + lineOf("await(both)");
        String fetch = "Waiting.fetch:" + lineOf("await(reply)");
        assertEquals(List.of(
                List.of("1", "main", "1", "Task-1", "awaits Future[pending]", exit, "", "", "0"),
                List.of("1", "main", "2", "fetch-both", "awaits Future[pending]", gather, report, "report", "3"),
                List.of("1", "main", "3", "report", "awaits task fetch-both", report, exit, "Task-1", "1"),
                List.of("1", "main", "4", "users", "awaits Future[pending]", fetch, gather, "fetch-both", "2"),
                List.of("1", "main", "5", "orders", "awaits Future[pending]", fetch, gather, "fetch-both", "2")),
                cells(lines), ps.out);
    }

    @Test
    void pstreeDrawsTheTreeFromTheMainTaskDown() throws IOException {
        Output tree = run("pstree", Long.toString(child.pid()));
        assertEquals(0, tree.status, tree.err);
        String file = " Waiting.java:";
        assertEquals(List.of(
                "└── (T) Task-1",
                "    └──  Waiting.main" + file + closeLine(),
                "        └──  TaskGroup.exit TaskGroup.java:" + lineOf(TASK_GROUP, "await(allDone);"),
                "            └── (T) report",
                "                └──  Waiting.report" + file + lineOf("await(both)"),
                "                    └── (T) fetch-both",
                "                        └──  Waiting.fetchBoth" + file + lineOf("await(gather(users, orders))"),
                "                            ├── (T) users",
                "                            │   └──  Waiting.fetch" + file + lineOf("await(reply)"),
                "                            └── (T) orders",
                "                                └──  Waiting.fetch" + file + lineOf("await(reply)")), tree.lines(), tree.out);
    }

    @Test
    void aJvmWithoutWeftIsOneLineAndStatusOne(@TempDir Path dir) throws IOException, InterruptedException {
        Path source = dir.resolve("Idle.java");
        Files.writeString(source, "public class Idle { public static void main(String[] a) throws Exception {"
                + " System.out.println(\"ready\"); System.out.flush(); while (System.in.read() >= 0) { } } }");
        Process idle = startJava(List.of(source.toString()));
        try {
            awaitReady(idle);
            Output ps = run("ps", Long.toString(idle.pid()));
            assertEquals(1, ps.status);
            assertEquals("", ps.out);
            assertEquals("weft: cannot inspect process " + idle.pid() + ": it does not run Weft "
                    + "(dev.weft.runtime.internal.Tasks is not on its class path or module path, and no class loader of "
                    + "it has loaded dev.weft.runtime.EventLoop); if a class loader of its own loads Weft, 'ps --agent "
                    + idle.pid() + "' finds it by loading an agent, which JDK 21 and later warn about on the process's "
                    + "standard error", ps.err.strip());
            Output agent = run("ps", "--agent", Long.toString(idle.pid()));
            assertEquals(1, agent.status);
            assertEquals("weft: cannot inspect process " + idle.pid() + ": it does not run Weft "
                    + "(dev.weft.runtime.internal.Tasks is not on its class path or module path, and no class loader of "
                    + "it has loaded dev.weft.runtime.EventLoop)", agent.err.strip());
        } finally {
            kill(idle);
        }
    }

    @Test
    void aRuntimeInAClassLoaderOfItsOwnIsFoundWithTheAgentOnly(@TempDir Path dir) throws IOException, InterruptedException {
        Path source = dir.resolve("Isolated.java");
        Files.writeString(source, String.join("\n",
                "import java.io.File;",
                "import java.net.URL;",
                "import java.net.URLClassLoader;",
                "import java.nio.file.Path;",
                "public class Isolated {",
                "    public static void main(String[] a) throws Exception {",
                "        String[] entries = a[0].split(File.pathSeparator);",
                "        URL[] urls = new URL[entries.length];",
                "        for (int i = 0; i < urls.length; i++) {",
                "            urls[i] = Path.of(entries[i]).toUri().toURL();",
                "        }",
                "        ClassLoader own = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());",
                "        Class.forName(a[1], true, own).getMethod(\"main\", String[].class)",
                "                .invoke(null, (Object) new String[] {\"exit-at-eof\"});",
                "    }",
                "}"));
        Process isolated = startJava(List.of(source.toString(), System.getProperty("java.class.path"),
                Waiting.class.getName()));
        try {
            awaitReady(isolated);
            Output plain = run("pstree", Long.toString(isolated.pid()));
            assertEquals(1, plain.status);
            assertTrue(plain.err.contains("'pstree --agent " + isolated.pid() + "'"), plain.err);
            Output agent = run("pstree", "--agent", Long.toString(isolated.pid()));
            assertEquals(0, agent.status, agent.err);
            assertEquals(List.of("└── (T) Task-1", "    └──  Waiting.main Waiting.java:" + closeLine()),
                    agent.lines().subList(0, 2), agent.out);
            Output again = run("ps", Long.toString(isolated.pid()));
            assertEquals(0, again.status, "the MXBean stays registered: " + again.err);
            assertEquals(7, again.lines().size(), again.out);
        } finally {
            kill(isolated);
        }
    }

    @Test
    void aJvmThatRefusesTheAttachIsOneLineAndStatusOne() throws IOException, InterruptedException {
        Process closed = startJava(List.of("-XX:+DisableAttachMechanism", "-cp", System.getProperty("java.class.path"),
                Waiting.class.getName(), "exit-at-eof"));
        try {
            awaitReady(closed);
            Output ps = run("ps", Long.toString(closed.pid()));
            assertEquals(1, ps.status);
            assertEquals("weft: cannot inspect process " + closed.pid() + ": the JVM does not list itself as attachable "
                    + "by user " + System.getProperty("user.name") + " (it runs as another user, or with "
                    + "-XX:+DisableAttachMechanism, -XX:-UsePerfData or -XX:+PerfDisableSharedMem), so no attach was "
                    + "tried", ps.err.strip());
        } finally {
            kill(closed);
        }
    }

    @Test
    void aPidThatIsNotANumberIsOneLineAndStatusOne() {
        Output ps = run("ps", "12ab");
        assertEquals(1, ps.status);
        assertEquals("weft: cannot inspect process 12ab: a process id is a whole number", ps.err.strip());
    }

    @Test
    void aPidOfNoProcessIsOneLineAndStatusOne() {
        long none = ProcessHandle.current().pid() + 4_000_000L; // above Linux's largest PID
        Output tree = run("pstree", Long.toString(none));
        assertEquals(1, tree.status);
        assertEquals("weft: cannot inspect process " + none + ": no such process", tree.err.strip());
    }

    @Test
    void aProcessThatIsNoJvmIsOneLineAndStatusOne() throws IOException, InterruptedException {
        Process cat = new ProcessBuilder("cat").start();
        try {
            Output ps = run("ps", Long.toString(cat.pid()));
            assertEquals(1, ps.status);
            assertEquals("weft: cannot inspect process " + cat.pid() + ": it is not a Java virtual machine of user "
                    + System.getProperty("user.name"), ps.err.strip());
            assertTrue(cat.isAlive(), "cat was not sent a signal");
        } finally {
            kill(cat);
        }
    }

    /** javac gives the group's implicit close the line of the block's closing brace. */
    private static int closeLine() throws IOException {
        return lineOf("announceWhenParked();") + 1;
    }

    /** The rows of a table, each cut into cells where the header's column names start. */
    private static List<List<String>> cells(List<String> table) {
        String header = table.get(0);
        String[] names = {"loop", "thread", "task id", "task name", "state", "coroutine stack", "awaiter chain",
            "awaiter name", "awaiter id"};
        int[] starts = new int[names.length + 1];
        for (int i = 0; i < names.length; i++) {
            starts[i] = header.indexOf(names[i]);
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : table.subList(2, table.size())) {
            starts[names.length] = Math.max(line.length(), starts[names.length - 1]);
            List<String> row = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                row.add(line.substring(Math.min(starts[i], line.length()), Math.min(starts[i + 1], line.length())).strip());
            }
            rows.add(row);
        }
        return rows;
    }

    private record Output(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Output run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Process startJava(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void awaitReady(Process p) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = lines.readLine();
        assertEquals("ready", line, "the child's first line");
    }

    private static void kill(Process p) throws InterruptedException {
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** The line of the sample's source that holds {@code text}, so that the test follows edits of the sample. */
    private static int lineOf(String text) throws IOException {
        return lineOf(Path.of("src/main/java/dev/weft/samples/Waiting.java"), text);
    }

    private static int lineOf(Path file, String text) throws IOException {
        List<String> source = Files.readAllLines(file);
        for (int i = 0; i < source.size(); i++) {
            if (source.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line holds " + text);
    }
}
