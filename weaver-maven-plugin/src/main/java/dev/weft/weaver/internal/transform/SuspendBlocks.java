package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.internal.transform.SpillPlanner.Field;
import dev.weft.weaver.internal.transform.SpillPlanner.Point;
import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Writes the suspend blocks: what runs when {@code Woven.await} returned {@code SUSPENDED}. The
 * block is entered with {@code [below..., r]} on the stack, {@code r} being {@code SUSPENDED}
 * itself, so it returns {@code r} rather than reading the static again:
 * <pre>
 * save the live locals whose field does not hold them yet; null the fields that must not keep
 * a dead value; sm.label = k; save the stack below r (rotating r up, or popping it and reading
 * SUSPENDED again, whichever is shorter); areturn
 * </pre>
 * Points whose blocks are the same but for {@code k} share one stub, entered by
 * {@code push k; goto stub}, whenever that is shorter in total.
 */
final class SuspendBlocks {
    private final String machine;
    private final List<Suspension> suspensions = new ArrayList<>();

    private record Suspension(int label, LabelNode start, Point point, List<Object> locals, List<Object> afterAwait,
                              int line) {
    }

    SuspendBlocks(String machine) {
        this.machine = machine;
    }

    /**
     * Records the suspend block of one point.
     *
     * @param locals     the frame's locals at the await, prefix included
     * @param afterAwait the frame's stack right after the await: below values, then {@code r}
     */
    void add(int label, LabelNode start, Point point, List<Object> locals, List<Object> afterAwait, int line) {
        suspensions.add(new Suspension(label, start, point, locals, afterAwait, line));
    }

    /** Appends every recorded block to {@code tail}. */
    void emit(InsnList tail) {
        Map<List<Object>, List<Suspension>> groups = new LinkedHashMap<>();
        for (Suspension suspension : suspensions) {
            Point point = suspension.point();
            groups.computeIfAbsent(List.of(point.savedLocals(), point.clearedFields(), point.stack()),
                    key -> new ArrayList<>()).add(suspension);
        }
        InsnList stubs = new InsnList();
        for (List<Suspension> group : groups.values()) {
            Point point = group.get(0).point();
            int common = bytes(spill(point)) + bytes(saveStack(point));
            int separate = 0;
            int shared = common + 6;
            for (Suspension suspension : group) {
                int push = bytes(pushLabel(suspension.label()));
                separate += common + push + 5;
                shared += push + 3;
            }
            if (separate <= shared) {
                for (Suspension suspension : group) {
                    begin(tail, suspension);
                    tail.add(spill(point));
                    tail.add(new VarInsnNode(Opcodes.ALOAD, 0));
                    tail.add(pushLabel(suspension.label()));
                    tail.add(new FieldInsnNode(Opcodes.PUTFIELD, machine, WeaveSupport.LABEL_FIELD, "I"));
                    tail.add(saveStack(point));
                    tail.add(new InsnNode(Opcodes.ARETURN));
                }
                continue;
            }
            LabelNode stub = new LabelNode();
            for (Suspension suspension : group) {
                begin(tail, suspension);
                tail.add(pushLabel(suspension.label()));
                tail.add(new JumpInsnNode(Opcodes.GOTO, stub));
            }
            List<Object> stack = new ArrayList<>(group.get(0).afterAwait());
            stack.add(Opcodes.INTEGER);
            stubs.add(stub);
            stubs.add(FrameEmitter.frame(stubLocals(point), stack));
            stubs.add(new VarInsnNode(Opcodes.ALOAD, 0));
            stubs.add(new InsnNode(Opcodes.SWAP));
            stubs.add(new FieldInsnNode(Opcodes.PUTFIELD, machine, WeaveSupport.LABEL_FIELD, "I"));
            stubs.add(spill(point));
            stubs.add(saveStack(point));
            stubs.add(new InsnNode(Opcodes.ARETURN));
        }
        tail.add(stubs);
    }

    private static void begin(InsnList tail, Suspension suspension) {
        tail.add(suspension.start());
        tail.add(FrameEmitter.frame(suspension.locals(), suspension.afterAwait()));
        AwaitRewriter.addLine(tail, suspension.start(), suspension.line());
    }

