package dev.weft.weaver.internal.check;

import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.internal.WeaveSupport;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * A coroutine that is created and dropped never runs: coroutines are lazy, as in Python. In any
 * method, a call returning {@code Coroutine} whose value is popped at once is a forgotten await.
 */
final class ForgottenAwaitCheck implements MethodCheck {
    private static final String RETURNS_COROUTINE = ")" + WeaveSupport.COROUTINE_DESC;

    @Override
    public void check(CheckContext context, MethodNode method, List<Diagnostic> findings) {
        if (method.instructions == null) {
            return;
        }
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof MethodInsnNode call && call.desc.endsWith(RETURNS_COROUTINE)) {
                AbstractInsnNode next = call.getNext();
                while (next != null && next.getOpcode() < 0) {
                    next = next.getNext();
                }
                if (next != null && next.getOpcode() == Opcodes.POP) {
                    String callee = CheckContext.simpleName(call.owner) + "." + call.name;
                    findings.add(context.warning(EnclosingAsync.userMethod(context, method), context.line(method, call),
                            "the coroutine returned by " + callee + " is never awaited; await it or wrap it in "
                                    + "createTask"));
                }
            }
        }
    }
}
