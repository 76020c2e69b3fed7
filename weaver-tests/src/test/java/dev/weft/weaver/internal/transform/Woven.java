package dev.weft.weaver.internal.transform;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.testing.ByteArrayClassLoader;
import dev.weft.weaver.testing.TestCompiler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Test support: compiles a source, weaves every class with an {@code @Async} method through
 * {@link AsyncTransformer}, checks each class with ASM's verifier and loads them all in a fresh
 * class loader.
 */
final class Woven {
    final Map<String, byte[]> original;
    final Map<String, byte[]> classes = new LinkedHashMap<>();
    final ClassLoader loader;
    int wovenMethods;

    private Woven(TestCompiler compiler, String fileName, String source) {
        this(compiler, fileName, source, java.util.function.UnaryOperator.identity());
    }

    private Woven(TestCompiler compiler, String fileName, String source, java.util.function.UnaryOperator<byte[]> after) {
        original = compiler.compile(fileName, source);
        ClassHierarchy hierarchy = ClassHierarchy.ofBytes(original, ClassHierarchy.of(TestCompiler.testClasspath()));
        for (Map.Entry<String, byte[]> entry : original.entrySet()) {
            if (new String(entry.getValue(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("Ldev/weft/Async;")) {
                AsyncTransformer.Result result = AsyncTransformer.transform(entry.getValue(), hierarchy);
                result.classes().forEach((name, bytes) -> classes.put(name, after.apply(bytes)));
                wovenMethods += result.wovenMethods();
            } else {
                classes.put(entry.getKey(), entry.getValue());
            }
        }
        loader = new ByteArrayClassLoader("weft-test", classes, Woven.class.getClassLoader());
        String dump = System.getProperty("weft.dump");
        for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
            if (dump != null) {
                try {
                    java.nio.file.Path file = java.nio.file.Path.of(dump, entry.getKey() + ".class");
                    java.nio.file.Files.createDirectories(file.getParent());
                    java.nio.file.Files.write(file, entry.getValue());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            verify(entry.getKey(), entry.getValue(), loader);
        }
    }

    static Woven compile(String fileName, String source) {
        return new Woven(TestCompiler.javac17(), fileName, source);
    }

    static Woven compile(TestCompiler compiler, String fileName, String source) {
        return new Woven(compiler, fileName, source);
    }

    /**
     * As {@link #compile(TestCompiler, String, String)}, with {@code after} applied to each class
     * the weave writes, before it is verified and loaded.
     */
    static Woven compile(TestCompiler compiler, String fileName, String source, java.util.function.UnaryOperator<byte[]> after) {
        return new Woven(compiler, fileName, source, after);
    }

    static void verify(String name, byte[] bytes, ClassLoader loader) {
        StringWriter out = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), loader, false, new PrintWriter(out));
        if (!out.toString().isEmpty()) {
            throw new AssertionError("woven " + name + " does not verify:\n" + out);
        }
    }

    /** Calls a public static method of a woven class, by name, with no arguments. */
    Object call(String className, String method) throws Exception {
        Method m = loader.loadClass(className).getMethod(method);
        try {
            return m.invoke(null);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        }
    }
}
