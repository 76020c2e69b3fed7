package dev.weft.weaver.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.WeaveReport;
import dev.weft.weaver.WeaveResult;
import dev.weft.weaver.Weaver;
import dev.weft.weaver.internal.check.ShapeChecker;
import dev.weft.weaver.testing.TestCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Every class of real, large jars (Guava, Jackson-databind, ASM) passes through the weaver without
 * an exception and comes out unchanged, and so does each jar as a whole. The shape checks also run
 * over every class, since the weaver only reaches them for classes that mention Weft.
 */
class RealJarsTest {
    private static final ClassHierarchy CLASSPATH = ClassHierarchy.of(TestCompiler.testClasspath());

    static Stream<Path> jars() {
        return Stream.of(ImmutableList.class, ObjectMapper.class, ClassReader.class, ClassNode.class, Analyzer.class,
                CheckClassAdapter.class)
                .map(RealJarsTest::jarOf);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jars")
    void everyClassOfTheJarIsLeftUnchangedWithoutFindings(Path jar) throws IOException {
        Weaver weaver = new Weaver(ClassHierarchy.ofBytes(java.util.Map.of(), CLASSPATH));
        ShapeChecker checker = new ShapeChecker(CLASSPATH, name -> null);
        long started = System.nanoTime();
        int classes = 0;
        List<String> problems = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                WeaveResult result = weaver.weave(bytes);
                if (result.changed() || !result.diagnostics().isEmpty()) {
                    problems.add(entry.getName() + ": " + result);
                }
                ClassNode node = new ClassNode();
                new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES);
                List<Diagnostic> findings = checker.check(node);
                if (!findings.isEmpty()) {
                    problems.add(entry.getName() + ": " + findings);
                }
                classes++;
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        // Recorded for the build log, not asserted: a unit test never judges time.
        System.out.println("robustness: " + jar.getFileName() + ": " + classes + " classes in " + millis + " ms");
        assertTrue(classes > 10, "only " + classes + " classes found in " + jar);
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jars")
    void weavingACopyOfTheJarLeavesItByteIdentical(Path jar, @TempDir Path dir) throws IOException {
        Path copy = Files.copy(jar, dir.resolve(jar.getFileName()));

        WeaveReport report = new Weaver(CLASSPATH).weaveJar(copy);

        assertFalse(report.hasErrors(), report.diagnostics()::toString);
        assertEquals(List.of(), report.writtenFiles());
        assertEquals(0, report.wovenClasses());
        assertTrue(report.unchangedClasses() > 10, report::summary);
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(copy));
    }

    private static Path jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the jar of " + type.getName(), e);
        }
    }
}
