package dev.weft.weaver.internal.transform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Which local slots are live (read later before being written) right after each suspension point:
 * the classic backward dataflow over the method's control flow, exception edges included, so a
 * local that a catch or finally block reads stays live across an await inside the try.
 */
final class LivenessAnalyzer {
    private final InsnList instructions;
    private final int size;
    private final List<List<Integer>> handlers;

    private LivenessAnalyzer(MethodNode method) {
        this.instructions = method.instructions;
        this.size = instructions.size();
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

    /**
     * Marks every local that is dead at one of javac's frames as top in that frame. javac's frames
     * declare a local for its whole scope; once dead locals are top, a resume block need not give
     * a dead local any value to match the frames that follow it.
     */
    static void trimFrames(MethodNode method) {
        LivenessAnalyzer analyzer = new LivenessAnalyzer(method);
        BitSet[] liveIn = analyzer.solve();
        for (int i = 0; i < analyzer.size; i++) {
            if (analyzer.instructions.get(i) instanceof FrameNode frame && frame.local != null) {
                List<Object> slots = FrameTypes.toSlotList(frame.local);
                for (int slot = 0; slot < slots.size(); slot++) {
                    Object type = slots.get(slot);
                    if (FrameTypes.isValue(type) && !liveIn[i].get(slot)) {
                        slots.set(slot, Opcodes.TOP);
                        if (FrameTypes.isWide(type)) {
                            slots.set(slot + 1, Opcodes.TOP);
                        }
                    }
                }
                List<Object> values = FrameTypes.toFrameList(slots);
                while (!values.isEmpty() && values.get(values.size() - 1) == (Object) Opcodes.TOP) {
                    values.remove(values.size() - 1);
                }
                frame.local = values;
            }
        }
    }

    /**
     * The local slots live after each of the given instructions: live on entry to any of its
     * successors, the handlers that cover it included.
     */
    static Map<AbstractInsnNode, BitSet> liveAfter(MethodNode method, List<AbstractInsnNode> points) {
        LivenessAnalyzer analyzer = new LivenessAnalyzer(method);
        BitSet[] liveIn = analyzer.solve();
        Map<AbstractInsnNode, BitSet> result = new HashMap<>();
        for (AbstractInsnNode point : points) {
            int index = analyzer.instructions.indexOf(point);
            BitSet live = new BitSet();
            for (int successor : analyzer.successors(index)) {
                live.or(liveIn[successor]);
            }
            for (int handler : analyzer.handlers.get(index)) {
                live.or(liveIn[handler]);
            }
            result.put(point, live);
        }
        return result;
    }

    private BitSet[] solve() {
        BitSet[] liveIn = new BitSet[size];
        List<List<Integer>> predecessors = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            liveIn[i] = new BitSet();
            predecessors.add(new ArrayList<>(2));
        }
        for (int i = 0; i < size; i++) {
            for (int successor : successors(i)) {
                predecessors.get(successor).add(i);
            }
            for (int handler : handlers.get(i)) {
                predecessors.get(handler).add(i);
            }
        }
        Deque<Integer> work = new ArrayDeque<>();
        boolean[] queued = new boolean[size];
        for (int i = size - 1; i >= 0; i--) {
            work.add(i);
            queued[i] = true;
        }
        while (!work.isEmpty()) {
            int i = work.poll();
            queued[i] = false;
            BitSet in = transfer(i, liveIn);
            if (!in.equals(liveIn[i])) {
                liveIn[i] = in;
                for (int predecessor : predecessors.get(i)) {
                    if (!queued[predecessor]) {
                        queued[predecessor] = true;
                        work.add(predecessor);
                    }
                }
            }
        }
        return liveIn;
    }

    private BitSet transfer(int index, BitSet[] liveIn) {
        BitSet out = new BitSet();
        for (int successor : successors(index)) {
            out.or(liveIn[successor]);
        }
        AbstractInsnNode insn = instructions.get(index);
        if (insn instanceof VarInsnNode variable) {
            if (variable.getOpcode() >= Opcodes.ISTORE && variable.getOpcode() <= Opcodes.ASTORE) {
                out.clear(variable.var);
            } else {
                out.set(variable.var);
            }
        } else if (insn instanceof IincInsnNode increment) {
            out.set(increment.var);
        }
        // An exception can leave before the instruction writes anything.
        for (int handler : handlers.get(index)) {
            out.or(liveIn[handler]);
        }
        return out;
    }

    private List<Integer> successors(int index) {
        AbstractInsnNode insn = instructions.get(index);
        int opcode = insn.getOpcode();
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
        if (!FrameReader.endsBlock(opcode) && index + 1 < size) {
            successors.add(index + 1);
        }
        return successors;
    }
}
