package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.testing.HandWrittenClasses;
import dev.weft.weaver.testing.TestCompiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
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

    @Test
    void aDroppedNewThatEcjWritesWithoutDupIsRebuiltWithoutDupAfterItsArguments() {
        MethodNode method = Subjects.method(TestCompiler.ecj(), """
                @Async static Coroutine<Void> m(String s) {
                    new StringBuilder(await(f(s)));
                    return done();
                }
                """, "m");
        assertTrue(opcodes(method).stream().noneMatch(opcode -> opcode == Opcodes.DUP), "ECJ drops the object: no dup");
        AbstractInsnNode await = Subjects.calls(method, "await").get(0);

        UninitializedNewLifter.lift(Subjects.OWNER, method, Set.of(await));

        List<Integer> opcodes = opcodes(method);
        int at = opcodes.indexOf(Opcodes.NEW);
        assertTrue(method.instructions.indexOf(await) < method.instructions.indexOf(Subjects.calls(method, "<init>").get(0)));
        assertEquals(List.of(Opcodes.ASTORE, Opcodes.NEW, Opcodes.ALOAD, Opcodes.INVOKESPECIAL),
                opcodes.subList(at - 1, at + 3));
        assertTrue(opcodes.stream().noneMatch(opcode -> opcode == Opcodes.DUP));
    }

    @Test
    void anUninitializedObjectKeptInALocalAcrossAnAwaitIsTheUsersToRewriteAtItsLine() {
        ClassNode type = new ClassNode();
        new ClassReader(HandWrittenClasses.uninitializedObjectInALocal()).accept(type, ClassReader.EXPAND_FRAMES);
        MethodNode method = type.methods.stream().filter(m -> m.name.equals("m")).findFirst().orElseThrow();
        AbstractInsnNode await = Subjects.calls(method, "await").get(0);

        UnweavableShapeException e = assertThrows(UnweavableShapeException.class,
                () -> UninitializedNewLifter.lift(type.name, method, Set.of(await)));

        assertEquals(HandWrittenClasses.LINE, e.line());
        assertTrue(e.getMessage().endsWith("await the arguments into locals first (var a = await(x); ... new X(a))"),
                e.getMessage());
    }
}
