package dev.weft.weaver.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class TestCompilerTest {
    private static final String HELLO = """
            package demo;
            import dev.weft.Async;
            class Hello {
                @Async
                static Object run() { return new Object() { }; }
            }
            """;

    @TestFactory
    Stream<DynamicTest> everyAvailableCompilerWritesEveryClassOfTheSourceWithItsClassFileVersion() {
        return TestCompiler.available().stream().map(compiler -> dynamicTest(compiler.name(), () -> {
            Map<String, byte[]> classes = compiler.compile("demo/Hello.java", HELLO);
            assertEquals(java.util.Set.of("demo/Hello", "demo/Hello$1"), classes.keySet());
            byte[] hello = classes.get("demo/Hello");
            int major = ((hello[6] & 0xff) << 8) | (hello[7] & 0xff);
            assertEquals(compiler.classFileMajorVersion(), major);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyAvailableCompilerReportsACompileErrorWithItsMessages() {
        return TestCompiler.available().stream().map(compiler -> dynamicTest(compiler.name(), () -> {
            TestCompiler.CompilationFailedException e = assertThrows(TestCompiler.CompilationFailedException.class,
                    () -> compiler.compile("demo/Broken.java", "package demo; class Broken { int x = \"s\"; }"));
            assertTrue(e.getMessage().contains(compiler.name()) && e.getMessage().contains("Broken.java"),
                    e::getMessage);
        }));
    }

    @Test
    void theJdk25CompilerEitherRunsOrSaysWhyNot() {
        TestCompiler javac25 = TestCompiler.javac25();
        if (javac25.isAvailable()) {
            assertEquals(69, javac25.classFileMajorVersion());
        } else {
            assertTrue(javac25.unavailableReason().contains("WEFT_JDK25"), javac25::unavailableReason);
            assertThrows(IllegalStateException.class, () -> javac25.compile("demo/Hello.java", HELLO));
        }
    }
}
