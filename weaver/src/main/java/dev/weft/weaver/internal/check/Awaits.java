package dev.weft.weaver.internal.check;

import dev.weft.weaver.internal.WeaveSupport;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Handle;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** Finds the {@code Aio.await} calls of a method. */
final class Awaits {
    private Awaits() {
    }

    static boolean isAwait(AbstractInsnNode insn) {
        return insn instanceof MethodInsnNode call && WeaveSupport.isAwait(call.owner, call.name, call.desc);
    }

    /** An {@code invokedynamic} that makes a function of {@code Aio.await}: {@code Aio::await}. */
    static boolean isAwaitReference(AbstractInsnNode insn) {
        return referenceTo(insn, WeaveSupport::isAwait) != null;
    }

    /**
     * The handle of the method an {@code invokedynamic} makes a function of ({@code Aio::emit}), when
     * the test accepts that method, or null (for any other instruction too).
     */
    static Handle referenceTo(AbstractInsnNode insn, WeaveSupport.MethodTest test) {
        return insn instanceof InvokeDynamicInsnNode indy ? WeaveSupport.handleTo(indy.bsmArgs, test) : null;
    }

    static List<AbstractInsnNode> references(MethodNode method) {
        List<AbstractInsnNode> found = new ArrayList<>();
        if (method.instructions != null) {
            for (AbstractInsnNode insn : method.instructions) {
                if (isAwaitReference(insn)) {
                    found.add(insn);
                }
            }
        }
        return found;
    }

    static List<AbstractInsnNode> in(MethodNode method) {
        List<AbstractInsnNode> found = new ArrayList<>();
        if (method.instructions != null) {
            for (AbstractInsnNode insn : method.instructions) {
                if (isAwait(insn)) {
                    found.add(insn);
                }
            }
        }
        return found;
    }
}
