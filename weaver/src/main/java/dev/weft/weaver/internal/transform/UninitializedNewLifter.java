package dev.weft.weaver.internal.transform;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Moves the allocation of {@code new X(.., await(..), ..)} after the arguments. An uninitialized
 * object cannot be stored in a field, so it cannot live across a suspension; javac's
 * {@code new X; dup; <arguments>; invokespecial X.<init>} becomes
 * {@code <arguments>; store them in fresh locals; new X; dup; load them; invokespecial X.<init>},
 * which is what Kotlin's UninitializedStoresProcessor does too. The arguments run in the same
 * order; only the allocation moves, and allocation has no visible effect. A {@code new} whose
 * object is dropped has no {@code dup} when ECJ compiles it ({@code new X(await(x));} as a
 * statement is {@code new X; <arguments>; invokespecial}), and is rebuilt without one.
 *
 * <p>Any other place of the uninitialized object (a local, or a copy the constructor call does not
 * consume) is a shape neither javac nor ECJ writes; it is refused with an
 * {@link UnweavableShapeException} at its line, which says how to write the code instead.
 */
final class UninitializedNewLifter {
    private UninitializedNewLifter() {
    }

    /**
     * Lifts every {@code new} whose object is still uninitialized at one of the given suspension
     * points, and drops its uninitialized values from javac's frames.
     *
     * @return the first local slot the lifted code uses as scratch (the method's former maxLocals)
     */
    static int lift(String owner, MethodNode method, Set<AbstractInsnNode> suspensions) {
        int scratch = method.maxLocals;
        Map<AbstractInsnNode, FrameReader.State> states =
                FrameReader.read(owner, method, insn -> suspensions.contains(insn) || isConstructorCall(insn));
        Set<Object> pending = new HashSet<>();
        for (AbstractInsnNode insn : suspensions) {
            FrameReader.State state = states.get(insn);
            if (state != null) {
                state.stack().stream().filter(LabelNode.class::isInstance).forEach(pending::add);
                if (state.locals().stream().anyMatch(LabelNode.class::isInstance)) {
                    throw unusualShape(insn);
                }
            }
        }
        if (pending.isEmpty()) {
            return scratch;
        }
        int scratchSize = 0;
        for (Map.Entry<AbstractInsnNode, FrameReader.State> entry : states.entrySet()) {
            if (!isConstructorCall(entry.getKey())) {
                continue;
            }
            MethodInsnNode init = (MethodInsnNode) entry.getKey();
            List<Object> stack = entry.getValue().stack();
            int arguments = Type.getArgumentTypes(init.desc).length;
            int receiverAt = stack.size() - 1 - arguments;
            Object receiver = stack.get(receiverAt);
            if (pending.contains(receiver)) {
                boolean duplicated = receiverAt > 0 && stack.get(receiverAt - 1) == receiver;
                long copies = stack.stream().filter(value -> value == receiver).count();
                if (copies != (duplicated ? 2 : 1) || entry.getValue().locals().contains(receiver)) {
                    throw unusualShape(init);
                }
                removeAllocation(method, (LabelNode) receiver, duplicated);
                scratchSize = Math.max(scratchSize, reallocate(method, init,
                        stack.subList(stack.size() - arguments, stack.size()), scratch, duplicated));
            }
        }
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof FrameNode frame && frame.stack != null) {
                frame.stack.removeIf(pending::contains);
            }
        }
        method.maxLocals = scratch + scratchSize;
        return scratch;
    }

    private static boolean isConstructorCall(AbstractInsnNode insn) {
        return insn.getOpcode() == Opcodes.INVOKESPECIAL && "<init>".equals(((MethodInsnNode) insn).name);
    }

    /**
     * Removes {@code new X}, and the {@code dup} right after it when the object is used after its
     * constructor; the object of a dropped {@code new} has one copy only, so a {@code dup} there
     * would be a copy that something other than the constructor consumes.
     */
    private static void removeAllocation(MethodNode method, LabelNode label, boolean duplicated) {
        AbstractInsnNode allocation = nextInstruction(label);
        AbstractInsnNode dup = nextInstruction(allocation);
        if (allocation.getOpcode() != Opcodes.NEW || (dup.getOpcode() == Opcodes.DUP) != duplicated) {
            throw unusualShape(allocation);
        }
        method.instructions.remove(allocation);
        if (duplicated) {
            method.instructions.remove(dup);
        }
    }

    private static AbstractInsnNode nextInstruction(AbstractInsnNode insn) {
        AbstractInsnNode next = insn.getNext();
        while (next.getOpcode() < 0) {
            next = next.getNext();
        }
        return next;
    }

    private static UnweavableShapeException unusualShape(AbstractInsnNode insn) {
        return new UnweavableShapeException(ResumeBodyEmitter.lineOf(insn), "an await in the arguments of a "
                + "constructor call whose new object is stored or copied before the constructor runs: the weave "
                + "cannot keep an uninitialized object across a suspension; await the arguments into locals first "
                + "(var a = await(x); ... new X(a))");
    }

    /** Inserts the store, allocation and reload before the constructor call; returns the scratch slots used. */
    private static int reallocate(MethodNode method, MethodInsnNode init, List<Object> arguments, int scratch,
                                  boolean duplicated) {
        int[] slots = new int[arguments.size()];
        int next = scratch;
        for (int i = 0; i < arguments.size(); i++) {
            slots[i] = next;
            next += FrameTypes.isWide(arguments.get(i)) ? 2 : 1;
        }
        InsnList code = new InsnList();
        for (int i = arguments.size() - 1; i >= 0; i--) {
            code.add(FrameTypes.store(arguments.get(i), slots[i]));
        }
        code.add(new TypeInsnNode(Opcodes.NEW, init.owner));
        if (duplicated) {
            code.add(new InsnNode(Opcodes.DUP));
        }
        for (int i = 0; i < arguments.size(); i++) {
            code.add(FrameTypes.load(arguments.get(i), slots[i]));
        }
        method.instructions.insertBefore(init, code);
        return next - scratch;
    }
}
