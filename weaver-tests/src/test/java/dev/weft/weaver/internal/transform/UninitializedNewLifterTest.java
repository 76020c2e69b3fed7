package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.junit.jupiter.api.Test;

class UninitializedNewLifterTest {
    private static List<Integer> opcodes(MethodNode method) {
        List<Integer> opcodes = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            if (insn.getOpcode() >= 0) {
                opcodes.add(insn.getOpcode());
            }
        }
        return opcodes;
    }

    @Test
    void newAroundAnAwaitMovesAfterItsArgumentsWhichWaitInScratchLocals() {
        MethodNode method = Subjects.method("""
                @Async static Coroutine<StringBuilder> m(String s) { return result(new StringBuilder(await(f(s)))); }
                """, "m");
        int maxLocals = method.maxLocals;
        AbstractInsnNode await = Subjects.calls(method, "await").get(0);
        int scratch = UninitializedNewLifter.lift(Subjects.OWNER, method, Set.of(await));
        assertEquals(maxLocals, scratch);
        List<Integer> opcodes = opcodes(method);
        int awaitAt = method.instructions.indexOf(await);
        int newAt = -1;
        for (AbstractInsnNode insn : method.instructions) {
            if (insn.getOpcode() == Opcodes.NEW) {
                newAt = method.instructions.indexOf(insn);
            }
        }
        assertTrue(newAt > awaitAt, "the allocation now follows the await");
        // checkcast of the awaited value, stored in the scratch slot, then new; dup; load; <init>.
        int at = opcodes.indexOf(Opcodes.NEW);
        assertEquals(List.of(Opcodes.ASTORE, Opcodes.NEW, Opcodes.DUP, Opcodes.ALOAD, Opcodes.INVOKESPECIAL),
                opcodes.subList(at - 1, at + 4));
        assertEquals(maxLocals + 1, method.maxLocals);
    }

    @Test
    void framesNoLongerHoldTheLiftedUninitializedValue() {
        MethodNode method = Subjects.method("""
                @Async static Coroutine<String> m(boolean b) {
                    return result(new String(b ? await(f("x")) : "y"));
                }
                """, "m");
        AbstractInsnNode await = Subjects.calls(method, "await").get(0);
        boolean hadUninitialized = false;
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof FrameNode frame && frame.stack != null) {
                hadUninitialized |= frame.stack.stream().anyMatch(LabelNode.class::isInstance);
            }
        }
        assertTrue(hadUninitialized, "javac's frames at the ternary hold the uninitialized string");
        UninitializedNewLifter.lift(Subjects.OWNER, method, Set.of(await));
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof FrameNode frame && frame.stack != null) {
                assertTrue(frame.stack.stream().noneMatch(LabelNode.class::isInstance));
            }
        }
    }

    @Test
    void newWithNoAwaitInItsArgumentsStaysWhereItIs() {
        MethodNode method = Subjects.method("""
                @Async static Coroutine<String> m() {
                    StringBuilder b = new StringBuilder("x");
                    await(f(1));
                    return result(b.toString());
                }
                """, "m");
        List<Integer> before = opcodes(method);
        AbstractInsnNode await = Subjects.calls(method, "await").get(0);
        int maxLocals = method.maxLocals;
        UninitializedNewLifter.lift(Subjects.OWNER, method, Set.of(await));
        assertEquals(before, opcodes(method));
        assertEquals(maxLocals, method.maxLocals);
    }
}
