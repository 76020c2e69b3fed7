package dev.weft.weaver.internal.check;

import dev.weft.weaver.Diagnostic;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * No {@code await} while a monitor is held: a suspended coroutine returns from its frame, and the
 * JVM releases (or, with structured locking, rejects) a monitor whose frame is gone; the resumed
 * code would then run unguarded, possibly on another iteration of the loop.
 */
final class MonitorCheck implements MethodCheck {

    @Override
    public void check(CheckContext context, MethodNode method, List<Diagnostic> findings) {
        List<AbstractInsnNode> awaits = Awaits.in(method);
        if (awaits.isEmpty()) {
            return;
        }
        if ((method.access & Opcodes.ACC_SYNCHRONIZED) != 0) {
            for (AbstractInsnNode await : awaits) {
                findings.add(context.error(method, context.line(method, await), "await inside synchronized method "
                        + method.name + ": a monitor cannot be held across a suspension; remove synchronized and "
                        + "keep shared state on the event loop thread (or release any lock before the await)"));
            }
            return;
        }
        int[] depth = MonitorDepth.of(method);
        for (AbstractInsnNode await : awaits) {
            if (depth[method.instructions.indexOf(await)] > 0) {
                findings.add(context.error(method, context.line(method, await), "await inside a synchronized block: "
                        + "a monitor cannot be held across a suspension; move the await out of the block"));
            }
        }
    }
}
