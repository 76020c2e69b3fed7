package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.transform.TypeInterpreter.TypeValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Reads the exact verification types of the locals and the operand stack before chosen
 * instructions. It walks the method once, in order, as the JVM's verifier does with a
 * StackMapTable: at each of javac's frames (read expanded) it takes javac's types, and between two
 * frames it applies each instruction's effect ({@link TypeInterpreter}). It never merges two types,
 * so it never asks a question about the class hierarchy.
 *
 * <p>Locals come back as a slot list (a {@code long} is {@code LONG, TOP}), the stack as a value
 * list (a {@code long} is one {@code LONG}); an uninitialized value is the {@link LabelNode} at its
 * {@code NEW} ({@link #labelOf}).
 */
final class FrameReader {
    /** The state before one instruction: locals as a slot list, the stack as a value list. */
    record State(List<Object> locals, List<Object> stack) {
    }

    private FrameReader() {
    }

    /**
     * Types before every reachable instruction that {@code wanted} accepts. Gives every
     * {@code NEW} a label just before it first, so that its uninitialized value has a name.
     */
    static Map<AbstractInsnNode, State> read(String owner, MethodNode method, Predicate<AbstractInsnNode> wanted) {
        for (AbstractInsnNode insn : method.instructions.toArray()) {
            if (insn.getOpcode() == Opcodes.NEW && labelOf(insn) == null) {
                method.instructions.insertBefore(insn, new LabelNode());
            }
        }
        TypeInterpreter interpreter = new TypeInterpreter();
        Frame<TypeValue> frame = new Frame<>(method.maxLocals, method.maxStack + 4);
        boolean reachable = start(frame, owner, method);
        Map<AbstractInsnNode, State> states = new HashMap<>();
        try {
            for (AbstractInsnNode insn : method.instructions) {
                if (insn instanceof FrameNode node) {
                    reset(frame, node);
                    reachable = true;
                    continue;
                }
                int opcode = insn.getOpcode();
                if (opcode < 0 || !reachable) {
                    continue;
                }
                if (wanted.test(insn)) {
                    states.put(insn, snapshot(frame));
                }
                Object constructed = constructedValue(frame, insn);
                frame.execute(insn, interpreter);
                if (constructed != null) {
                    initialize(frame, constructed, ((MethodInsnNode) insn).owner);
                }
                reachable = !endsBlock(opcode);
            }
        } catch (AnalyzerException e) {
            throw new IllegalStateException("cannot follow the types of " + owner + "." + method.name + ": " + e.getMessage(), e);
        }
        return states;
    }

    /**
     * The label at the offset of a {@code NEW}, which names its uninitialized value in javac's
     * frames: a line number or a frame may stand between the two, so this looks past them.
     *
     * @return the label, or null when the {@code NEW} has none yet
     */
    static LabelNode labelOf(AbstractInsnNode allocation) {
        for (AbstractInsnNode node = allocation.getPrevious(); node != null && node.getOpcode() < 0; node = node.getPrevious()) {
            if (node instanceof LabelNode label) {
                return label;
            }
        }
        return null;
    }

    private static boolean start(Frame<TypeValue> frame, String owner, MethodNode method) {
        int slot = 0;
        for (int i = 0; i < method.maxLocals; i++) {
            frame.setLocal(i, TypeInterpreter.TOP);
        }
        if ((method.access & Opcodes.ACC_STATIC) == 0) {
            frame.setLocal(slot++, new TypeValue(owner));
        }
        for (Type argument : Type.getArgumentTypes(method.desc)) {
            frame.setLocal(slot, TypeInterpreter.of(argument));
            slot += argument.getSize();
        }
        return true;
    }

    private static void reset(Frame<TypeValue> frame, FrameNode node) {
        if (node.type != Opcodes.F_NEW) {
            throw new IllegalStateException("frames must be read expanded (ClassReader.EXPAND_FRAMES)");
        }
        int slot = 0;
        for (Object type : node.local) {
            frame.setLocal(slot++, new TypeValue(type));
            if (FrameTypes.isWide(type)) {
                frame.setLocal(slot++, TypeInterpreter.TOP);
            }
        }
        while (slot < frame.getLocals()) {
            frame.setLocal(slot++, TypeInterpreter.TOP);
        }
        frame.clearStack();
        for (Object type : node.stack) {
            frame.push(new TypeValue(type));
        }
    }

    /** The uninitialized value an {@code invokespecial <init>} is about to construct, or null. */
    private static Object constructedValue(Frame<TypeValue> frame, AbstractInsnNode insn) {
        if (insn.getOpcode() != Opcodes.INVOKESPECIAL || !"<init>".equals(((MethodInsnNode) insn).name)) {
            return null;
        }
        int arguments = Type.getArgumentTypes(((MethodInsnNode) insn).desc).length;
        Object receiver = frame.getStack(frame.getStackSize() - 1 - arguments).type();
        return receiver instanceof LabelNode || receiver == (Object) Opcodes.UNINITIALIZED_THIS ? receiver : null;
    }

    private static void initialize(Frame<TypeValue> frame, Object uninitialized, String type) {
        TypeValue initialized = new TypeValue(type);
        for (int i = 0; i < frame.getLocals(); i++) {
            if (frame.getLocal(i).type() == uninitialized) {
                frame.setLocal(i, initialized);
            }
        }
        for (int i = 0; i < frame.getStackSize(); i++) {
            if (frame.getStack(i).type() == uninitialized) {
                frame.setStack(i, initialized);
            }
        }
    }

    static boolean endsBlock(int opcode) {
        return opcode == Opcodes.GOTO || opcode == Opcodes.ATHROW || opcode == Opcodes.TABLESWITCH
                || opcode == Opcodes.LOOKUPSWITCH || (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN);
    }

    private static State snapshot(Frame<TypeValue> frame) {
        List<Object> locals = new ArrayList<>(frame.getLocals());
        for (int i = 0; i < frame.getLocals(); i++) {
            locals.add(frame.getLocal(i).type());
        }
        List<Object> stack = new ArrayList<>(frame.getStackSize() + 2);
        for (int i = 0; i < frame.getStackSize(); i++) {
            stack.add(frame.getStack(i).type());
        }
        return new State(locals, stack);
    }
}
