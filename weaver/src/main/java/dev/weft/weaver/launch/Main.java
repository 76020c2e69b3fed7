package dev.weft.weaver.launch;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.WeaveException;
import dev.weft.weaver.WeaveReport;
import dev.weft.weaver.Weaver;
import java.io.File;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line weaver, for builds that are not Maven:
 *
 * <pre>{@code
 * java -jar weft-cli-<version>.jar [--classpath CP] build/classes app.jar
 * }</pre>
 *
 * <p>Each directory or jar is woven in place as a unit: when the weaver finds an error in one, that
 * one is left exactly as it was. Errors and warnings go to standard error as
 * {@code File.java:line: error: ...}; the summary line goes to standard output.
 *
 * <p>Exit status: 0 when everything was woven (or had nothing to weave), 1 when the weaver found
 * an error in the code or could not read or write a file, 2 for a wrong command line.
 *
 * <p>It also looks into a running JVM of the same user, as Python 3.14's
 * {@code python -m asyncio ps PID} and {@code pstree PID} look into a Python process:
 *
 * <pre>{@code
 * java -jar weft-cli-<version>.jar ps 12345       # a table: every pending task and who awaits it
 * java -jar weft-cli-<version>.jar pstree 12345   # the tree of which task awaits which
 * }</pre>
 *
 * It attaches with the JDK's Attach API, starts the JVM's local JMX agent and reads a snapshot from
 * the runtime through the {@code dev.weft.runtime.internal.Tasks} MXBean, which it creates there;
 * no agent is loaded into the JVM unless {@code --agent} asks for one ({@code ps --agent PID}), to
 * find a runtime that a class loader of its own loaded. A process that cannot be inspected (no such process, not a JVM,
 * attach refused, no Weft) is reported in one line on standard error, with exit status 1.
 */
public final class Main {
    /** Exit status: woven, or nothing to weave. */
    public static final int OK = 0;
    /** Exit status: an error in the woven code, or a file that could not be read or written. */
    public static final int ERROR = 1;
    /** Exit status: the command line is wrong. */
    public static final int USAGE = 2;

    private static final String USAGE_TEXT = String.join(System.lineSeparator(),
            "Usage: java -jar weft-cli.jar [options] DIR|JAR...",
            "       java -jar weft-cli.jar ps|pstree [--agent] PID",
            "Weaves the @Async methods of the class files in each directory or jar, in place.",
            "ps lists the tasks of the Weft event loops of the running JVM PID (same user):",
            "each task's loop, thread, name, state, await chain and the tasks awaiting it;",
            "pstree draws which task awaits which, from the tasks nothing awaits down.",
            "--agent also finds a Weft runtime loaded by a class loader of its own (an",
            "application server), by loading an agent into the JVM (JDK 21+ warns there).",
            "",
            "Options:",
            "  --classpath, -cp CP  where the other classes the code uses are found (jars and",
            "                       directories separated by '" + File.pathSeparator + "'); the JDK's own classes",
            "                       are always found",
            "  --verbose            list each class file written",
            "  --help               print this message",
            "  --version            print the weaver's version",
            "",
            "Exit status: 0 woven, 1 an error in the code (that directory or jar is left",
            "as it was) or an unreadable file, 2 a wrong command line. ps and pstree: 0",
            "printed, 1 the process cannot be inspected (or, for pstree, its tasks await",
            "each other in a cycle), 2 a wrong command line.");

    private Main() {
    }

