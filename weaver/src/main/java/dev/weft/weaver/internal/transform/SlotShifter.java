package dev.weft.weaver.internal.transform;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.LocalVariableAnnotationNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Moves every local of the user's body up, to make room for the resume body's own parameters
 * (state machine, value, failure) in slots 0 to 2: the instructions, javac's frames, and the
 * LocalVariableTable, so that a debugger still shows the user's names.
 *
 * <p>The shift is 3 unless the value or the failure can share a slot with the user's locals
 * ({@link #shiftFor}): javac reaches slots 0 to 3 with one-byte loads and stores, so every slot
 * the user's locals move down saves a byte on each use of a local that lands back in that range.
 */
final class SlotShifter {
    /** The resume body's own parameters: state machine, value, failure. */
    static final int PARAMETERS = 3;

    private SlotShifter() {
    }

    /**
     * How far the user's locals move up. The machine in slot 0 is read everywhere, so it always
     * keeps its slot. The failure (slot 2) is read only by the head's check when no await is
     * inside a user try range, and that check runs before anything is written: then the user's
     * slot 0 may take slot 2. The value (slot 1) is read by each resume block after its restores:
     * it may be overwritten by the user's slot 0 only when no resume restores that slot, that is
     * when the user's slot 0 is live at no await (label 0, which writes it, reads no value).
     *
     * @param checkedFirst         whether the head throws the failure before anything else
     * @param firstSlotLiveAtAwait whether the user's slot 0 is live after some await
     */
    static int shiftFor(boolean checkedFirst, boolean firstSlotLiveAtAwait) {
        if (!checkedFirst) {
            return 3;
        }
        return firstSlotLiveAtAwait ? 2 : 1;
    }

    /**
     * Shifts the method's locals in place.
     *
     * @param prefix the frame types of the slots below the user's locals, put in front of every
     *               frame's locals; its size is the shift
     */
    static void shift(MethodNode method, List<Object> prefix) {
        int shift = prefix.size();
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof VarInsnNode variable) {
                variable.var += shift;
            } else if (insn instanceof IincInsnNode increment) {
                increment.var += shift;
            } else if (insn instanceof FrameNode frame) {
                List<Object> locals = new ArrayList<>(prefix);
                if (frame.local != null) {
                    locals.addAll(frame.local);
                }
                frame.local = locals;
            } else if (insn.getOpcode() == org.objectweb.asm.Opcodes.RET) {
                throw new IllegalStateException("jsr/ret subroutines (class files before Java 7) cannot be woven");
            }
        }
        if (method.localVariables != null) {
            for (LocalVariableNode variable : method.localVariables) {
                variable.index += shift;
            }
        }
        shiftAnnotations(method.visibleLocalVariableAnnotations, shift);
        shiftAnnotations(method.invisibleLocalVariableAnnotations, shift);
        // The three parameters take three slots, whatever the user's locals leave above them.
        method.maxLocals = Math.max(method.maxLocals + shift, PARAMETERS);
    }

    private static void shiftAnnotations(List<LocalVariableAnnotationNode> annotations, int shift) {
        if (annotations != null) {
            for (LocalVariableAnnotationNode annotation : annotations) {
                annotation.index.replaceAll(index -> index + shift);
            }
        }
    }
}
