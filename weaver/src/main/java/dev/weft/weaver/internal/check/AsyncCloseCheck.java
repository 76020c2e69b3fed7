package dev.weft.weaver.internal.check;

import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.WeaveException;
import dev.weft.weaver.internal.AsyncMethods;
import dev.weft.weaver.internal.WeaveSupport;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The {@code close()} calls that the weave turns into awaits of {@code AsyncCloseable.aclose()}. In an
 * {@code @Async} method, whether a receiver's type implements {@code AsyncCloseable} decides what the
 * close does, so a type the weaver cannot read is an error rather than a guess. In a lambda or a method
 * of an anonymous or local class written in an {@code @Async} method, the close of an
 * {@code AsyncCloseable} cannot be awaited and does not wait for the resource: a warning.
 */
final class AsyncCloseCheck implements MethodCheck {

    @Override
    public void check(CheckContext context, MethodNode method, List<Diagnostic> findings) {
        if (method.instructions == null) {
            return;
        }
        boolean async = AsyncMethods.isAsync(method);
        EnclosingAsync.Found enclosing = null;
        boolean enclosingKnown = false;
        for (AbstractInsnNode insn : method.instructions) {
            if (!(insn instanceof MethodInsnNode call)
                    || !WeaveSupport.isCloseCall(call.getOpcode(), call.owner, call.name, call.desc)) {
                continue;
            }
            String type = CheckContext.simpleName(call.owner);
            if (async) {
                try {
                    context.hierarchy().isAssignable(WeaveSupport.ASYNC_CLOSEABLE, call.owner);
                } catch (WeaveException missing) {
                    findings.add(context.error(method, context.line(method, call), "cannot tell whether " + type
                            + ".close() must be awaited: class " + call.owner.replace('/', '.') + " is not on the "
                            + "weaver's classpath (in an @Async method, close() of an AsyncCloseable is woven as an "
                            + "await of aclose()); add the jar or directory that holds it to the weaver's classpath"));
                }
                continue;
            }
            if (!enclosingKnown) {
                enclosing = EnclosingAsync.of(context, method);
                enclosingKnown = true;
            }
            if (enclosing != null && isAsyncCloseable(context, call.owner)) {
                findings.add(context.diagnostic(Diagnostic.Kind.WARNING, context.displayName(
                        EnclosingAsync.userMethod(context, method)), context.line(method, call), type + ".close() "
                        + "inside " + enclosing.construct() + " in @Async method " + enclosing.asyncMethod() + " cannot "
                        + "be awaited, so it does not wait for the AsyncCloseable to close; close it in "
                        + enclosing.asyncMethod() + " itself (try-with-resources there awaits the close), or make this "
                        + "code an @Async method that awaits aclose()"));
            }
        }
    }

    /** A type the weaver cannot read is not worth failing a build for over a warning. */
    private static boolean isAsyncCloseable(CheckContext context, String owner) {
        try {
            return context.hierarchy().isAssignable(WeaveSupport.ASYNC_CLOSEABLE, owner);
        } catch (WeaveException missing) {
            return false;
        }
    }
}
