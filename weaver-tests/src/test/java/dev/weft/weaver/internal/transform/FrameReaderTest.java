package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
    private static FrameReader.State atFirstAwait(MethodNode method) {
        MethodInsnNode await = Subjects.calls(method, "await").get(0);
        Map<AbstractInsnNode, FrameReader.State> states = FrameReader.read(Subjects.OWNER, method, insn -> insn == await);
        return states.get(await);
    }

    @Test
    void localsAreASlotListAndTheStackAValueListAtAnAwait() {
        FrameReader.State state = atFirstAwait(Subjects.method("""
                @Async static Coroutine<String> m(int n, String s) {
                    long big = 5;
                    return result(join(s, big, await(f("x"))));
                }
                """, "m"));
        assertEquals(List.of(Opcodes.INTEGER, "java/lang/String", Opcodes.LONG, Opcodes.TOP), state.locals().subList(0, 4));
        // join's varargs array, its copy for aastore, the index, then the awaited future.
        assertEquals(List.of("[Ljava/lang/Object;", "[Ljava/lang/Object;", Opcodes.INTEGER, "dev/weft/runtime/Future"),
                state.stack());
    }

    @Test
    void typesBetweenFramesFollowTheInstructionsNotTheDeclarations() {
        FrameReader.State state = atFirstAwait(Subjects.method("""
                @Async static Coroutine<String> m() {
                    Object o = "text";
                    await(f(1));
                    return result(String.valueOf(o));
                }
                """, "m"));
        assertEquals("java/lang/String", state.locals().get(0));
    }

    @Test
    void anUninitializedObjectIsTheLabelJustBeforeItsNew() {
        MethodNode method = Subjects.method("""
                @Async static Coroutine<StringBuilder> m() { return result(new StringBuilder(await(f("x")))); }
                """, "m");
        FrameReader.State state = atFirstAwait(method);
        assertEquals(3, state.stack().size());
        LabelNode label = assertInstanceOf(LabelNode.class, state.stack().get(0));
        assertSame(label, state.stack().get(1));
        AbstractInsnNode next = label.getNext();
        while (next.getOpcode() < 0) {
            next = next.getNext();
        }
        assertEquals(Opcodes.NEW, next.getOpcode());
    }

    @Test
    void theReceiverOfAnInstanceMethodIsTheOwner() {
        FrameReader.State state = atFirstAwait(Subjects.method("""
                @Async Coroutine<String> m(double d) { await(f(1)); return result("" + d + this); }
                """, "m"));
        assertEquals(List.of(Subjects.OWNER, Opcodes.DOUBLE, Opcodes.TOP), state.locals().subList(0, 3));
    }
}
