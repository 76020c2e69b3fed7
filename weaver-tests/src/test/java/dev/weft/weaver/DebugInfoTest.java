package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.runtime.Aio;
import dev.weft.runtime.Clock;
import dev.weft.runtime.Coroutine;
import dev.weft.weaver.testing.ByteArrayClassLoader;
import dev.weft.weaver.testing.TestCompiler;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * What a debugger and a stack trace see in woven code: the user's method name, file and line after
 * a resume, and the user's local variable names over the code where their slots hold them.
 */
class DebugInfoTest {
    private static final String SOURCE = """
            package dbg;

            import static dev.weft.runtime.Aio.await;
            import static dev.weft.runtime.Aio.sleep;

            import dev.weft.Async;
            import dev.weft.runtime.Coroutine;

            public class Dbg {
                @Async
                public static Coroutine<Void> boom(int count) {
                    String label = "n=" + count;
                    await(sleep(0.5));
                    throw new IllegalStateException(label);
                }
            }
            """;
    private static final int THROW_LINE = 14;

    private static Map<String, byte[]> woven() {
        Map<String, byte[]> compiled = TestCompiler.javac17().compile("dbg/Dbg.java", SOURCE);
        WeaveResult result = new Weaver(ClassHierarchy.ofBytes(compiled, ClassHierarchy.of(TestCompiler.testClasspath())))
                .weave(compiled.get("dbg/Dbg"));
        assertTrue(result.changed(), () -> "not woven: " + result.diagnostics());
        return new HashMap<>(result.classes());
    }

    @Test
    void anExceptionThrownAfterAResumeNamesTheUsersMethodFileAndLine() throws Exception {
        ClassLoader loader = new ByteArrayClassLoader("weft-test", woven(), DebugInfoTest.class.getClassLoader());
        Method boom = loader.loadClass("dbg.Dbg").getMethod("boom", int.class);
        Coroutine<?> coroutine = (Coroutine<?>) boom.invoke(null, 3);

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Aio.run(coroutine, Clock.virtual()));

        assertEquals("n=3", thrown.getMessage());
        StackTraceElement top = thrown.getStackTrace()[0];
        assertEquals("dbg.Dbg", top.getClassName());
        assertEquals("boom", top.getMethodName());
        assertEquals("Dbg.java", top.getFileName());
        assertEquals(THROW_LINE, top.getLineNumber());
    }

    @Test
    void theResumeBodyKeepsTheUsersLocalNamesOverTheCodeAfterTheAwait() {
        ClassNode host = new ClassNode();
        new ClassReader(woven().get("dbg/Dbg")).accept(host, 0);
        MethodNode body = host.methods.stream()
                .filter(m -> m.name.equals("boom") && (m.access & Opcodes.ACC_SYNTHETIC) != 0)
                .findFirst().orElseThrow(() -> new AssertionError("no synthetic resume body named boom"));

        Set<String> names = body.localVariables.stream().map(v -> v.name).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("count", "label")), () -> "local variables: " + names);

        AbstractInsnNode newException = null;
        for (AbstractInsnNode insn = body.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof MethodInsnNode call && call.owner.equals("java/lang/IllegalStateException")
                    && call.name.equals("<init>") && call.desc.equals("(Ljava/lang/String;)V")) {
                newException = call;
            }
        }
        assertNotNull(newException, "the throw after the await is in the resume body");
        int at = body.instructions.indexOf(newException);
        assertTrue(inScope(body, "label", at), "label must be in scope where the exception is made, after the resume");
        // Read nowhere after the await, count is not restored by a resume: its slot holds no value there.
        assertFalse(inScope(body, "count", at), "count must be out of scope after the await, where it is dead");
        assertEquals(THROW_LINE, lineOf(body, newException));
    }

    private static final String SHAPES = """
            package dbg;

            import static dev.weft.runtime.Aio.await;
            import static dev.weft.runtime.Aio.result;
            import static dev.weft.runtime.Aio.sleep;

            import dev.weft.Async;
            import dev.weft.runtime.Coroutine;

            public class Shapes {
                private int seen;

                @Async
                public static Coroutine<Void> unused(String p, int q) {
                    await(sleep(0.5));
                    return result(null);
                }

                @Async
                public Coroutine<Void> noThis(long wide, String p) {
                    await(sleep(0.5));
                    return result(null);
                }

                @Async
                public Coroutine<Integer> inTry(String p, double d, String q) {
                    int n = 0;
                    try {
                        await(sleep(0.5));
                        n = seen;
                    } catch (RuntimeException e) {
                        n = -1;
                    }
                    long later = n + 1L;
                    await(sleep(0.5));
                    return result((int) later);
                }
            }
            """;

    @Test
    void everyLocalVariableEntryOfAWovenBodyCoversOnlyCodeWhereItsSlotHoldsAValueOfItsType() throws Exception {
        Map<String, byte[]> compiled = TestCompiler.javac17().compile("dbg/Shapes.java", SHAPES);
        WeaveResult result = new Weaver(ClassHierarchy.ofBytes(compiled, ClassHierarchy.of(TestCompiler.testClasspath())))
                .weave(compiled.get("dbg/Shapes"));
        assertTrue(result.changed(), () -> "not woven: " + result.diagnostics());
        int checked = 0;
        for (byte[] bytes : result.classes().values()) {
            ClassNode node = new ClassNode();
            new ClassReader(bytes).accept(node, 0);
            for (MethodNode m : node.methods) {
                if (m.localVariables == null || m.instructions.size() == 0) {
                    continue;
                }
                Frame<BasicValue>[] frames = new Analyzer<>(new BasicInterpreter()).analyze(node.name, m);
                for (LocalVariableNode v : m.localVariables) {
                    for (int i = m.instructions.indexOf(v.start); i < m.instructions.indexOf(v.end); i++) {
                        if (frames[i] == null) {
                            continue;
                        }
                        BasicValue held = frames[i].getLocal(v.index);
                        assertEquals(expected(v.desc), held, node.name + "." + m.name + ": '" + v.name + "' (" + v.desc
                                + ", slot " + v.index + ") is in scope at instruction " + i + " where the slot holds " + held);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 0, "no entry was checked");
    }

    private static BasicValue expected(String desc) {
        return switch (desc.charAt(0)) {
            case 'I', 'Z', 'B', 'C', 'S' -> BasicValue.INT_VALUE;
            case 'J' -> BasicValue.LONG_VALUE;
            case 'F' -> BasicValue.FLOAT_VALUE;
            case 'D' -> BasicValue.DOUBLE_VALUE;
            default -> BasicValue.REFERENCE_VALUE;
        };
    }

    private static boolean inScope(MethodNode body, String name, int at) {
        return body.localVariables.stream().filter(v -> v.name.equals(name))
                .anyMatch(v -> body.instructions.indexOf(v.start) <= at && at < body.instructions.indexOf(v.end));
    }

    private static int lineOf(MethodNode m, AbstractInsnNode insn) {
        for (AbstractInsnNode i = insn; i != null; i = i.getPrevious()) {
            if (i instanceof LineNumberNode line) {
                return line.line;
            }
            if (i instanceof LabelNode label) {
                for (AbstractInsnNode j = m.instructions.getFirst(); j != null; j = j.getNext()) {
                    if (j instanceof LineNumberNode line && line.start == label) {
                        return line.line;
                    }
                }
            }
        }
        return -1;
    }
}
