package dev.weft.weaver.validation;

import dev.weft.runtime.Aio;
import dev.weft.runtime.Clock;
import dev.weft.runtime.Coroutine;
import dev.weft.weaver.testing.ByteArrayClassLoader;
import dev.weft.weaver.testing.TestCompiler;
import dev.weft.weaver.validation.WovenCorpus.StageFailure;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Loads a woven target and runs its {@code main()} with {@link Aio#run(Coroutine, Clock)} on a
 * virtual clock, capturing what it prints.
 *
 * <p>The classes are defined in a fresh class loader, so the JVM's own verifier checks them (the
 * StackMapTable frames included) when they are linked. Classes newer than the JVM running the
 * tests (javac 25's, on JDK 17) run in a child process of that compiler's JDK instead, through
 * {@link #main(String[])}.
 */
public final class TargetRunner {
    private static final String TARGETS_PACKAGE = "validation.targets.";
    private static final int EXIT_LOAD = 10;
    private static final int EXIT_RUN = 11;
    private static final long PROCESS_TIMEOUT_SECONDS = 300;

    /**
     * This class's own files, read once: the child JVM gets them from its temporary directory, so
     * a rebuild of target/test-classes while the tests run cannot take them away from it.
     */
    private static final Map<String, byte[]> OWN_CLASSES = ownClasses();

    private TargetRunner() {
    }

    private static Map<String, byte[]> ownClasses() {
        Map<String, byte[]> own = new java.util.TreeMap<>();
        for (Class<?> c : List.of(TargetRunner.class, ByteArrayClassLoader.class)) {
            String name = c.getName().replace('.', '/');
            try (java.io.InputStream in = TargetRunner.class.getClassLoader().getResourceAsStream(name + ".class")) {
                if (in != null) {
                    own.put(name, in.readAllBytes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return own;
    }

    /**
     * Runs a woven target.
     *
     * @param subject  how failures name the target and compiler
     * @param compiler the compiler that wrote the classes
     * @param target   the target's simple class name
     * @param classes  every class of the target, woven
     * @param fast     whether the awaited sources are done already (the fast path)
     * @return what {@code main()} printed
     * @throws StageFailure at stage {@code load} or {@code run}
     */
    static String run(String subject, TestCompiler compiler, String target, Map<String, byte[]> classes, boolean fast) {
        int newestLoadable = Runtime.version().feature() + 44;
        if (compiler.classFileMajorVersion() <= newestLoadable) {
            return runHere(subject, target, classes, fast);
        }
        return runInProcess(subject, compiler, target, classes, fast);
    }

    private static String runHere(String subject, String target, Map<String, byte[]> classes, boolean fast) {
        ClassLoader loader = new ByteArrayClassLoader("weft-validation", classes, TargetRunner.class.getClassLoader());
        Class<?> main;
        try {
            main = load(loader, target, classes.keySet(), fast);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new StageFailure(subject, "load", "the JVM refused a woven class: " + WovenCorpus.stackTrace(e), e);
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            runMain(main);
        } catch (Throwable t) {
            System.setOut(original);
            throw new StageFailure(subject, "run", "main() failed after printing\n" + captured.toString(StandardCharsets.UTF_8)
                    + "--- with\n" + WovenCorpus.stackTrace(t), t);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Initializes every class of the target (so that the JVM verifies each), sets the fast flag, and returns the target's class. */
    private static Class<?> load(ClassLoader loader, String target, Iterable<String> internalNames, boolean fast)
            throws ReflectiveOperationException {
        for (String internalName : internalNames) {
            Class.forName(internalName.replace('/', '.'), true, loader);
        }
        Class.forName(TARGETS_PACKAGE + "Sources", true, loader).getField("fast").setBoolean(null, fast);
        return Class.forName(TARGETS_PACKAGE + target, true, loader);
    }

    private static void runMain(Class<?> target) throws Throwable {
        Method main = target.getMethod("main");
        Object coroutine;
        try {
            coroutine = main.invoke(null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (!(coroutine instanceof Coroutine<?> c)) {
            throw new AssertionError("main() returned " + coroutine + " instead of a Coroutine");
        }
        Aio.run(c, Clock.virtual());
    }

    private static String runInProcess(String subject, TestCompiler compiler, String target, Map<String, byte[]> classes,
            boolean fast) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("weft-validation-");
            Map<String, byte[]> files = new java.util.TreeMap<>(OWN_CLASSES);
            files.putAll(classes);
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Path file = dir.resolve(e.getKey() + ".class");
                Files.createDirectories(file.getParent());
                Files.write(file, e.getValue());
            }
            List<String> command = new ArrayList<>(List.of(compiler.jdkHome().resolve("bin/java").toString(),
                    "-cp", dir + File.pathSeparator + System.getProperty("java.class.path"),
                    TargetRunner.class.getName(), Boolean.toString(fast), target));
            command.addAll(classes.keySet());
            Path stderr = dir.resolve("stderr.txt");
            Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new StageFailure(subject, "run", "the " + compiler.name() + " JVM did not finish within "
                        + PROCESS_TIMEOUT_SECONDS + " s", null);
            }
            String printed = new String(out, StandardCharsets.UTF_8);
            String errors = Files.readString(stderr);
            return switch (process.exitValue()) {
                case 0 -> printed;
                case EXIT_LOAD -> throw new StageFailure(subject, "load", "the JVM of " + compiler.name()
                        + " refused a woven class: " + errors, null);
                case EXIT_RUN -> throw new StageFailure(subject, "run", "main() failed after printing\n" + printed
                        + "--- with\n" + errors, null);
                default -> throw new StageFailure(subject, "run", "the JVM of " + compiler.name() + " exited with "
                        + process.exitValue() + ":\n" + printed + errors, null);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailure(subject, "run", "interrupted", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * The child-process side of {@link #run}: loads the target's classes from the class path,
     * runs it and prints what it prints. Exits with 10 when a class cannot be loaded and 11 when
     * {@code main()} fails, the cause on standard error.
     *
     * @param args whether the fast path is on, the target's simple name, then the internal names of its classes
     */
    public static void main(String[] args) {
        Class<?> main;
        try {
            main = load(TargetRunner.class.getClassLoader(), args[1], Arrays.asList(args).subList(2, args.length),
                    Boolean.parseBoolean(args[0]));
        } catch (ReflectiveOperationException | LinkageError e) {
            e.printStackTrace();
            System.exit(EXIT_LOAD);
            return;
        }
        try {
            runMain(main);
        } catch (Throwable t) {
            System.out.flush();
            t.printStackTrace();
            System.exit(EXIT_RUN);
        }
        System.out.flush();
        System.exit(0);
    }

    private static void deleteQuietly(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind costs disk space, not correctness.
        }
    }
}
