package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.junit.jupiter.api.Test;

class ControlFlowTest {
    private static AbstractInsnNode first(MethodNode method, int opcode) {
        return Arrays.stream(method.instructions.toArray()).filter(insn -> insn.getOpcode() == opcode).findFirst().orElseThrow();
    }

    @Test
    void aConditionalJumpGoesToItsTargetOrFallsThrough() {
        MethodNode method = Subjects.method("""
                static int m(int n) { if (n > 0) { return 1; } return 2; }
                """, "m");
        ControlFlow flow = new ControlFlow(method);
        AbstractInsnNode jump = first(method, Opcodes.IFLE);
        int index = flow.indexOf(jump);
        assertEquals(List.of(flow.indexOf(((JumpInsnNode) jump).label), index + 1), flow.successors(index));
    }

    @Test
    void aReturnAndAGotoDoNotFallThrough() {
        MethodNode method = Subjects.method("""
                static int m(int n) { int s = 0; while (n-- > 0) { s += n; } return s; }
                """, "m");
        ControlFlow flow = new ControlFlow(method);
        assertEquals(List.of(), flow.successors(flow.indexOf(first(method, Opcodes.IRETURN))));
        AbstractInsnNode jump = first(method, Opcodes.GOTO);
        assertEquals(List.of(flow.indexOf(((JumpInsnNode) jump).label)), flow.successors(flow.indexOf(jump)));
    }

    @Test
    void aTableswitchGoesToItsDefaultAndEveryCase() {
        MethodNode method = Subjects.method("""
                static int m(int n) { switch (n) { case 0: return 5; case 1: return 6; case 2: return 7; default: return 8; } }
                """, "m");
        ControlFlow flow = new ControlFlow(method);
        TableSwitchInsnNode table = (TableSwitchInsnNode) first(method, Opcodes.TABLESWITCH);
        assertEquals(List.of(flow.indexOf(table.dflt), flow.indexOf(table.labels.get(0)), flow.indexOf(table.labels.get(1)),
                flow.indexOf(table.labels.get(2))), flow.successors(flow.indexOf(table)));
    }

    @Test
    void onlyTheInstructionsInsideATryRangeHaveItsHandler() {
        MethodNode method = Subjects.method("""
                static int m(String s) {
                    int before = s.length();
                    try { return Integer.parseInt(s) + before; } catch (NumberFormatException e) { return -1; }
                }
                """, "m");
        ControlFlow flow = new ControlFlow(method);
        int handler = flow.indexOf(method.tryCatchBlocks.get(0).handler);
        AbstractInsnNode parse = Subjects.calls(method, "parseInt").get(0);
        AbstractInsnNode length = Subjects.calls(method, "length").get(0);
        assertEquals(List.of(handler), flow.handlers(flow.indexOf(parse)));
        assertTrue(flow.handlers(flow.indexOf(length)).isEmpty());
    }
}
