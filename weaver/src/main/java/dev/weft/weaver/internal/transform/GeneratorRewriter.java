package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.WeaveSupport;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The first stage for an async generator (an {@code @Async} method returning
 * {@code AsyncGenerator}): each {@code emit(v);} becomes {@code await(Woven.emitting(v));} (the
 * result dropped), an ordinary suspension point for the stages after, and each
 * {@code return finish();} becomes {@code return done();}, the end of the body. The runtime's
 * engine knows the awaitable {@code Woven.emitting} makes: it hands the value to the consumer and
 * stops the body's frame without parking the task.
 */
final class GeneratorRewriter {
    private GeneratorRewriter() {
    }

    /**
     * Rewrites the method in place when it is an async generator.
     *
     * @param method the method, frames expanded
     * @return whether it is an async generator
     */
    static boolean rewrite(MethodNode method) {
        if (!WeaveSupport.returnsGenerator(method.desc)) {
            return false;
        }
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (!(insn instanceof MethodInsnNode call)) {
                continue;
            }
            if (WeaveSupport.isEmit(call.owner, call.name, call.desc)) {
                InsnList emit = new InsnList();
                emit.add(new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN, WeaveSupport.WOVEN_EMITTING,
                        WeaveSupport.WOVEN_EMITTING_DESC, false));
                MethodInsnNode await = new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.AIO, WeaveSupport.AWAIT,
                        WeaveSupport.AWAIT_AWAITABLE_DESC, false);
                emit.add(await);
                InsnNode pop = new InsnNode(Opcodes.POP);
                emit.add(pop);
                method.instructions.insert(call, emit);
                method.instructions.remove(call);
                insn = pop;
            } else if (WeaveSupport.isFinish(call.owner, call.name, call.desc)) {
                call.name = WeaveSupport.DONE;
                call.desc = WeaveSupport.DONE_DESC;
            }
        }
        method.maxStack = Math.max(method.maxStack, 1);
        return true;
    }
}
