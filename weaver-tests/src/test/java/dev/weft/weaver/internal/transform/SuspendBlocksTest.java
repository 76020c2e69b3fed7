package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.internal.transform.SpillPlanner.Field;
import dev.weft.weaver.internal.transform.SpillPlanner.Point;
import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LabelNode;
import org.junit.jupiter.api.Test;

class SuspendBlocksTest {
    private static final String MACHINE = "demo/M";
    private static final Field COUNT = new Field("l0", "I");
    private static final Field NAME = new Field("l1", "Ljava/lang/String;");
    private static final Field OLD = new Field("l2", "Ljava/lang/Object;");
    private static final Value COUNT_VALUE = new Value(0, Opcodes.INTEGER, COUNT);
    private static final Value NAME_VALUE = new Value(1, "java/lang/String", NAME);

    private static Point point(List<Value> saved, List<Field> cleared, List<Value> stack) {
        return new Point(List.of(Opcodes.INTEGER, "java/lang/String"), List.of(COUNT_VALUE, NAME_VALUE), stack, saved, cleared);
    }

    private static InsnList emit(Point... points) {
        SuspendBlocks blocks = new SuspendBlocks(MACHINE, SlotShifter.PARAMETERS);
        for (int i = 0; i < points.length; i++) {
            List<Object> afterAwait = new java.util.ArrayList<>();
            points[i].stack().forEach(value -> afterAwait.add(value.type()));
            afterAwait.add("java/lang/Object");
            blocks.add(i + 1, new LabelNode(), new LabelNode(), points[i], List.of(MACHINE, "java/lang/Object", "java/lang/Throwable",
                    Opcodes.INTEGER, "java/lang/String"), afterAwait, -1);
        }
        InsnList code = new InsnList();
        blocks.emit(code);
        return code;
    }

    private static List<Integer> opcodes(InsnList code) {
        return Arrays.stream(code.toArray()).map(insn -> insn.getOpcode()).filter(opcode -> opcode >= 0).toList();
    }

    private static long writes(InsnList code, Field field) {
        return Arrays.stream(code.toArray()).filter(insn -> insn instanceof FieldInsnNode put
                && put.getOpcode() == Opcodes.PUTFIELD && put.name.equals(field.name())).count();
    }

    @Test
    void aLoneSuspensionSavesSetsItsLabelAndReturnsTheMarkerItHolds() {
        InsnList code = emit(point(List.of(COUNT_VALUE), List.of(), List.of()));
        assertEquals(List.of(Opcodes.ALOAD, Opcodes.ILOAD, Opcodes.PUTFIELD, Opcodes.ALOAD, Opcodes.ICONST_1, Opcodes.PUTFIELD,
                Opcodes.ARETURN), opcodes(code));
        assertEquals(11, SuspendBlocks.bytes(code));
    }

    @Test
    void suspensionsSavingTheSameLocalsSaveThemOnceInASharedTail() {
        Point same = point(List.of(COUNT_VALUE, NAME_VALUE), List.of(), List.of());
        InsnList code = emit(same, same, same);
        assertEquals(1, writes(code, COUNT));
        assertEquals(1, writes(code, NAME));
        assertEquals(1, opcodes(code).stream().filter(opcode -> opcode == Opcodes.ARETURN).count());
    }

    @Test
    void whatOnlyOneSuspensionSavesOrNullsStaysInItsOwnBlock() {
        InsnList code = emit(point(List.of(COUNT_VALUE, NAME_VALUE), List.of(), List.of()),
                point(List.of(COUNT_VALUE), List.of(OLD), List.of()));
        assertEquals(1, writes(code, COUNT), "saved by both, in the tail");
        assertEquals(1, writes(code, NAME));
        assertEquals(1, writes(code, OLD));
        assertTrue(opcodes(code).contains(Opcodes.GOTO), "the first block jumps to the tail, the last falls into it");
        assertEquals(1, opcodes(code).stream().filter(opcode -> opcode == Opcodes.GOTO).count());
    }

    @Test
    void aValueBelowTheAwaitedOneIsRotatedAboveTheMarkerAndSaved() {
        Field depth0 = new Field("s0", "I");
        InsnList code = emit(point(List.of(), List.of(), List.of(new Value(0, Opcodes.INTEGER, depth0))));
        assertEquals(List.of(Opcodes.ALOAD, Opcodes.ICONST_1, Opcodes.PUTFIELD, Opcodes.SWAP, Opcodes.ALOAD, Opcodes.SWAP,
                Opcodes.PUTFIELD, Opcodes.ARETURN), opcodes(code));
        assertEquals(1, writes(code, depth0));
    }

    @Test
    void bytesCountsTheShortAndTheLongFormsOfLoadsAsTheClassWriterWritesThem() {
        InsnList code = new InsnList();
        code.add(new org.objectweb.asm.tree.VarInsnNode(Opcodes.ALOAD, 0));
        code.add(new org.objectweb.asm.tree.VarInsnNode(Opcodes.ALOAD, 9));
        code.add(new FieldInsnNode(Opcodes.PUTFIELD, MACHINE, "l6", "Ljava/lang/Object;"));
        code.add(new LabelNode());
        code.add(new org.objectweb.asm.tree.IntInsnNode(Opcodes.BIPUSH, 40));
        assertEquals(1 + 2 + 3 + 2, SuspendBlocks.bytes(code));
    }
}
