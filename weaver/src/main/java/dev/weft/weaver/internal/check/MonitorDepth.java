package dev.weft.weaver.internal.check;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * How many monitors a method holds at each instruction, following the control flow from the entry
 * and into exception handlers. Where paths disagree the larger count wins: the check asks whether
 * some path can reach an await while holding a monitor.
 */
final class MonitorDepth {
    /** Bounds the count on paths that enter a monitor in a loop and never leave it (not javac's shape). */
    private static final int MAX_DEPTH = 64;

    private MonitorDepth() {
    }

    /**
     * @return for each instruction index, the monitors held before it runs; -1 where unreachable
     */
    static int[] of(MethodNode method) {
        InsnList instructions = method.instructions;
        int[] depth = new int[instructions.size()];
        Arrays.fill(depth, -1);
        if (depth.length == 0) {
            return depth;
        }
        Deque<Integer> work = new ArrayDeque<>();
        depth[0] = 0;
        work.push(0);
        while (!work.isEmpty()) {
            int index = work.pop();
            AbstractInsnNode insn = instructions.get(index);
            int before = depth[index];
            int after = switch (insn.getOpcode()) {
                case Opcodes.MONITORENTER -> Math.min(before + 1, MAX_DEPTH);
                case Opcodes.MONITOREXIT -> Math.max(before - 1, 0);
                default -> before;
            };
            for (TryCatchBlockNode handler : method.tryCatchBlocks) {
                int start = instructions.indexOf(handler.start);
                int end = instructions.indexOf(handler.end);
                if (index >= start && index < end) {
                    flow(instructions.indexOf(handler.handler), before, depth, work);
                    // Handlers are searched in table order, inner first; a catch-all (the one a
                    // synchronized block releases its monitor in) stops the search, so the outer
                    // handlers only see the exception after the monitor is released.
                    if (handler.type == null) {
                        break;
                    }
                }
            }
            if (insn instanceof JumpInsnNode jump) {
                flow(instructions.indexOf(jump.label), after, depth, work);
            } else if (insn instanceof TableSwitchInsnNode table) {
                flow(instructions.indexOf(table.dflt), after, depth, work);
                for (LabelNode label : table.labels) {
                    flow(instructions.indexOf(label), after, depth, work);
                }
            } else if (insn instanceof LookupSwitchInsnNode lookup) {
                flow(instructions.indexOf(lookup.dflt), after, depth, work);
                for (LabelNode label : lookup.labels) {
                    flow(instructions.indexOf(label), after, depth, work);
                }
            }
            if (fallsThrough(insn) && index + 1 < depth.length) {
                flow(index + 1, after, depth, work);
            }
        }
        return depth;
    }

    private static void flow(int target, int value, int[] depth, Deque<Integer> work) {
        if (value > depth[target]) {
            depth[target] = value;
            work.push(target);
        }
    }

    private static boolean fallsThrough(AbstractInsnNode insn) {
        int opcode = insn.getOpcode();
        return switch (opcode) {
            case Opcodes.GOTO, Opcodes.TABLESWITCH, Opcodes.LOOKUPSWITCH, Opcodes.ATHROW, Opcodes.RET,
                    Opcodes.IRETURN, Opcodes.LRETURN, Opcodes.FRETURN, Opcodes.DRETURN, Opcodes.ARETURN,
                    Opcodes.RETURN -> false;
            default -> true;
        };
    }
}
