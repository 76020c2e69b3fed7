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
    private final int shift;
    private final List<Suspension> suspensions = new ArrayList<>();

    private record Suspension(int label, LabelNode start, LabelNode end, Point point, List<Object> locals,
                              List<Object> afterAwait, int line) {
    }

    /**
     * @param machine internal name of the state machine class
     * @param shift   how far the user's locals sit above their javac slots ({@link SlotShifter#shiftFor})
     */
    SuspendBlocks(String machine, int shift) {
        this.machine = machine;
        this.shift = shift;
    }

    /**
     * Records the suspend block of one point.
     *
     * @param end        placed after the block's own code, where a shared stub's code begins
     * @param locals     the frame's locals at the await, prefix included
     * @param afterAwait the frame's stack right after the await: below values, then {@code r}
     */
    void add(int label, LabelNode start, LabelNode end, Point point, List<Object> locals, List<Object> afterAwait,
             int line) {
        suspensions.add(new Suspension(label, start, end, point, locals, afterAwait, line));
    }

    /** Appends every recorded block to {@code tail}: one shared tail, or stubs per group, whichever is shorter. */
    void emit(InsnList tail) {
        if (!suspensions.isEmpty() && sharedTailBytes() < groupedBytes()) {
            emitSharedTail(tail);
        } else {
            emitGrouped(tail);
        }
    }

    /** Blocks that would be the same but for {@code k} share one stub, when that is shorter. */
    private void emitGrouped(InsnList tail) {
        InsnList stubs = new InsnList();
        for (List<Suspension> group : groups().values()) {
            Point point = group.get(0).point();
            if (separateBytes(group) <= stubBytes(group)) {
                for (Suspension suspension : group) {
                    begin(tail, suspension);
                    tail.add(spill(point.savedLocals(), point.clearedFields()));
                    tail.add(new VarInsnNode(Opcodes.ALOAD, 0));
                    tail.add(FrameEmitter.pushInt(suspension.label()));
                    tail.add(new FieldInsnNode(Opcodes.PUTFIELD, machine, WeaveSupport.LABEL_FIELD, "I"));
                    tail.add(saveStack(point));
                    tail.add(new InsnNode(Opcodes.ARETURN));
                    tail.add(suspension.end());
                }
                continue;
            }
            LabelNode stub = new LabelNode();
            for (Suspension suspension : group) {
                begin(tail, suspension);
                tail.add(FrameEmitter.pushInt(suspension.label()));
                tail.add(new JumpInsnNode(Opcodes.GOTO, stub));
                tail.add(suspension.end());
            }
            List<Object> stack = new ArrayList<>(group.get(0).afterAwait());
            stack.add(Opcodes.INTEGER);
            stubs.add(stub);
            stubs.add(FrameEmitter.frame(stubLocals(point.savedLocals()), stack));
            stubs.add(setLabelFromStack());
            stubs.add(spill(point.savedLocals(), point.clearedFields()));
            stubs.add(saveStack(point));
            stubs.add(new InsnNode(Opcodes.ARETURN));
        }
        tail.add(stubs);
    }

    private Map<List<Object>, List<Suspension>> groups() {
        Map<List<Object>, List<Suspension>> groups = new LinkedHashMap<>();
        for (Suspension suspension : suspensions) {
            Point point = suspension.point();
            groups.computeIfAbsent(List.of(point.savedLocals(), point.clearedFields(), point.stack()),
                    key -> new ArrayList<>()).add(suspension);
        }
        return groups;
    }

    private int groupedBytes() {
        return groups().values().stream().mapToInt(group -> Math.min(separateBytes(group), stubBytes(group))).sum();
    }

    private int separateBytes(List<Suspension> group) {
        Point point = group.get(0).point();
        int common = bytes(spill(point.savedLocals(), point.clearedFields())) + bytes(saveStack(point));
        return group.stream().mapToInt(s -> common + pushBytes(s.label()) + 5).sum();
    }

    private int stubBytes(List<Suspension> group) {
        Point point = group.get(0).point();
        int common = bytes(spill(point.savedLocals(), point.clearedFields())) + bytes(saveStack(point));
        return common + 6 + group.stream().mapToInt(s -> pushBytes(s.label()) + 3).sum();
    }

    /**
     * Every suspension saves what only it saves (and its stack, unless all stacks are alike),
     * pushes its label and jumps to one tail that sets the label, saves what all of them save and
     * returns. The last block falls into the tail.
     */
    private void emitSharedTail(InsnList tail) {
        SharedTail shared = sharedTail();
        LabelNode stub = new LabelNode();
        Suspension last = suspensions.get(suspensions.size() - 1);
        for (Suspension suspension : suspensions) {
            Point point = suspension.point();
            begin(tail, suspension);
            tail.add(spill(without(point.savedLocals(), shared.saved()), without(point.clearedFields(), shared.cleared())));
            if (!shared.savesStack()) {
                tail.add(saveStack(point));
            }
            tail.add(FrameEmitter.pushInt(suspension.label()));
            if (suspension != last) {
                tail.add(new JumpInsnNode(Opcodes.GOTO, stub));
            }
            tail.add(suspension.end());
        }
        List<Object> stack = new ArrayList<>(shared.savesStack() ? last.afterAwait() : List.of("java/lang/Object"));
        stack.add(Opcodes.INTEGER);
        tail.add(stub);
        tail.add(FrameEmitter.frame(stubLocals(shared.saved()), stack));
        tail.add(setLabelFromStack());
        if (shared.savesStack()) {
            tail.add(saveStack(last.point()));
        }
        tail.add(spill(shared.saved(), shared.cleared()));
        tail.add(new InsnNode(Opcodes.ARETURN));
    }

    /** What every suspension saves and nulls, and whether all of them save the same stack. */
    private record SharedTail(List<Value> saved, List<Field> cleared, boolean savesStack) {
    }

    private SharedTail sharedTail() {
        Point first = suspensions.get(0).point();
        List<Value> saved = new ArrayList<>(first.savedLocals());
        List<Field> cleared = new ArrayList<>(first.clearedFields());
        boolean sameStack = true;
        for (Suspension suspension : suspensions) {
            saved.retainAll(suspension.point().savedLocals());
            cleared.retainAll(suspension.point().clearedFields());
            sameStack &= suspension.point().stack().equals(first.stack());
        }
        return new SharedTail(saved, cleared, sameStack);
    }

    private int sharedTailBytes() {
        SharedTail shared = sharedTail();
        int total = 6 + bytes(spill(shared.saved(), shared.cleared())) - 3;
        for (Suspension suspension : suspensions) {
            Point point = suspension.point();
            total += bytes(spill(without(point.savedLocals(), shared.saved()), without(point.clearedFields(), shared.cleared())))
                    + pushBytes(suspension.label()) + 3;
            if (!shared.savesStack()) {
                total += bytes(saveStack(point));
            }
        }
        return total + (shared.savesStack() ? bytes(saveStack(suspensions.get(0).point())) : 0);
    }

    private static <T> List<T> without(List<T> all, List<T> shared) {
        List<T> rest = new ArrayList<>(all);
        rest.removeAll(shared);
        return rest;
    }

    /** {@code sm.label = k} with {@code [.., r, k]} on the stack. */
    private InsnList setLabelFromStack() {
        InsnList code = new InsnList();
        code.add(new VarInsnNode(Opcodes.ALOAD, 0));
        code.add(new InsnNode(Opcodes.SWAP));
        code.add(new FieldInsnNode(Opcodes.PUTFIELD, machine, WeaveSupport.LABEL_FIELD, "I"));
        return code;
    }

    private static int pushBytes(int label) {
        InsnList code = new InsnList();
        code.add(FrameEmitter.pushInt(label));
        return bytes(code);
    }

    private static void begin(InsnList tail, Suspension suspension) {
        tail.add(suspension.start());
        tail.add(FrameEmitter.frame(suspension.locals(), suspension.afterAwait()));
        AwaitRewriter.addLine(tail, suspension.start(), suspension.line());
    }

    /** A shared stub's frame holds only the locals it saves: the points it serves may differ in the others. */
    private List<Object> stubLocals(List<Value> saved) {
        return FrameEmitter.locals(FrameEmitter.prefix(machine, shift), saved, shift);
    }

    /** Saves the locals that need it and nulls the fields that must not keep a dead value; the stack is untouched. */
    private InsnList spill(List<Value> saved, List<Field> cleared) {
        InsnList code = new InsnList();
        for (Value local : saved) {
            code.add(new VarInsnNode(Opcodes.ALOAD, 0));
            code.add(FrameTypes.load(local.type(), local.index() + shift));
            code.add(put(local.field()));
        }
        for (Field field : cleared) {
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