    /**
     * Runs the weaver and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // The task tree is drawn with box-drawing characters, as CPython draws it: in UTF-8 whatever
        // the locale, as Python writes to a terminal in the C locale.
        PrintStream out = args.length > 0 && args[0].equals("pstree")
                ? new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, java.nio.charset.StandardCharsets.UTF_8)
                : System.out;
        System.exit(run(args, out, System.err));
    }

    /**
     * Runs the weaver without exiting the JVM.
     *
     * @param args the command line
     * @param out  where the summary goes
     * @param err  where diagnostics and usage errors go
     * @return the exit status: {@link #OK}, {@link #ERROR} or {@link #USAGE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && (args[0].equals("ps") || args[0].equals("pstree"))) {
            return inspect(args, out, err);
        }
        List<Path> classpath = new ArrayList<>();
        List<Path> targets = new ArrayList<>();
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    out.println(USAGE_TEXT);
                    return OK;
                }
                case "--version" -> {
                    out.println("weft " + version());
                    return OK;
                }
                case "--verbose", "-v" -> verbose = true;
                case "--classpath", "--class-path", "-cp" -> {
                    if (i + 1 == args.length) {
                        return usage(err, arg + " needs a value: the classpath, entries separated by '" + File.pathSeparator + "'");
                    }
                    for (String entry : args[++i].split(File.pathSeparator)) {
                        if (!entry.isEmpty()) {
                            classpath.add(Path.of(entry));
                        }
                    }
                }
                default -> {
                    if (arg.startsWith("-")) {
                        return usage(err, "unknown option " + arg);
                    }
                    Path target = Path.of(arg);
                    if (!Files.isDirectory(target) && !(Files.isRegularFile(target) && arg.endsWith(".jar"))) {
                        return usage(err, arg + " is neither a directory nor a .jar file");
                    }
                    targets.add(target);
                }
            }
        }
        if (targets.isEmpty()) {
            return usage(err, "name at least one directory or jar to weave");
        }
        return weave(targets, classpath, verbose, out, err);
    }

    private static int weave(List<Path> targets, List<Path> classpath, boolean verbose, PrintStream out, PrintStream err) {
        List<Path> searched = new ArrayList<>(targets);
        searched.addAll(classpath);
        try (ClassHierarchy hierarchy = ClassHierarchy.of(searched)) {
            return weave(targets, new Weaver(hierarchy), verbose, out, err);
        }
    }

    private static int weave(List<Path> targets, Weaver weaver, boolean verbose, PrintStream out, PrintStream err) {
        int methods = 0;
        int classes = 0;
        int errors = 0;
        int warnings = 0;
        for (Path target : targets) {
            WeaveReport report;
            try {
                report = Files.isDirectory(target) ? weaver.weaveDirectory(target, file -> true) : weaver.weaveJar(target);
            } catch (WeaveException | UncheckedIOException e) {
                err.println("weft: cannot weave " + target + ": " + e.getMessage() + "; it was left as it was");
                errors++;
                continue;
            }
            for (Diagnostic diagnostic : report.diagnostics()) {
                err.println(diagnostic.format());
                if (diagnostic.kind() == Diagnostic.Kind.ERROR) {
                    errors++;
                } else {
                    warnings++;
                }
            }
            if (report.hasErrors()) {
                err.println("weft: " + target + " was left as it was because of the errors above");
                continue;
            }
            if (verbose) {
                report.writtenFiles().forEach(file -> out.println("woven " + file));
            }
            methods += report.wovenMethods();
            classes += report.wovenClasses();
        }
        out.println("woven " + count(methods, "method") + " in " + count(classes, "class")
                + (warnings > 0 ? ", " + count(warnings, "warning") : "")
                + (errors > 0 ? ", " + count(errors, "error") : ""));
        return errors > 0 ? ERROR : OK;
    }

    /**
     * {@code ps PID} and {@code pstree PID}: Python 3.14's {@code python -m asyncio ps} and
     * {@code pstree} for a JVM. Every failure is one line naming the process and the cause.
     */
    private static int inspect(String[] args, PrintStream out, PrintStream err) {
        String command = args[0];
        boolean agent = args.length == 3 && args[1].equals("--agent");
        if (args.length != 2 && !agent) {
            return usage(err, command + " takes one argument, the process id of a running JVM, after --agent if given");
        }
        String pid = args[args.length - 1];
        List<String> lines;
        try {
            long id;
            try {
                id = Long.parseLong(pid);
            } catch (NumberFormatException e) {
                throw new InspectException("a process id is a whole number");
            }
            List<RemoteTask> tasks = readWithin(id, agent);
            lines = command.equals("ps") ? TaskTable.lines(tasks) : TaskTree.lines(tasks);
        } catch (InspectException e) {
            err.println("weft: cannot inspect process " + pid + ": " + e.getMessage() + (e.agentMayHelp() && !agent
                    ? "; if a class loader of its own loads Weft, '" + command + " --agent " + pid + "' finds it by loading "
                            + "an agent, which JDK 21 and later warn about on the process's standard error"
                    : ""));
            return ERROR;
        } catch (TaskTree.CycleException e) {
            e.lines().forEach(err::println);
            return ERROR;
        } catch (LinkageError e) {
            // The JDK's jdk.attach or java.management module is missing: a trimmed runtime image.
            err.println("weft: cannot inspect process " + pid + ": this Java runtime (" + System.getProperty("java.home")
                    + ") lacks the JDK's attach or management modules (" + e + "); run the command with a full JDK");
            return ERROR;
        }
        lines.forEach(out::println);
        out.flush();
        return OK;
    }

    /** How long a JVM has to answer: a stopped one would otherwise hold the command for ever. */
    private static final long INSPECT_SECONDS = 30;

    /**
     * {@link RemoteTasks#read} on a daemon thread, given up after {@value #INSPECT_SECONDS} s: the
     * attach and JMX reads have no timeouts of their own, and a JVM stopped with SIGSTOP, or one
     * whose attach listener is stuck, never answers.
     */
    private static List<RemoteTask> readWithin(long id, boolean agent) throws InspectException {
        java.util.concurrent.FutureTask<List<RemoteTask>> job =
                new java.util.concurrent.FutureTask<>(() -> RemoteTasks.read(id, agent));
        Thread reader = new Thread(job, "weft-inspect-" + id);
        reader.setDaemon(true);
        reader.start();
        try {
            return job.get(INSPECT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new InspectException("it did not answer within " + INSPECT_SECONDS + " s (it is stopped, or too busy "
                    + "to serve the attach)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InspectException("interrupted while waiting for it");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InspectException inspect) {
                throw inspect;
            }
            if (cause instanceof LinkageError linkage) {
                throw linkage;
            }
            throw new InspectException("the inspection failed: " + RemoteTasks.causes(cause));
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("weft: " + problem);
        err.println(USAGE_TEXT);
        return USAGE;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : noun.endsWith("s") ? "es" : "s");
    }

    private static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version != null ? version : "(development build)";
    }
}
