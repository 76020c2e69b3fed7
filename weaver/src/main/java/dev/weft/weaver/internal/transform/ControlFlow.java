package dev.weft.weaver.internal.transform;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * The edges between a method's instructions, by index in its instruction list: the normal
 * successors of each instruction and the handlers that cover it. Labels, frames and line numbers
 * are nodes too; they fall through. Shared by the dataflow stages ({@link LivenessAnalyzer},
 * {@link FieldTracker}).
 */
final class ControlFlow {
    private final InsnList instructions;
    private final List<List<Integer>> handlers;

    ControlFlow(MethodNode method) {
        this.instructions = method.instructions;
        int size = instructions.size();
        this.handlers = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            handlers.add(List.of());
        }
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            int handler = instructions.indexOf(block.handler);
            for (int i = instructions.indexOf(block.start); i < instructions.indexOf(block.end); i++) {
                if (handlers.get(i).isEmpty()) {
                    handlers.set(i, new ArrayList<>(2));
                }
                handlers.get(i).add(handler);
            }
        }
    }

    /** How many nodes the method has. */
    int size() {
        return instructions.size();
    }

    /** The node at {@code index}. */
    AbstractInsnNode get(int index) {
        return instructions.get(index);
    }

    /** The index of {@code insn}. */
    int indexOf(AbstractInsnNode insn) {
        return instructions.indexOf(insn);
    }

    /** The handlers of the try ranges that cover the node at {@code index}. */
    List<Integer> handlers(int index) {
        return handlers.get(index);
    }

    /** Where control goes after the node at {@code index} completes normally. */
    List<Integer> successors(int index) {
        AbstractInsnNode insn = instructions.get(index);
        List<Integer> successors = new ArrayList<>(2);
        if (insn instanceof JumpInsnNode jump) {
            successors.add(instructions.indexOf(jump.label));
        } else if (insn instanceof TableSwitchInsnNode table) {
            successors.add(instructions.indexOf(table.dflt));
            table.labels.forEach(label -> successors.add(instructions.indexOf(label)));
        } else if (insn instanceof LookupSwitchInsnNode lookup) {
            successors.add(instructions.indexOf(lookup.dflt));
            lookup.labels.forEach(label -> successors.add(instructions.indexOf(label)));
        }
        if (!FrameReader.endsBlock(insn.getOpcode()) && index + 1 < instructions.size()) {
            successors.add(index + 1);
        }
        return successors;
    }
}
