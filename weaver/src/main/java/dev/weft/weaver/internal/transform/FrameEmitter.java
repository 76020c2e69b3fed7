package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;

/**
 * Writes the explicit frames and small constants of the woven code. Every frame is expanded
 * ({@link Opcodes#F_NEW}), as the frames read with {@code EXPAND_FRAMES} are, and ASM's writer
 * compresses them all; nothing is ever computed by ASM.
 */
final class FrameEmitter {
    private FrameEmitter() {
    }

    /** The types of the resume body's own parameters: state machine, value, failure. */
    static List<Object> prefix(String machine) {
        return List.of(machine, "java/lang/Object", "java/lang/Throwable");
    }

    /**
     * The types of the slots below the user's locals when they are shifted by {@code shift}: the
     * first {@code shift} of {@link #prefix}. A parameter whose slot the user's locals share is
     * left out, since the user's frames say what that slot holds.
     */
    static List<Object> prefix(String machine, int shift) {
        return prefix(machine).subList(0, shift);
    }

    /**
     * The frame locals of a block that holds {@code values} in the user's slots shifted by
     * {@code shift}, over {@code prefix}: each value in its slot (a wide one takes the next as its
     * second half), the slots between them {@code TOP}, and no {@code TOP} at the end. A value can
     * stand over a parameter of the prefix whose slot the user's locals share.
     *
     * @param prefix the types of the resume body's parameters below or under the user's locals
     * @param values the user's locals the block holds, in any order; no two overlap
     * @param shift  how far the user's locals are moved up
     * @return the frame's locals, as {@link #frame} takes them
     */
    static List<Object> locals(List<Object> prefix, List<Value> values, int shift) {
        List<Object> slots = new ArrayList<>(prefix);
        for (Value local : values) {
            int slot = local.index() + shift;
            while (slots.size() < slot + 2) {
                slots.add(Opcodes.TOP);
            }
            slots.set(slot, local.type());
        }
        List<Object> frame = FrameTypes.toFrameList(slots);
        while (!frame.isEmpty() && frame.get(frame.size() - 1) == (Object) Opcodes.TOP) {
            frame.remove(frame.size() - 1);
        }
        return frame;
    }

    /** An expanded frame with the given value lists. */
    static FrameNode frame(List<Object> locals, List<Object> stack) {
        return new FrameNode(Opcodes.F_NEW, locals.size(), locals.toArray(), stack.size(), stack.toArray());
    }

    /**
     * Whether a frame already stands at the position of {@code insn}: between it and the next
     * instruction there is a frame. A position takes one frame only.
     */
    static boolean frameAhead(AbstractInsnNode insn) {
        for (AbstractInsnNode node = insn; node != null && node.getOpcode() < 0; node = node.getNext()) {
            if (node instanceof FrameNode) {
                return true;
            }
        }
        return false;
    }

    /** The shortest instruction that pushes {@code value}. */
    static AbstractInsnNode pushInt(int value) {
        if (value >= -1 && value <= 5) {
            return new InsnNode(Opcodes.ICONST_0 + value);
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            return new IntInsnNode(Opcodes.BIPUSH, value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            return new IntInsnNode(Opcodes.SIPUSH, value);
        }
        return new LdcInsnNode(value);
    }
}
