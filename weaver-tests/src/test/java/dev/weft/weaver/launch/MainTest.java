package dev.weft.weaver.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.testing.TestCompiler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path compileInto(Path classes, String fileName, String source) throws Exception {
        for (Map.Entry<String, byte[]> compiled : TestCompiler.javac17().compile(fileName, source).entrySet()) {
            Path file = classes.resolve(compiled.getKey() + ".class");
            Files.createDirectories(file.getParent());
            Files.write(file, compiled.getValue());
        }
        return classes.resolve(fileName.replace(".java", ".class"));
    }

    @Test
    void noArgumentsIsBadUsageWithTheUsageMessage() {
        assertEquals(Main.USAGE, run());
        assertTrue(err().contains("name at least one directory or jar"), err());
        assertTrue(err().contains("Usage: java -jar"), err());
    }

    @Test
    void psWithoutAPidIsBadUsage() {
        assertEquals(Main.USAGE, run("ps"));
        assertTrue(err().startsWith("weft: ps takes one argument, the process id of a running JVM"), err());
    }

    @Test
    void pstreeOfAPidThatIsNotANumberIsOneLineAndStatusOne() {
        assertEquals(Main.ERROR, run("pstree", "main"));
        assertEquals("weft: cannot inspect process main: a process id is a whole number" + System.lineSeparator(), err());
        assertEquals("", out());
    }

    @Test
    void psOfItsOwnJvmIsRefused() {
        assertEquals(Main.ERROR, run("ps", Long.toString(ProcessHandle.current().pid())));
        assertEquals("weft: cannot inspect process " + ProcessHandle.current().pid() + ": it is this command's own JVM"
                + System.lineSeparator(), err());
    }

    @Test
    void unknownOptionIsBadUsage() {
        assertEquals(Main.USAGE, run("--frobnicate", dir.toString()));
        assertTrue(err().contains("unknown option --frobnicate"), err());
    }

    @Test
    void missingTargetIsBadUsageNamingIt() {
        Path missing = dir.resolve("nowhere");
        assertEquals(Main.USAGE, run(missing.toString()));
        assertTrue(err().contains(missing + " is neither a directory nor a .jar file"), err());
    }

    @Test
    void classpathOptionWithoutValueIsBadUsage() {
        assertEquals(Main.USAGE, run(dir.toString(), "--classpath"));
        assertTrue(err().contains("--classpath needs a value"), err());
    }

    @Test
    void helpPrintsUsageToStandardOutputAndSucceeds() {
        assertEquals(Main.OK, run("--help"));
        assertTrue(out().contains("Usage: java -jar"), out());
        assertTrue(out().contains("Exit status"), out());
    }

    @Test
    void directoryWithoutAsyncCodeIsLeftByteForByte() throws Exception {
        Path plain = compileInto(dir, "demo/Plain.java", "package demo; public class Plain { int x() { return 1; } }");
        byte[] before = Files.readAllBytes(plain);

        assertEquals(Main.OK, run(dir.toString()));

        assertArrayEquals(before, Files.readAllBytes(plain));
        assertTrue(out().contains("woven 0 methods in 0 classes"), out());
        assertEquals("", err());
    }

    @Test
    void asyncMethodIsWovenInPlaceAndCounted() throws Exception {
        Path fetch = compileInto(dir, "demo/Fetch.java", """
                package demo;
                import dev.weft.Async;
                import dev.weft.runtime.Coroutine;
                import static dev.weft.runtime.Aio.*;
                public class Fetch {
                    @Async
                    static Coroutine<String> fetch(int id) {
                        await(sleep(0.1));
                        return result("data " + id);
                    }
                }
                """);
        byte[] before = Files.readAllBytes(fetch);

        assertEquals(Main.OK, run("--verbose", dir.toString()), err());

        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(fetch)));
        assertTrue(out().contains("woven 1 method in 1 class"), out());
        assertTrue(out().contains("woven " + dir), "verbose names each written file: " + out());
    }

    @Test
    void misuseExitsWithOneNamesFileAndLineAndLeavesTheDirectoryAsItWas() throws Exception {
        Path misuse = compileInto(dir, "demo/Misuse.java", """
                package demo;
                import dev.weft.Async;
                import dev.weft.runtime.Coroutine;
                import static dev.weft.runtime.Aio.*;
                public class Misuse {
                    private final Object lock = new Object();
                    @Async
                    Coroutine<Void> locked() {
                        synchronized (lock) {
                            await(sleep(1));
                        }
                        return done();
                    }
                }
                """);
        byte[] before = Files.readAllBytes(misuse);

        assertEquals(Main.ERROR, run(dir.toString()));

        assertTrue(err().contains("Misuse.java:10: error:"), err());
        assertTrue(err().contains("was left as it was"), err());
        assertArrayEquals(before, Files.readAllBytes(misuse));
        try (var files = Files.list(misuse.getParent())) {
            assertEquals(1, files.count(), "no generated class is written on error");
        }
    }
}
