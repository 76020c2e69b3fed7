package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LabelNode;
import org.junit.jupiter.api.Test;

class DispatchTest {
    private static List<LabelNode> targets(int count) {
        List<LabelNode> targets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            targets.add(new LabelNode());
        }
        return targets;
    }

    private static boolean hasOpcode(InsnList code, int opcode) {
        return Arrays.stream(code.toArray()).anyMatch(insn -> insn.getOpcode() == opcode);
    }

    @Test
    void theLocalsEveryResumeRestoresAreRestoredOnceBeforeTheJump() {
        Subjects.Prepared prepared = Subjects.prepare(Subjects.LOOP_WITH_TWO_AWAITS, "m");
        List<Value> shared = Dispatch.sharedRestores(prepared.tracked());
        // The counter and the iterator are live at both awaits; the url only at the first.
        assertEquals(List.of(1, 2), shared.stream().map(Value::index).toList());
    }

    @Test
    void aParameterLiveAtOneAwaitCountsLabelZeroAsItsSecondRestore() {
        Subjects.Prepared prepared = Subjects.prepare("""
                @Async static Coroutine<String> m(String name) {
                    await(f(1));
                    return result(name);
                }
                """, "m");
        assertEquals(List.of(0), Dispatch.sharedRestores(prepared.tracked()).stream().map(Value::index).toList());
    }

    @Test
    void sharedRestoresNeverOverlap() {
        Subjects.Prepared prepared = Subjects.prepare("""
                @Async static Coroutine<String> m() {
                    {
                        long wide = System.nanoTime();
                        await(f(1));
                        await(f(2));
                        System.out.println(wide);
                    }
                    int narrow = 3;
                    await(f(3));
                    await(f(4));
                    await(f(5));
                    return result("" + narrow);
                }
                """, "m");
        List<Value> shared = Dispatch.sharedRestores(prepared.tracked());
        // Slot 0 holds the long across two awaits, then the int across three: the int wins.
        assertEquals(1, shared.size());
        assertEquals(0, shared.get(0).index());
        assertEquals(Opcodes.INTEGER, shared.get(0).type());
    }

    @Test
    void fewLabelsAreDispatchedByACompareChainWhoseTargetsPopTheLabel() {
        Dispatch.Jumps jumps = Dispatch.jumps("demo/M", targets(3), new LabelNode(), 0);
        assertFalse(hasOpcode(jumps.code(), Opcodes.TABLESWITCH));
        assertArrayEquals(new boolean[] {true, true, false}, jumps.labelOnStack());
    }

    @Test
    void manyLabelsAreDispatchedByATableswitch() {
        Dispatch.Jumps jumps = Dispatch.jumps("demo/M", targets(9), new LabelNode(), 0);
        assertTrue(hasOpcode(jumps.code(), Opcodes.TABLESWITCH));
        assertArrayEquals(new boolean[9], jumps.labelOnStack());
    }

    @Test
    void theBadLabelBlockThrowsWhatTheRuntimeBuilds() {
        InsnList code = Dispatch.badLabel();
        assertEquals(List.of(Opcodes.ALOAD, Opcodes.INVOKESTATIC, Opcodes.ATHROW),
                Arrays.stream(code.toArray()).map(insn -> insn.getOpcode()).toList());
        assertEquals(5, SuspendBlocks.bytes(code));
    }
}
