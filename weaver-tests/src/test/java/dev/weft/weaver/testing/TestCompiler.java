package dev.weft.weaver.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.eclipse.jdt.core.compiler.batch.BatchCompiler;

/**
 * Compiles Java sources, held in memory or in test resources, to class bytes, the way the weaver
 * meets them in real builds: javac 17 in-process, the javac of a JDK 25 run as a process (class
 * file version 69), and the Eclipse compiler (ECJ) in-process, which IDE users compile with.
 *
 * <p>Every compiler compiles with debug information ({@code -g}) against the test classpath, so
 * sources can use {@code dev.weft.Async} and {@code dev.weft.runtime.*}. Example:
 *
 * <pre>{@code
 * Map<String, byte[]> classes = TestCompiler.ecj().compile("demo/Hello.java",
 *         "package demo; class Hello { }");
 * byte[] hello = classes.get("demo/Hello");
 * }</pre>
 *
 * <p>A compiler that cannot run here (the JDK 25 is not installed) says so through
 * {@link #isAvailable()} and {@link #unavailableReason()}; tests then leave out its variant rather
 * than pass without running it.
 */
public final class TestCompiler {
    /** The JDK 25 used when {@code WEFT_JDK25} is not set. */
    public static final Path DEFAULT_JDK25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");

    private static final long PROCESS_TIMEOUT_SECONDS = 300;

    private enum Kind { JAVAC_IN_PROCESS, JAVAC_PROCESS, ECJ }

    private final Kind kind;
    private final String name;
    private final int classFileMajorVersion;
    private final Path jdkHome;

    private TestCompiler(Kind kind, String name, int classFileMajorVersion, Path jdkHome) {
        this.kind = kind;
        this.name = name;
        this.classFileMajorVersion = classFileMajorVersion;
        this.jdkHome = jdkHome;
    }

    /**
     * The javac of the JDK running the tests, in-process, with {@code --release 17 -g}.
     *
     * @return the compiler
     */
    public static TestCompiler javac17() {
        return new TestCompiler(Kind.JAVAC_IN_PROCESS, "javac 17", 61, null);
    }

    /**
     * The javac of a JDK 25, run as a process with {@code -g} and no {@code --release}, so that it
     * writes class file version 69. The JDK is {@code $WEFT_JDK25} when set, else
     * {@link #DEFAULT_JDK25}.
     *
     * @return the compiler, possibly not available here
     */
    public static TestCompiler javac25() {
        String configured = System.getenv("WEFT_JDK25");
        Path home = configured == null || configured.isBlank() ? DEFAULT_JDK25 : Paths.get(configured);
        return new TestCompiler(Kind.JAVAC_PROCESS, "javac 25", 69, home);
    }

    /**
     * The Eclipse compiler (ECJ 3.33.0, a test dependency), in-process, with
     * {@code --release 17 -g}.
     *
     * @return the compiler
     */
    public static TestCompiler ecj() {
        return new TestCompiler(Kind.ECJ, "ecj", 61, null);
    }

    /**
     * Every compiler the corpus is compiled with, available here or not.
     *
     * @return javac 17, javac 25 and ECJ, in that order
     */
    public static List<TestCompiler> all() {
        return List.of(javac17(), javac25(), ecj());
    }

    /**
     * The compilers of {@link #all()} that can run here.
     *
     * @return the available compilers
     */
    public static List<TestCompiler> available() {
        return all().stream().filter(TestCompiler::isAvailable).toList();
    }

    /**
     * A short name for test names and messages: {@code javac 17}, {@code javac 25} or {@code ecj}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The class file major version this compiler writes.
     *
     * @return 61 (Java 17) or 69 (Java 25)
     */
    public int classFileMajorVersion() {
        return classFileMajorVersion;
    }

    /**
     * The JDK this compiler belongs to when it runs as a process; its {@code bin/java} runs the
     * classes it wrote when the JVM running the tests is too old for them.
     *
     * @return the JDK home, or null for the in-process compilers
     */
    public Path jdkHome() {
        return jdkHome;
    }

    /**
     * Whether this compiler can run here.
     *
     * @return false when the JDK 25 is not installed
     */
    public boolean isAvailable() {
        return unavailableReason() == null;
    }

    /**
     * Why this compiler cannot run here.
     *
     * @return a sentence, or null when it is available
     */
    public String unavailableReason() {
        if (kind == Kind.JAVAC_PROCESS && !Files.isExecutable(jdkHome.resolve("bin/javac"))) {
            return name + " is not available: " + jdkHome.resolve("bin/javac")
                    + " is missing; install a JDK 25 there or point WEFT_JDK25 at one";
        }
        if (kind == Kind.JAVAC_IN_PROCESS && ToolProvider.getSystemJavaCompiler() == null) {
            return name + " is not available: the tests run on a JRE without javax.tools; run them on a JDK";
        }
        return null;
    }

