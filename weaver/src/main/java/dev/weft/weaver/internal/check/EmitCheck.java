package dev.weft.weaver.internal.check;

import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.internal.AsyncMethods;
import dev.weft.weaver.internal.WeaveSupport;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Handle;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

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
        Frame<SourceValue>[] frames = null;
        if (generator) {
            try {
                frames = new Analyzer<>(new SourceInterpreter()).analyze(context.type().name, method);
            } catch (AnalyzerException e) {
                frames = null;   // the weave reports code it cannot follow
            }
        }
        for (AbstractInsnNode insn : method.instructions) {
            String reference = emitReference(insn);
            if (reference != null) {
                findings.add(context.diagnostic(Diagnostic.Kind.ERROR, context.displayName(method),
                        context.line(method, insn), "a method reference to Aio." + reference + " (Aio::" + reference
                                + ") makes a function that would " + (reference.equals("emit") ? "emit" : "finish")
                                + " outside the async generator's own body, where nothing can suspend; "
                                + (reference.equals("emit") ? "emit each value in the generator itself (a for loop)"
                                        : "end the generator itself with return finish()")));
                continue;
            }
            if (!(insn instanceof MethodInsnNode call)) {
                if (generator && frames != null && insn.getOpcode() == Opcodes.ARETURN
                        && !endsWithFinish(method, frames, insn)) {
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

    /**
     * Whether every value an {@code areturn} may return is {@code finish()}'s, followed back through
     * the temporaries and stack entries the compilers carry it in across finally code and resource
     * closes (a data flow over the method, not one compiler's pattern).
     */
    private static boolean endsWithFinish(MethodNode method, Frame<SourceValue>[] frames, AbstractInsnNode areturn) {
        Frame<SourceValue> f = frames[method.instructions.indexOf(areturn)];
        if (f == null) {
            return true;   // unreachable
        }
        return fromFinish(method, frames, f.getStack(f.getStackSize() - 1), new HashSet<>());
    }

    private static boolean fromFinish(MethodNode method, Frame<SourceValue>[] frames, SourceValue value,
            Set<AbstractInsnNode> seen) {
        if (value.insns.isEmpty()) {
            return false;
        }
        for (AbstractInsnNode p : value.insns) {
            if (!seen.add(p)) {
                continue;
            }
            if (p instanceof MethodInsnNode call && WeaveSupport.isFinish(call.owner, call.name, call.desc)) {
                continue;
            }
            Frame<SourceValue> at = frames[method.instructions.indexOf(p)];
            if (at == null) {
                return false;
            }
            SourceValue from;
            if (p.getOpcode() == Opcodes.ALOAD) {
                from = at.getLocal(((VarInsnNode) p).var);
            } else if (p.getOpcode() == Opcodes.ASTORE || p.getOpcode() == Opcodes.DUP
                    || p.getOpcode() == Opcodes.CHECKCAST) {
                from = at.getStack(at.getStackSize() - 1);
            } else {
                return false;
            }
            if (!fromFinish(method, frames, from, seen)) {
                return false;
            }
        }
        return true;
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

    /**
     * {@code "emit"} or {@code "finish"} for an {@code invokedynamic} that makes a function of
     * {@code Aio.emit} or {@code Aio.finish} ({@code Aio::emit}), or null.
     */
    static String emitReference(AbstractInsnNode insn) {
        Handle h = Awaits.referenceTo(insn, (owner, name, desc) -> WeaveSupport.isEmit(owner, name, desc)
                || WeaveSupport.isFinish(owner, name, desc));
        return h == null ? null : h.getName();
    }
}
