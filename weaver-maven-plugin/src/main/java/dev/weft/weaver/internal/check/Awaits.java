package dev.weft.weaver.internal.check;

import dev.weft.weaver.internal.WeaveSupport;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** Finds the {@code Aio.await} calls of a method. */
final class Awaits {
    private Awaits() {
    }

    static boolean isAwait(AbstractInsnNode insn) {
        return insn instanceof MethodInsnNode call && WeaveSupport.isAwait(call.owner, call.name, call.desc);
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