    /**
     * Compiles one source file.
     *
     * @param fileName the file's path relative to the source root, such as {@code demo/Hello.java}
     * @param source   its text
     * @return internal class name to class bytes, for every class the source declares
     * @throws CompilationFailedException with the compiler's messages when the source does not compile
     */
    public Map<String, byte[]> compile(String fileName, String source) {
        return compile(Map.of(fileName, source));
    }

    /**
     * Compiles source files together.
     *
     * @param sources path relative to the source root (such as {@code demo/Hello.java}) to text
     * @return internal class name to class bytes, sorted by name
     * @throws CompilationFailedException with the compiler's messages when a source does not compile
     * @throws IllegalStateException      when this compiler is not available here
     */
    public Map<String, byte[]> compile(Map<String, String> sources) {
        String reason = unavailableReason();
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("weft-compile-");
            Path src = work.resolve("src");
            Path out = Files.createDirectories(work.resolve("classes"));
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, String> e : new TreeMap<>(sources).entrySet()) {
                Path file = src.resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
                files.add(file.toString());
            }
            runCompiler(files, out, sources.keySet());
            return readClasses(out);
        } catch (IOException e) {
            throw new UncheckedIOException(name + " could not use its temporary directory " + work, e);
        } finally {
            deleteQuietly(work);
        }
    }

    /**
     * Compiles source files kept as test resources (on the test classpath, not compiled by Maven).
     *
     * @param resourceNames resource paths such as {@code validation/targets/LoopsTarget.java}; each
     *                      doubles as the file's path relative to the source root
     * @return internal class name to class bytes, sorted by name
     * @throws CompilationFailedException with the compiler's messages when a source does not compile
     */
    public Map<String, byte[]> compileResources(String... resourceNames) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (String resource : resourceNames) {
            sources.put(resource, readResource(resource));
        }
        return compile(sources);
    }

    /**
     * Reads a test resource as UTF-8 text.
     *
     * @param resourceName the resource path, without a leading slash
     * @return its text
     * @throws IllegalArgumentException when there is no such resource
     */
    public static String readResource(String resourceName) {
        ClassLoader loader = Objects.requireNonNullElse(Thread.currentThread().getContextClassLoader(),
                TestCompiler.class.getClassLoader());
        try (InputStream in = loader.getResourceAsStream(resourceName)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resourceName
                        + " on the test classpath; put it under src/test/resources/" + resourceName);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read test resource " + resourceName, e);
        }
    }

    /**
     * The classpath sources are compiled against: the test classpath.
     *
     * @return the entries of {@code java.class.path}
     */
    public static List<Path> testClasspath() {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Paths.get(entry));
            }
        }
        return entries;
    }

    @Override
    public String toString() {
        return name;
    }

    private void runCompiler(List<String> files, Path out, java.util.Set<String> names) throws IOException {
        String classpath = System.getProperty("java.class.path");
        List<String> args = new ArrayList<>();
        if (kind != Kind.JAVAC_PROCESS) {
            args.add("--release");
            args.add("17");
        }
        // An empty source path keeps javac from compiling .java resources it finds on the classpath.
        args.addAll(List.of("-g", "-proc:none", "-encoding", "UTF-8", "-nowarn",
                "-sourcepath", "", "-classpath", classpath, "-d", out.toString()));
        args.addAll(files);
        StringWriter messages = new StringWriter();
        boolean ok;
        switch (kind) {
            case JAVAC_IN_PROCESS -> {
                JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ok = javac.run(null, bytes, bytes, args.toArray(String[]::new)) == 0;
                messages.write(bytes.toString(StandardCharsets.UTF_8));
            }
            case ECJ -> {
                PrintWriter writer = new PrintWriter(messages);
                ok = BatchCompiler.compile(args.toArray(String[]::new), writer, writer, null);
                writer.flush();
            }
            case JAVAC_PROCESS -> {
                List<String> command = new ArrayList<>();
                command.add(jdkHome.resolve("bin/javac").toString());
                command.addAll(args);
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                byte[] output = process.getInputStream().readAllBytes();
                try {
                    if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        throw new CompilationFailedException(name, names,
                                "did not finish within " + PROCESS_TIMEOUT_SECONDS + " s");
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                    throw new CompilationFailedException(name, names, "interrupted");
                }
                ok = process.exitValue() == 0;
                messages.write(new String(output, StandardCharsets.UTF_8));
            }
            default -> throw new AssertionError(kind);
        }
        if (!ok) {
            throw new CompilationFailedException(name, names, messages.toString());
        }
    }

    private static Map<String, byte[]> readClasses(Path out) throws IOException {
        Map<String, byte[]> classes = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path file : (Iterable<Path>) walk.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String relative = out.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                classes.put(relative.substring(0, relative.length() - ".class".length()), Files.readAllBytes(file));
            }
        }
        return classes;
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

    /** A source did not compile; the message holds the compiler's own diagnostics. */
    public static final class CompilationFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * @param compiler the compiler's name
         * @param files    the files it compiled
         * @param messages what it printed
         */
        CompilationFailedException(String compiler, java.util.Collection<String> files, String messages) {
            super(compiler + " could not compile " + new java.util.TreeSet<>(files) + ":\n" + messages.strip());
        }
    }
}
