package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.testing.ByteArrayClassLoader;
import dev.weft.weaver.testing.TestCompiler;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.tree.ClassNode;

/**
 * The line table the weave writes into each state machine, read back through the runtime's
 * {@code Task.getStack()}: the lines come from the {@code // line:NAME} markers of the source.
 */
class AwaitLinesTest {
    private static final String SOURCE = """
            package demo;
            import dev.weft.Async;
            import dev.weft.runtime.*;
            import static dev.weft.runtime.Aio.*;
            public class Shapes {
                @Async static Coroutine<String> inner() {
                    String s = "inner";
                    await(sleep(10)); // line:inner
                    return result(s);
                }
                @Async static Coroutine<String> middle() {
                    await(sleep(0));
                    String s = await(inner()); // line:middle
                    return result(s);
                }
                @Async static Coroutine<String> outer() {
                    return result("outer " + await(middle())); // line:outer
                }
                @Async static Coroutine<Void> nap() {
                    await(sleep(1));
                    return done();
                }
                public static String go() {
                    EventLoop loop = new EventLoop(Clock.virtual());
                    Task<String> t = loop.createTask(outer(), "deep");
                    loop.runUntilComplete(nap());
                    String stack = java.util.Arrays.toString(t.getStack());
                    t.cancel();
                    loop.runUntilComplete(nap());
                    loop.close();
                    return stack;
                }
            }
            """;

    @Test
    void aTaskThreeCoroutinesDeepShowsEachFrameAtTheLineOfItsAwaitWithJavacAndEcj() throws Exception {
        String expected = "[" + at("inner") + ", " + at("middle") + ", " + at("outer") + "]";
        // Classes for this JVM (javac 25's run in AwaitLineTableTest, which reads them without loading).
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            Woven woven = Woven.compile(compiler, "demo/Shapes.java", SOURCE);
            assertEquals(expected, woven.call("demo.Shapes", "go"), compiler.name());
        }
    }

    @Test
    void labelZeroIsTheMethodsFirstLine() throws Exception {
        Woven woven = Woven.compile("demo/Shapes.java", SOURCE);
        assertEquals(line("inner") - 1, awaitLine(woven.loader, "demo.Shapes$weft$inner$0"));
    }

    @Test
    void aStateMachineNamesItsFileOnlyWhereTheClassNameWouldNot() {
        Woven here = Woven.compile("demo/Shapes.java", SOURCE);
        assertFalse(hasMethod(here.classes.get("demo/Shapes$weft$inner$0"), WeaveSupport.SOURCE_FILE));
        Woven elsewhere = Woven.compile("demo/Misc.java", SOURCE.replace("public class Shapes", "class Shapes"));
        assertTrue(hasMethod(elsewhere.classes.get("demo/Shapes$weft$inner$0"), WeaveSupport.SOURCE_FILE));
    }

    @Test
    void aStateMachineWithoutATableAsAnOlderWeaverWroteItShowsNoLine() throws Exception {
        Woven woven = Woven.compile("demo/Shapes.java", SOURCE);
        Map<String, byte[]> classes = new HashMap<>(woven.classes);
        for (String machine : List.of("demo/Shapes$weft$inner$0", "demo/Shapes$weft$middle$1", "demo/Shapes$weft$outer$2")) {
            classes.put(machine, withoutMethod(classes.get(machine), WeaveSupport.AWAIT_LINE));
        }
        ClassLoader loader = new ByteArrayClassLoader("weft-test", classes, AwaitLinesTest.class.getClassLoader());
        assertEquals("[demo.Shapes.inner(Shapes.java), demo.Shapes.middle(Shapes.java), demo.Shapes.outer(Shapes.java)]",
                loader.loadClass("demo.Shapes").getMethod("go").invoke(null));
    }

    @Test
    void theTableCostsAFixedPartPerStateMachineAndAByteOrTwoPerAwait() {
        Woven woven = Woven.compile("demo/Shapes.java", SOURCE);
        for (String machine : List.of("demo/Shapes$weft$inner$0", "demo/Shapes$weft$middle$1")) {
            byte[] with = rewritten(woven.classes.get(machine));
            byte[] without = withoutMethod(with, WeaveSupport.AWAIT_LINE);
            int cost = with.length - without.length;
            System.out.println("line table of " + machine + ": " + without.length + " -> " + with.length + " bytes (+"
                    + cost + ")");
            assertTrue(cost <= 130, machine + " grew by " + cost + " bytes");
        }
    }

    private static String at(String method) {
        return "demo.Shapes." + method + "(Shapes.java:" + line(method) + ")";
    }

    private static int line(String name) {
        String[] lines = SOURCE.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].endsWith("// line:" + name)) {
                return i + 1;
            }
        }
        throw new AssertionError("no marker " + name);
    }

    private static int awaitLine(ClassLoader loader, String machine) throws Exception {
        Class<?> type = loader.loadClass(machine);
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        Method m = type.getDeclaredMethod(WeaveSupport.AWAIT_LINE);
        m.setAccessible(true);
        return (int) m.invoke(constructor.newInstance());
    }

    private static boolean hasMethod(byte[] bytes, String name) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        return node.methods.stream().anyMatch(m -> m.name.equals(name));
    }

    /** The class written afresh (its constant pool holding only what its members use). */
    private static byte[] rewritten(byte[] bytes) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(bytes).accept(writer, 0);
        return writer.toByteArray();
    }

    private static byte[] withoutMethod(byte[] bytes, String name) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(bytes).accept(new ClassVisitor(WeaveSupport.ASM_API, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String n, String d, String s, String[] e) {
                return n.equals(name) ? null : super.visitMethod(access, n, d, s, e);
            }
        }, 0);
        return writer.toByteArray();
    }
}
