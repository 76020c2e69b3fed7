package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.common.collect.ImmutableList;
import dev.weft.weaver.testing.TestCompiler;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassHierarchyTest {
    private static final ClassHierarchy JDK = ClassHierarchy.of(List.of());

    @Test
    void jdkClassesAreReadFromTheRuntimeImage() {
        assertEquals("java/lang/Number", JDK.superName("java/lang/Integer"));
        assertNull(JDK.superName("java/lang/Object"));
        assertEquals(List.of("java/util/List", "java/util/RandomAccess", "java/lang/Cloneable", "java/io/Serializable"),
                JDK.interfaces("java/util/ArrayList"));
        assertTrue(JDK.isInterface("java/util/List"));
        assertFalse(JDK.isInterface("java/util/ArrayList"));
    }

    @Test
    void anInterfaceAnswersObjectAsItsSuperclassAsItsClassFileRecords() {
        assertEquals("java/lang/Object", JDK.superName("java/lang/Runnable"));
    }

    @Test
    void assignabilityFollowsSuperclassesAndInheritedInterfaces() {
        assertTrue(JDK.isAssignable("java/lang/Number", "java/lang/Integer"));
        assertTrue(JDK.isAssignable("java/util/Collection", "java/util/ArrayList"));
        assertTrue(JDK.isAssignable("java/lang/Iterable", "java/util/List"));
        assertTrue(JDK.isAssignable("java/lang/Object", "java/util/List"));
        assertFalse(JDK.isAssignable("java/lang/Integer", "java/lang/Number"));
        assertFalse(JDK.isAssignable("java/util/List", "java/util/HashSet"));
    }

    @Test
    void arraysAreCovariantAndAreCloneableAndSerializable() {
        assertTrue(JDK.isAssignable("[Ljava/lang/Object;", "[Ljava/lang/String;"));
        assertTrue(JDK.isAssignable("[Ljava/lang/CharSequence;", "[Ljava/lang/String;"));
        assertFalse(JDK.isAssignable("[Ljava/lang/String;", "[Ljava/lang/Object;"));
        assertTrue(JDK.isAssignable("[[Ljava/lang/Number;", "[[Ljava/lang/Integer;"));
        assertFalse(JDK.isAssignable("[I", "[J"));
        assertTrue(JDK.isAssignable("java/lang/Cloneable", "[I"));
        assertTrue(JDK.isAssignable("java/io/Serializable", "[Ljava/lang/String;"));
        assertFalse(JDK.isAssignable("[Ljava/lang/String;", "java/lang/String"));
    }

    @Test
    void commonSuperClassIsTheFirstSharedSuperclassAndObjectForInterfaces() {
        assertEquals("java/lang/Number", JDK.commonSuperClass("java/lang/Integer", "java/lang/Long"));
        assertEquals("java/util/AbstractList", JDK.commonSuperClass("java/util/ArrayList", "java/util/LinkedList"));
        assertEquals("java/util/List", JDK.commonSuperClass("java/util/List", "java/util/ArrayList"));
        assertEquals("java/lang/Object", JDK.commonSuperClass("java/util/List", "java/util/Set"));
        assertEquals("java/lang/Object", JDK.commonSuperClass("java/lang/String", "java/lang/Integer"));
        assertEquals("java/lang/Exception", JDK.commonSuperClass("java/io/IOException", "java/lang/RuntimeException"));
    }

    @Test
    void classesComeFromJarsOnTheClasspath() throws Exception {
        Path guava = Path.of(ImmutableList.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ClassHierarchy hierarchy = ClassHierarchy.of(List.of(guava));
        assertEquals("com/google/common/collect/ImmutableCollection",
                hierarchy.superName("com/google/common/collect/ImmutableList"));
        assertTrue(hierarchy.isAssignable("java/util/Collection", "com/google/common/collect/ImmutableList"));
    }

    @Test
    void inMemoryClassesAreSeenBeforeTheParent() {
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Shapes.java", """
                package demo;
                class Shape { }
                class Circle extends Shape implements Comparable<Circle> {
                    public int compareTo(Circle other) { return 0; }
                }
                class Square extends Shape { }
                """);
        ClassHierarchy hierarchy = ClassHierarchy.ofBytes(classes, JDK);
        assertEquals("demo/Shape", hierarchy.superName("demo/Circle"));
        assertEquals(List.of("java/lang/Comparable"), hierarchy.interfaces("demo/Circle"));
        assertEquals("demo/Shape", hierarchy.commonSuperClass("demo/Circle", "demo/Square"));
        assertTrue(hierarchy.isAssignable("java/lang/Comparable", "demo/Circle"));
    }

    @Test
    void anUnknownClassIsAnErrorNamingTheClassAndTheClasspath() {
        ClassHierarchy hierarchy = ClassHierarchy.of(List.of(Path.of("target/no-such-dir")));
        WeaveException e = assertThrows(WeaveException.class, () -> hierarchy.superName("com/example/Missing"));
        assertEquals("class com.example.Missing is not on the classpath the weaver searched (the JDK "
                + Runtime.version().feature() + "); add the jar or directory that holds it to the weaver's classpath",
                e.getMessage());
    }

    @Test
    void directoriesOnTheClasspathAreSearchedInOrder(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Base.java", """
                package demo;
                class Base extends java.io.InputStream { public int read() { return -1; } }
                """);
        java.nio.file.Files.createDirectories(dir.resolve("demo"));
        java.nio.file.Files.write(dir.resolve("demo/Base.class"), classes.get("demo/Base"));
        ClassHierarchy hierarchy = ClassHierarchy.of(List.of(dir));
        assertTrue(hierarchy.isAssignable("java/io/Closeable", "demo/Base"));
        assertTrue(hierarchy.toString().contains(dir.toString()));
    }

    @Test
    void closingTheHierarchyReleasesTheJarsItOpened(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("shapes.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("demo/Circle.class"));
            out.write(TestCompiler.javac17().compile("demo/Circle.java", "package demo; class Circle { }")
                    .get("demo/Circle"));
        }
        ClassHierarchy hierarchy = ClassHierarchy.of(List.of(jar));
        assertEquals(0, openHandles(jar), "the jar is opened at the first question, not before");
        assertEquals("java/lang/Object", hierarchy.superName("demo/Circle"));
        assertEquals(1, openHandles(jar));
        hierarchy.close();
        assertEquals(0, openHandles(jar), "close() releases the jar's file");
    }

    /** How many of this process's file descriptors are open on a file, as Linux lists them. */
    private static long openHandles(Path file) throws IOException {
        Path descriptors = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(descriptors), "the open files are listed in /proc/self/fd on Linux only");
        Path target = file.toRealPath();
        long count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(descriptors)) {
            for (Path entry : entries) {
                try {
                    if (Files.readSymbolicLink(entry).equals(target)) {
                        count++;
                    }
                } catch (IOException closedMeanwhile) {
                    // The descriptor of the directory listing itself is gone by the time it is read.
                }
            }
        }
        return count;
    }
}
