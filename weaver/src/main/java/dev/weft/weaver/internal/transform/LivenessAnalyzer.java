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
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Which local slots are live (read later before being written) right after each suspension point:
 * the classic backward dataflow over the method's control flow, exception edges included, so a
 * local that a catch or finally block reads stays live across an await inside the try.
 */
final class LivenessAnalyzer {
    private final ControlFlow flow;
    private final int size;

    private LivenessAnalyzer(MethodNode method) {
        this.flow = new ControlFlow(method);
        this.size = flow.size();
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
            if (analyzer.flow.get(i) instanceof FrameNode frame && frame.local != null) {
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
            int index = analyzer.flow.indexOf(point);
            BitSet live = new BitSet();
            for (int successor : analyzer.flow.successors(index)) {
                live.or(liveIn[successor]);
            }
            for (int handler : analyzer.flow.handlers(index)) {
                live.or(liveIn[handler]);
            }
            result.put(point, live);
        }
        return result;
    }

    /** The local slots live when the method starts: the parameters it reads before writing them. */
    static BitSet liveAtStart(MethodNode method) {
        LivenessAnalyzer analyzer = new LivenessAnalyzer(method);
        return analyzer.size == 0 ? new BitSet() : analyzer.solve()[0];
    }

    private BitSet[] solve() {
        BitSet[] liveIn = new BitSet[size];
        List<List<Integer>> predecessors = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            liveIn[i] = new BitSet();
            predecessors.add(new ArrayList<>(2));
        }
        for (int i = 0; i < size; i++) {
            for (int successor : flow.successors(i)) {
                predecessors.get(successor).add(i);
            }
            for (int handler : flow.handlers(i)) {
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
        for (int successor : flow.successors(index)) {
            out.or(liveIn[successor]);
        }
        AbstractInsnNode insn = flow.get(index);
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
        for (int handler : flow.handlers(index)) {
            out.or(liveIn[handler]);
        }
        return out;
    }
}
