package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.internal.transform.SpillPlanner.Plan;
import dev.weft.weaver.internal.transform.SpillPlanner.Point;
import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * The head of the resume body, before any label's own code:
 * <pre>
 * if (failure != null) throw failure;     only when no await is inside a user try range
 * restore the locals that two or more labels would restore
 * go to label 0 (the start) or to resume block k
 * bad label: throw Woven.badLabel(sm)
 * </pre>
 * A local restored here for every label costs one restore instead of one per label; where it is
 * dead (label 0 for a local that is not a parameter, a resume where it is not live) the value is
 * never read and the frames there leave it out. The jump is a {@code tableswitch}, or for a few
 * labels a chain of {@code dup; push k; if_icmpeq} (the label left on the stack is popped by the
 * target), whichever is shorter.
 */
final class Dispatch {
    /**
     * The jump to each label.
     *
     * @param code         the instructions, from reading the label to the last jump; falls through
     *                     to the bad-label block
     * @param labelOnStack per target, whether it is entered with the label still on the stack
     */
    record Jumps(InsnList code, boolean[] labelOnStack) {
    }

    private Dispatch() {
    }

    /**
     * The locals worth restoring before the jump: those that at least two labels would restore (a
     * parameter label 0 loads counts for label 0), at most one field per slot, no two overlapping,
     * in slot order.
     */
    static List<Value> sharedRestores(Plan plan) {
        Map<Value, Integer> counts = new LinkedHashMap<>();
        plan.parameters().forEach(parameter -> counts.merge(parameter, 1, Integer::sum));
        for (Point point : plan.points().values()) {
            point.liveLocals().stream().filter(local -> local.field() != null)
                    .forEach(local -> counts.merge(local, 1, Integer::sum));
        }
        List<Value> candidates = counts.entrySet().stream().filter(entry -> entry.getValue() >= 2)
                .sorted(Map.Entry.<Value, Integer>comparingByValue().reversed()).map(Map.Entry::getKey).toList();
        List<Value> chosen = new ArrayList<>();
        for (Value candidate : candidates) {
            if (chosen.stream().noneMatch(other -> overlap(candidate, other))) {
                chosen.add(candidate);
            }
        }
        chosen.sort(Comparator.comparingInt(Value::index));
        return chosen;
    }

    private static boolean overlap(Value a, Value b) {
        int aEnd = a.index() + (FrameTypes.isWide(a.type()) ? 2 : 1);
        int bEnd = b.index() + (FrameTypes.isWide(b.type()) ? 2 : 1);
        return a.index() < bEnd && b.index() < aEnd;
    }

    /**
     * The jump from the label to {@code targets}, target k for label k.
     *
     * @param offset where the jump starts in the code, for the padding of a {@code tableswitch}
     */
    static Jumps jumps(String machine, List<LabelNode> targets, LabelNode bad, int offset) {
        InsnList read = new InsnList();
        read.add(new VarInsnNode(Opcodes.ALOAD, 0));
        read.add(new FieldInsnNode(Opcodes.GETFIELD, machine, WeaveSupport.LABEL_FIELD, "I"));
        int last = targets.size() - 1;
        InsnList chain = new InsnList();
        boolean[] kept = new boolean[targets.size()];
        for (int label = 0; label <= last; label++) {
            if (label < last) {
                chain.add(new InsnNode(Opcodes.DUP));
                kept[label] = true;
            }
            if (label == 0) {
                chain.add(new JumpInsnNode(Opcodes.IFEQ, targets.get(0)));
            } else {
                chain.add(FrameEmitter.pushInt(label));
                chain.add(new JumpInsnNode(Opcodes.IF_ICMPEQ, targets.get(label)));
            }
        }
        // Each target entered with the label on the stack pops it: one byte more each.
        int chainBytes = SuspendBlocks.bytes(chain) + last;
        int switchAt = offset + SuspendBlocks.bytes(read);
        int switchBytes = 1 + (3 - switchAt % 4) + 12 + 4 * targets.size();
        if (switchBytes <= chainBytes) {
            read.add(new TableSwitchInsnNode(0, last, bad, targets.toArray(new LabelNode[0])));
            return new Jumps(read, new boolean[targets.size()]);
        }
        read.add(chain);
        return new Jumps(read, kept);
    }

    /** {@code throw Woven.badLabel(sm)}. */
    static InsnList badLabel() {
        InsnList code = new InsnList();
        code.add(new VarInsnNode(Opcodes.ALOAD, 0));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN, WeaveSupport.WOVEN_BAD_LABEL,
                WeaveSupport.WOVEN_BAD_LABEL_DESC, false));
        code.add(new InsnNode(Opcodes.ATHROW));
        return code;
    }
}
