package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.transform.SpillPlanner.Point;
import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * What a debugger sees of the user's locals in the resume body. A resume restores only the locals
 * the rest of the method reads, so after an await the slot of a local that is dead there holds
 * nothing on the resumed path: {@link #narrow} cuts every LocalVariableTable range down to the code
 * where its slot holds the local's value on every path (a forward must-analysis: the parameters
 * at the start, each store, and after an await only what is live there), so a debugger shows no
 * stale or missing value under the user's name. The receiver's entry is renamed {@value #RECEIVER}:
 * the resume body is static, and debuggers hide an entry named {@code this} in a static method.
 * {@link #over} gives the entries that cover the out-of-line suspend and resume blocks.
 */
final class LocalVariableScopes {
    /** The name the receiver gets in the resume body's LocalVariableTable. */
    static final String RECEIVER = "$this";

    private LocalVariableScopes() {
    }

    /** One piece of a narrowed entry: the code from {@code from} up to {@code to}, exclusive. */
    record Run(LocalVariableNode variable, AbstractInsnNode from, AbstractInsnNode to) {
    }

    /**
     * The narrowed ranges of the method's LocalVariableTable, computed before the awaits are
     * rewritten (slots unshifted) and applied by {@link #apply} once the resume body is emitted.
     *
     * @param parameters the receiver and parameters the resume body loads at its start: the live
     *                   ones only, so a parameter the body never reads is out of scope there (its
     *                   slot holds the resume method's own arguments, or nothing)
     * @param points     each await's plan, by its instruction
     */
    static List<Run> narrow(MethodNode method, List<Value> parameters, Map<AbstractInsnNode, Point> points) {
        List<Run> runs = new ArrayList<>();
        if (method.localVariables == null || method.localVariables.isEmpty()) {
            return runs;
        }
        BitSet[] valid = valid(method, parameters, points);
        for (LocalVariableNode variable : method.localVariables) {
            int from = method.instructions.indexOf(variable.start);
            int to = method.instructions.indexOf(variable.end);
            int runStart = -1;
            for (int i = from; i <= to; i++) {
                boolean holds = i < to && valid[i] != null && valid[i].get(variable.index);
                if (holds && runStart < 0) {
                    runStart = i;
                } else if (!holds && runStart >= 0) {
                    runs.add(new Run(variable, past(method, runStart, points), past(method, i, points)));
                    runStart = -1;
                }
            }
        }
        return runs;
    }

    /**
     * The node at {@code index}, or the one after it when it is an await instruction, which the
     * rewrite replaces (all but a returned coroutine's {@code areturn}).
     */
    private static AbstractInsnNode past(MethodNode method, int index, Map<AbstractInsnNode, Point> points) {
        AbstractInsnNode node = method.instructions.get(index);
        return points.containsKey(node) && node.getOpcode() != Opcodes.ARETURN ? node.getNext() : node;
    }

    /**
     * Replaces the method's LocalVariableTable by the runs of {@link #narrow}, the receiver renamed,
     * and {@code generated}, the entries over the out-of-line blocks.
     */
    static void apply(MethodNode method, List<Run> runs, List<LocalVariableNode> generated) {
        if (method.localVariables == null || method.localVariables.isEmpty()) {
            return;
        }
        List<LocalVariableNode> table = new ArrayList<>();
        for (Run run : runs) {
            if (run.from() == run.to()) {
                continue;
            }
            LocalVariableNode variable = run.variable();
            table.add(new LocalVariableNode(name(variable), variable.desc, variable.signature,
                    labelAt(method, run.from()), labelAt(method, run.to()), variable.index));
        }
        table.addAll(generated);
        method.localVariables = table;
    }

    private static String name(LocalVariableNode variable) {
        return variable.name.equals("this") ? RECEIVER : variable.name;
    }

    /**
     * The user's entries that cover a block of generated code, as they stand at {@code at} in the
     * body, for the given locals only: the locals the block holds in their slots.
     *
     * @param shift how far the locals sit above their javac slots
     */
    static List<LocalVariableNode> over(MethodNode method, AbstractInsnNode at, List<Value> locals, int shift,
                                        LabelNode start, LabelNode end) {
        List<LocalVariableNode> covering = new ArrayList<>();
        if (method.localVariables == null) {
            return covering;
        }
        int index = method.instructions.indexOf(at);
        for (LocalVariableNode variable : method.localVariables) {
            boolean restored = locals.stream().anyMatch(local -> local.index() + shift == variable.index);
            if (restored && method.instructions.indexOf(variable.start) <= index && index < method.instructions.indexOf(variable.end)) {
                covering.add(new LocalVariableNode(name(variable), variable.desc, variable.signature, start, end, variable.index));
            }
        }
        return covering;
    }

    /** {@code node} if it is a label, or a new label inserted before it. */
    private static LabelNode labelAt(MethodNode method, AbstractInsnNode node) {
        if (node instanceof LabelNode label) {
            return label;
        }
        LabelNode label = new LabelNode();
        method.instructions.insertBefore(node, label);
        return label;
    }

    /** Per node, the slots that hold their local's value on every path that reaches it (null: unreachable). */
    private static BitSet[] valid(MethodNode method, List<Value> parameters, Map<AbstractInsnNode, Point> points) {
        ControlFlow flow = new ControlFlow(method);
        int size = flow.size();
        BitSet[] in = new BitSet[size];
        Deque<Integer> work = new ArrayDeque<>();
        BitSet start = new BitSet();
        for (Value parameter : parameters) {
            start.set(parameter.index(), parameter.index() + (FrameTypes.isWide(parameter.type()) ? 2 : 1));
        }
        in[0] = start;
        work.add(0);
        while (!work.isEmpty()) {
            int i = work.poll();
            AbstractInsnNode insn = flow.get(i);
            BitSet out = (BitSet) in[i].clone();
            if (insn instanceof VarInsnNode variable && variable.getOpcode() >= Opcodes.ISTORE
                    && variable.getOpcode() <= Opcodes.ASTORE) {
                out.set(variable.var);
                if (variable.getOpcode() == Opcodes.LSTORE || variable.getOpcode() == Opcodes.DSTORE) {
                    out.set(variable.var + 1);
                }
            }
            Point point = points.get(insn);
            if (point != null) {
                BitSet live = new BitSet();
                for (Value local : point.liveLocals()) {
                    live.set(local.index(), local.index() + (FrameTypes.isWide(local.type()) ? 2 : 1));
                }
                out.and(live);
            }
            for (int next : flow.successors(i)) {
                merge(in, work, next, out);
            }
            for (int handler : flow.handlers(i)) {
                merge(in, work, handler, in[i]);
            }
        }
        return in;
    }

    private static void merge(BitSet[] in, Deque<Integer> work, int target, BitSet value) {
        if (in[target] == null) {
            in[target] = (BitSet) value.clone();
            work.add(target);
            return;
        }
        BitSet merged = (BitSet) in[target].clone();
        merged.and(value);
        if (!merged.equals(in[target])) {
            in[target] = merged;
            work.add(target);
        }
    }

    /** The slots the receiver and parameters of a method take. */
    static int argumentSlots(int access, String descriptor) {
        return (Type.getArgumentsAndReturnSizes(descriptor) >> 2) - ((access & Opcodes.ACC_STATIC) != 0 ? 1 : 0);
    }
}
