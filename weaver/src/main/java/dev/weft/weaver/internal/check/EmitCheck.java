package dev.weft.weaver.internal.check;

import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.internal.AsyncMethods;
import dev.weft.weaver.internal.WeaveSupport;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * {@code emit} and {@code finish} only in an async generator: an {@code @Async} method returning
 * {@code AsyncGenerator}, outside {@code synchronized}; such a method ends with
 * {@code return finish()}.
 */
final class EmitCheck implements MethodCheck {

    @Override
    public void check(CheckContext context, MethodNode method, List<Diagnostic> findings) {
        if (method.instructions == null) {
            return;
        }
        boolean generator = AsyncMethods.isAsync(method) && WeaveSupport.returnsGenerator(method.desc);
        int[] depth = null;
        for (AbstractInsnNode insn : method.instructions) {
            if (!(insn instanceof MethodInsnNode call)) {
                if (generator && insn.getOpcode() == Opcodes.ARETURN && !endsWithFinish(insn)) {
                    findings.add(context.error(method, context.line(method, insn), "an async generator ends with "
                            + "return finish(); this return gives another value, which a generator cannot return "
                            + "(emit it, then return finish())"));
                }
                continue;
            }
            boolean emit = WeaveSupport.isEmit(call.owner, call.name, call.desc);
            boolean finish = WeaveSupport.isFinish(call.owner, call.name, call.desc);
            if (!emit && !finish) {
                continue;
            }
            String what = emit ? "emit" : "finish()";
            if (!generator) {
                findings.add(context.diagnostic(Diagnostic.Kind.ERROR, context.displayName(
                        EnclosingAsync.userMethod(context, method)), context.line(method, insn), message(context, method,
                        what)));
                continue;
            }
            if (emit) {
                if ((method.access & Opcodes.ACC_SYNCHRONIZED) != 0) {
                    findings.add(context.error(method, context.line(method, insn), "emit inside synchronized method "
                            + method.name + ": a monitor cannot be held across a suspension; remove synchronized"));
                    continue;
                }
                if (depth == null) {
                    depth = MonitorDepth.of(method);
                }
                if (depth[method.instructions.indexOf(insn)] > 0) {
                    findings.add(context.error(method, context.line(method, insn), "emit inside a synchronized "
                            + "block: a monitor cannot be held across a suspension; move the emit out of the block"));
                }
            }
        }
    }

    /** Whether the value an {@code areturn} returns is {@code finish()}'s, directly or through a temporary. */
    private static boolean endsWithFinish(AbstractInsnNode areturn) {
        AbstractInsnNode p = areturn.getPrevious();
        while (p != null && p.getOpcode() < 0) {
            p = p.getPrevious();
        }
        if (p instanceof MethodInsnNode call) {
            return WeaveSupport.isFinish(call.owner, call.name, call.desc);
        }
        // A temporary that a finally block or a resource close stands between: the compilers' shape.
        return p != null && p.getOpcode() == Opcodes.ALOAD;
    }

    private static String message(CheckContext context, MethodNode method, String what) {
        EnclosingAsync.Found found = EnclosingAsync.of(context, method);
        if (found != null && "a lambda".equals(found.construct())) {
            return what + " inside a lambda in @Async method " + found.asyncMethod() + ": a lambda cannot emit for "
                    + "its generator; emit in " + found.asyncMethod() + " itself";
        }
        if (found != null) {
            return what + " inside " + found.construct() + " in @Async method " + found.asyncMethod()
                    + ": only the generator's own body emits; emit in " + found.asyncMethod() + " itself";
        }
        if (AsyncMethods.isAsync(method)) {
            return what + " in @Async method " + method.name + ", which returns Coroutine: only an @Async method "
                    + "returning AsyncGenerator emits values; change its return type to AsyncGenerator<T> and end "
                    + "it with return finish()";
        }
        return what + " in method " + method.name + ", which is not an async generator: only an @Async method "
                + "returning AsyncGenerator emits values";
    }
}