    /** A shared stub's frame holds only the locals it saves: the points it serves may differ in the others. */
    private List<Object> stubLocals(Point point) {
        List<Object> slots = new ArrayList<>(FrameEmitter.prefix(machine));
        for (Value local : point.savedLocals()) {
            int slot = local.index() + SlotShifter.SHIFT;
            while (slots.size() < slot + 2) {
                slots.add(Opcodes.TOP);
            }
            slots.set(slot, local.type());
        }
        List<Object> values = FrameTypes.toFrameList(slots);
        while (values.get(values.size() - 1) == (Object) Opcodes.TOP) {
            values.remove(values.size() - 1);
        }
        return values;
    }

    /** Saves the locals that need it and nulls the fields that must not keep a dead value; the stack is untouched. */
    private InsnList spill(Point point) {
        InsnList code = new InsnList();
        for (Value local : point.savedLocals()) {
            code.add(new VarInsnNode(Opcodes.ALOAD, 0));
            code.add(FrameTypes.load(local.type(), local.index() + SlotShifter.SHIFT));
            code.add(put(local.field()));
        }
        for (Field field : point.clearedFields()) {
            code.add(new VarInsnNode(Opcodes.ALOAD, 0));
            code.add(new InsnNode(Opcodes.ACONST_NULL));
            code.add(put(field));
        }
        return code;
    }

    /** From {@code [below..., r]} to {@code [r]}, each value below saved in its field, top first. */
    private InsnList saveStack(Point point) {
        List<Value> below = point.stack();
        InsnList rotating = new InsnList();
        InsnList popping = new InsnList();
        popping.add(new InsnNode(Opcodes.POP));
        for (int i = below.size() - 1; i >= 0; i--) {
            Value value = below.get(i);
            if (FrameTypes.isWide(value.type())) {
                rotating.add(new InsnNode(Opcodes.DUP_X2));
                rotating.add(new InsnNode(Opcodes.POP));
            } else {
                rotating.add(new InsnNode(Opcodes.SWAP));
            }
            save(rotating, value);
            save(popping, value);
        }
        popping.add(new FieldInsnNode(Opcodes.GETSTATIC, WeaveSupport.WOVEN, WeaveSupport.SUSPENDED, "Ljava/lang/Object;"));
        return below.isEmpty() ? new InsnList() : bytes(rotating) <= bytes(popping) ? rotating : popping;
    }

    private void save(InsnList code, Value value) {
        if (value.field() == null) {
            code.add(new InsnNode(Opcodes.POP));
            return;
        }
        code.add(new VarInsnNode(Opcodes.ALOAD, 0));
        if (FrameTypes.isWide(value.type())) {
            code.add(new InsnNode(Opcodes.DUP_X2));
            code.add(new InsnNode(Opcodes.POP));
        } else {
            code.add(new InsnNode(Opcodes.SWAP));
        }
        code.add(put(value.field()));
    }

    private FieldInsnNode put(Field field) {
        return new FieldInsnNode(Opcodes.PUTFIELD, machine, field.name(), field.desc());
    }

    private static InsnList pushLabel(int label) {
        InsnList code = new InsnList();
        code.add(FrameEmitter.pushInt(label));
        return code;
    }

    /** The length in bytes of straight-line code as the class writer will write it. */
    static int bytes(InsnList code) {
        int total = 0;
        for (AbstractInsnNode insn : code) {
            if (insn.getOpcode() < 0) {
                continue;
            }
            if (insn instanceof VarInsnNode variable) {
                total += variable.var <= 3 ? 1 : variable.var <= 255 ? 2 : 4;
            } else if (insn instanceof IntInsnNode push) {
                total += push.getOpcode() == Opcodes.SIPUSH ? 3 : 2;
            } else if (insn instanceof FieldInsnNode || insn instanceof JumpInsnNode) {
                total += 3;
            } else if (insn instanceof MethodInsnNode call) {
                total += call.getOpcode() == Opcodes.INVOKEINTERFACE ? 5 : 3;
            } else if (insn instanceof InsnNode) {
                total += 1;
            } else {
                total += 3;
            }
        }
        return total;
    }
}
