package dev.weft.weaver.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ByteArrayClassLoaderTest {
    @Test
    void classesHeldInMemoryAreDefinedByTheLoaderAndOthersComeFromTheParent() throws Exception {
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Hello.java",
                "package demo; public class Hello { public static String greet() { return \"hello\"; } }");
        ClassLoader parent = ByteArrayClassLoaderTest.class.getClassLoader();
        ByteArrayClassLoader loader = new ByteArrayClassLoader("weft-test", classes, parent);

        Class<?> hello = loader.loadClass("demo.Hello");

        assertSame(loader, hello.getClassLoader());
        assertEquals("hello", hello.getMethod("greet").invoke(null));
        assertSame(String.class, loader.loadClass("java.lang.String"));
        assertSame(TestCompiler.class, loader.loadClass(TestCompiler.class.getName()));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("demo.Missing"));
    }
}
