package dev.weft.weaver.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.testing.TestCompiler;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;

class AsyncMethodsTest {
    /** A generic override: javac and ECJ write the bridge {@code put(Object)} that calls {@code put(String)}. */
    private static final String OVERRIDE = """
            package demo;

            import dev.weft.Async;
            import dev.weft.runtime.Coroutine;
            import static dev.weft.runtime.Aio.*;

            interface Sink<T> { Coroutine<Void> put(T value); }

            class Printer implements Sink<String> {
                @Async public Coroutine<Void> put(String value) {
                    System.out.println(value);
                    return done();
                }
            }
            """;

    @Test
    void aBridgeCarriesTheAnnotationTheCompilerCopiedButIsNotAsync() {
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            ClassNode printer = read(compiler.compile("demo/Printer.java", OVERRIDE).get("demo/Printer"));
            MethodNode bridge = method(printer, "put", Opcodes.ACC_BRIDGE);
            MethodNode real = method(printer, "put", 0);
            assertEquals("(Ljava/lang/String;)Ldev/weft/runtime/Coroutine;", real.desc, compiler.name());
            assertTrue(AsyncMethods.isAsync(real), compiler.name());
            assertFalse(AsyncMethods.isAsync(bridge), compiler.name() + ": the bridge only forwards");
            if (compiler.name().startsWith("javac")) {
                assertTrue(bridge.invisibleAnnotations.stream().anyMatch(a -> a.desc.equals(WeaveSupport.ASYNC_DESC)),
                        "javac copies @Async onto the bridge, so the annotation alone cannot decide");
            }
        }
    }

    @Test
    void theAnnotationCountsWhetherItIsRecordedInvisibleOrVisible() {
        MethodNode invisible = method(Opcodes.ACC_STATIC);
        invisible.invisibleAnnotations = List.of(new AnnotationNode(WeaveSupport.ASYNC_DESC));
        MethodNode visible = method(Opcodes.ACC_STATIC);
        visible.visibleAnnotations = List.of(new AnnotationNode(WeaveSupport.ASYNC_DESC));

        assertTrue(AsyncMethods.isAsync(invisible));
        assertTrue(AsyncMethods.isAsync(visible));
    }

    @Test
    void aMethodWithoutTheAnnotationOrWithAnotherIsNotAsync() {
        MethodNode other = method(Opcodes.ACC_STATIC);
        other.invisibleAnnotations = List.of(new AnnotationNode("Ldev/weft/Other;"));

        assertFalse(AsyncMethods.isAsync(method(Opcodes.ACC_STATIC)));
        assertFalse(AsyncMethods.isAsync(other));
    }

    @Test
    void theFirstLineIsTheFirstLineNumberInCodeOrderNotTheSmallest() {
        MethodNode method = method(Opcodes.ACC_STATIC);
        LabelNode start = new LabelNode();
        LabelNode later = new LabelNode();
        method.instructions.add(start);
        method.instructions.add(new LineNumberNode(9, start));
        method.instructions.add(new InsnNode(Opcodes.NOP));
        method.instructions.add(later);
        method.instructions.add(new LineNumberNode(7, later));
        method.instructions.add(new InsnNode(Opcodes.RETURN));

        assertEquals(9, AsyncMethods.firstLine(method));
    }

    @Test
    void aMethodWithoutCodeOrWithoutLineNumbersHasLineZero() {
        MethodNode abstractMethod = method(Opcodes.ACC_ABSTRACT);
        abstractMethod.instructions = null;
        MethodNode noLines = method(Opcodes.ACC_STATIC);
        noLines.instructions.add(new InsnNode(Opcodes.RETURN));

        assertEquals(0, AsyncMethods.firstLine(abstractMethod));
        assertEquals(0, AsyncMethods.firstLine(noLines));
    }

    @Test
    void theFirstLineOfACompiledMethodIsTheLineOfItsFirstStatement() {
        ClassNode printer = read(TestCompiler.javac17().compile("demo/Printer.java", OVERRIDE).get("demo/Printer"));

        assertEquals(11, AsyncMethods.firstLine(method(printer, "put", 0)));
    }

    private static MethodNode method(int access) {
        return new MethodNode(access, "run", "()Ldev/weft/runtime/Coroutine;", null, null);
    }

    private static MethodNode method(ClassNode type, String name, int bridge) {
        return type.methods.stream().filter(m -> m.name.equals(name) && (m.access & Opcodes.ACC_BRIDGE) == bridge)
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " with bridge flag " + bridge));
    }

    private static ClassNode read(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        return node;
    }
}
