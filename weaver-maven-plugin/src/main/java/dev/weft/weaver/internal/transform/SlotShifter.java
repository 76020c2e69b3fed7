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
 * Moves every local of the user's body up by {@link #SHIFT} slots, to make room for the resume
 * body's own parameters (state machine, value, failure) in slots 0 to 2: the instructions, javac's
 * frames, and the LocalVariableTable, so that a debugger still shows the user's names.
 */
final class SlotShifter {
    /** How many slots the resume body's parameters take before the user's locals. */
    static final int SHIFT = 3;

    private SlotShifter() {
    }

    /**
     * Shifts the method's locals in place.
     *
     * @param prefix the frame types of the three new slots, put in front of every frame's locals
     */
    static void shift(MethodNode method, List<Object> prefix) {
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof VarInsnNode variable) {
                variable.var += SHIFT;
            } else if (insn instanceof IincInsnNode increment) {
                increment.var += SHIFT;
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
                variable.index += SHIFT;
            }
        }
        shiftAnnotations(method.visibleLocalVariableAnnotations);
        shiftAnnotations(method.invisibleLocalVariableAnnotations);
        method.maxLocals += SHIFT;
    }

    private static void shiftAnnotations(List<LocalVariableAnnotationNode> annotations) {
        if (annotations != null) {
            for (LocalVariableAnnotationNode annotation : annotations) {
                annotation.index.replaceAll(index -> index + SHIFT);
            }
        }
    }
}
