package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.testing.TestCompiler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weaving a jar: rewritten through a file beside it, or left untouched. */
class WeaverJarTest {
    private static final byte[] MANIFEST = "Manifest-Version: 1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESOURCE = "greeting=hello\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void aJarWithAnAsyncClassIsRewrittenWithEveryOtherEntryCopiedInOrder() throws IOException {
        Map<String, byte[]> compiled = TestCompiler.javac17().compile(Map.of("demo/Fetch.java", WeaverTest.FETCH,
                "demo/Plain.java", WeaverTest.PLAIN));
        Path jar = jar(compiled, Map.of());

        WeaveReport report = new Weaver(WeaverTest.CLASSPATH).weaveJar(jar);

        assertFalse(report.hasErrors(), report.diagnostics()::toString);
        assertEquals(List.of(jar), report.writtenFiles());
        assertEquals(1, report.wovenClasses());
        assertEquals(1, report.wovenMethods());
        Map<String, byte[]> entries = read(jar);
        List<String> names = new ArrayList<>(entries.keySet());
        assertEquals("META-INF/MANIFEST.MF", names.get(0));
        assertEquals(5, names.size(), names::toString);
        assertEquals("demo/Fetch.class", names.get(1));
        assertTrue(names.get(2).startsWith("demo/") && names.get(2).endsWith(".class"), names::toString);
        assertArrayEquals(MANIFEST, entries.get("META-INF/MANIFEST.MF"));
        assertArrayEquals(RESOURCE, entries.get("demo/greeting.properties"));
        assertArrayEquals(compiled.get("demo/Plain"), entries.get("demo/Plain.class"));
        assertFalse(java.util.Arrays.equals(compiled.get("demo/Fetch"), entries.get("demo/Fetch.class")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(jar), files.toList());
        }
    }

    @Test
    void weavingAWovenJarAgainLeavesItByteIdentical() throws IOException {
        Path jar = jar(TestCompiler.javac17().compile("demo/Fetch.java", WeaverTest.FETCH), Map.of());
        Weaver weaver = new Weaver(WeaverTest.CLASSPATH);
        weaver.weaveJar(jar);
        byte[] woven = Files.readAllBytes(jar);

        WeaveReport again = weaver.weaveJar(jar);

        assertEquals(List.of(), again.writtenFiles());
        assertArrayEquals(woven, Files.readAllBytes(jar));
    }

    @Test
    void aJarWithAnErrorIsLeftUntouched() throws IOException {
        Map<String, byte[]> compiled = TestCompiler.javac17().compile(Map.of("demo/Fetch.java", WeaverTest.FETCH,
                "demo/Bad.java", """
                        package demo;
                        class Bad {
                            static Object bad(dev.weft.runtime.Future<String> f) {
                                return dev.weft.runtime.Aio.await(f);
                            }
                        }
                        """));
        Path jar = jar(compiled, Map.of());
        byte[] before = Files.readAllBytes(jar);

        WeaveReport report = new Weaver(WeaverTest.CLASSPATH).weaveJar(jar);

        assertTrue(report.hasErrors());
        assertEquals("Bad.java:4: error: demo.Bad.bad: await called in method bad, which is not @Async: only an "
                + "@Async method can suspend; annotate bad with @Async and make it return Coroutine, or await in the "
                + "@Async method that calls it", report.diagnostics().get(0).format());
        assertArrayEquals(before, Files.readAllBytes(jar));
    }

    @Test
    void aSignedJarWhoseClassesWouldChangeIsAnErrorAndLeftUntouched() throws IOException {
        Path jar = jar(TestCompiler.javac17().compile("demo/Fetch.java", WeaverTest.FETCH),
                Map.of("META-INF/SIGNER.SF", "Signature-Version: 1.0\r\n".getBytes(StandardCharsets.UTF_8)));
        byte[] before = Files.readAllBytes(jar);

        WeaveReport report = new Weaver(WeaverTest.CLASSPATH).weaveJar(jar);

        assertTrue(report.hasErrors());
        assertEquals("app.jar: error: demo.Fetch: the jar is signed, and weaving this class would break its "
                + "signature; weave the classes before the jar is signed", report.diagnostics().get(0).format());
        assertArrayEquals(before, Files.readAllBytes(jar));
    }

    /** A jar with a manifest first, the classes, then a stored resource and any extra entries. */
    private Path jar(Map<String, byte[]> classes, Map<String, byte[]> extra) throws IOException {
        Path jar = dir.resolve("app.jar");
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            put(zip, "META-INF/MANIFEST.MF", MANIFEST, false);
            for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                put(zip, e.getKey(), e.getValue(), false);
            }
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                put(zip, e.getKey() + ".class", e.getValue(), false);
            }
            put(zip, "demo/greeting.properties", RESOURCE, true);
        }
        return jar;
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes, boolean stored) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        if (stored) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(bytes.length);
            entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static Map<String, byte[]> read(Path jar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                entries.put(entry.getName(), zip.getInputStream(entry).readAllBytes());
            }
        }
        return entries;
    }
}
