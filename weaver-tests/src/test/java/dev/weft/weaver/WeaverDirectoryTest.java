package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.testing.TestCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weaving a class output directory: all or nothing, and nothing written twice. */
class WeaverDirectoryTest {
    private static final String BROKEN = """
            package demo;

            import static dev.weft.runtime.Aio.*;

            class Broken {
                static Object notAsync(dev.weft.runtime.Future<String> f) {
                    return await(f);
                }
            }
            """;

    /** Drops the coroutine of an {@code @Async} call: a warning, and the class is still woven. */
    private static final String FORGETFUL = """
            package demo;

            import dev.weft.Async;
            import dev.weft.runtime.Coroutine;
            import static dev.weft.runtime.Aio.*;

            class Forgetful {
                @Async static Coroutine<Void> run() {
                    work();
                    return done();
                }

                @Async static Coroutine<Void> work() {
                    return done();
                }
            }
            """;

    @TempDir
    Path classes;

    @Test
    void aFailedWeaveLeavesEveryFileByteIdenticalAndAddsNone() throws IOException {
        write(TestCompiler.javac17().compile(Map.of("demo/Fetch.java", WeaverTest.FETCH,
                "demo/Plain.java", WeaverTest.PLAIN, "demo/Broken.java", BROKEN)));
        Map<Path, byte[]> before = snapshot();

        WeaveReport report = new Weaver(WeaverTest.CLASSPATH).weaveDirectory(classes, file -> true);

        assertTrue(report.hasErrors());
        assertEquals(1, report.diagnostics().size(), report.diagnostics()::toString);
        assertEquals("demo.Broken", report.diagnostics().get(0).className());
        assertEquals(List.of(), report.writtenFiles());
        assertSameFiles(before, snapshot());
    }

    @Test
    void aSuccessfulWeaveWritesTheHostAndItsGeneratedClassAndNothingElse() throws IOException {
        write(TestCompiler.javac17().compile(Map.of("demo/Fetch.java", WeaverTest.FETCH,
                "demo/Plain.java", WeaverTest.PLAIN)));
        byte[] plain = Files.readAllBytes(classes.resolve("demo/Plain.class"));

        WeaveReport report = new Weaver(WeaverTest.CLASSPATH).weaveDirectory(classes, file -> true);

        assertFalse(report.hasErrors(), report.diagnostics()::toString);
        assertEquals(1, report.wovenMethods());
        assertEquals(1, report.wovenClasses());
        assertEquals(1, report.unchangedClasses());
        assertEquals(2, report.writtenFiles().size(), report.writtenFiles()::toString);
        assertTrue(report.writtenFiles().contains(classes.resolve("demo/Fetch.class")));
        assertArrayEquals(plain, Files.readAllBytes(classes.resolve("demo/Plain.class")));
        try (Stream<Path> files = Files.walk(classes)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void weavingTheSameDirectoryTwiceWritesNothingTheSecondTime() throws IOException {
        write(TestCompiler.ecj().compile(Map.of("demo/Fetch.java", WeaverTest.FETCH)));
        Weaver weaver = new Weaver(WeaverTest.CLASSPATH);
        weaver.weaveDirectory(classes, file -> true);
        Map<Path, byte[]> woven = snapshot();

        WeaveReport again = weaver.weaveDirectory(classes, file -> true);

        assertEquals(List.of(), again.writtenFiles());
        assertEquals(0, again.wovenMethods());
        assertSameFiles(woven, snapshot());
    }

    @Test
    void classFilesLeftOutByTheFilterAreSkippedAndNotRead() throws IOException {
        write(TestCompiler.javac17().compile(Map.of("demo/Fetch.java", WeaverTest.FETCH,
                "demo/Broken.java", BROKEN)));
        Map<Path, byte[]> before = snapshot();

        WeaveReport report = new Weaver(WeaverTest.CLASSPATH)
                .weaveDirectory(classes, file -> !file.getFileName().toString().equals("Fetch.class"));

        assertEquals(1, report.skippedClasses());
        assertTrue(report.hasErrors());
        assertSameFiles(before, snapshot());
    }

    @Test
    void withFailOnWarningAWarningWritesNothingAndIsReported() throws IOException {
        write(TestCompiler.javac17().compile(Map.of("demo/Fetch.java", WeaverTest.FETCH,
                "demo/Forgetful.java", FORGETFUL)));
        Map<Path, byte[]> before = snapshot();

        WeaveReport report = new Weaver(WeaverTest.CLASSPATH).weaveDirectory(classes, file -> true, true);

        assertFalse(report.hasErrors());
        assertEquals(1, report.diagnostics().size(), report.diagnostics()::toString);
        assertEquals(Diagnostic.Kind.WARNING, report.diagnostics().get(0).kind());
        assertEquals(0, report.wovenMethods());
        assertEquals(2, report.unchangedClasses());
        assertEquals(List.of(), report.writtenFiles());
        assertSameFiles(before, snapshot());
    }

    @Test
    void withFailOnWarningAndNoWarningTheDirectoryIsWoven() throws IOException {
        write(TestCompiler.javac17().compile(Map.of("demo/Fetch.java", WeaverTest.FETCH)));

        WeaveReport report = new Weaver(WeaverTest.CLASSPATH).weaveDirectory(classes, file -> true, true);

        assertEquals(List.of(), report.diagnostics());
        assertEquals(1, report.wovenMethods());
        assertTrue(report.writtenFiles().contains(classes.resolve("demo/Fetch.class")));
    }

    private void write(Map<String, byte[]> compiled) throws IOException {
        for (Map.Entry<String, byte[]> e : compiled.entrySet()) {
            Path file = classes.resolve(e.getKey() + ".class");
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue());
        }
    }

    private Map<Path, byte[]> snapshot() throws IOException {
        Map<Path, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(classes.relativize(file), Files.readAllBytes(file));
            }
        }
        return files;
    }

    private static void assertSameFiles(Map<Path, byte[]> expected, Map<Path, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((path, bytes) -> assertArrayEquals(bytes, actual.get(path), path.toString()));
    }
}
