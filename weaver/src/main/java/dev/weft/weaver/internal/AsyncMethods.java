package dev.weft.weaver.internal;

import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The two facts about a method that the checks, the transformer and the weaver's own errors must
 * agree on: whether it is {@code @Async}, and which line is its first.
 */
public final class AsyncMethods {
    private AsyncMethods() {
    }

    /**
     * Whether a method is {@code @Async}: it carries {@code dev.weft.Async}, and it is not a bridge.
     *
     * <p>The annotation has {@code CLASS} retention, so javac and ECJ record it among the invisible
     * annotations; a visible one (a class compiled against an annotation of the same name with
     * another retention) says the same thing and counts too, since the retention is not ours to
     * enforce. A bridge does not count: javac copies every annotation of a method onto the bridge
     * it writes for a generic override ({@code String get()} gets a bridge {@code Object get()}
     * with the same {@code @Async}), but the bridge only calls the real method, whose entry is lazy
     * already. Woven, the bridge would be a second state machine awaiting the first; checked, it
     * would repeat every finding of the real method.
     *
     * @param method a method read into a tree
     * @return true when the method is to be checked and woven as {@code @Async}
     */
    public static boolean isAsync(MethodNode method) {
        return (method.access & Opcodes.ACC_BRIDGE) == 0
                && (hasAsync(method.invisibleAnnotations) || hasAsync(method.visibleAnnotations));
    }

    private static boolean hasAsync(List<AnnotationNode> annotations) {
        if (annotations != null) {
            for (AnnotationNode annotation : annotations) {
                if (WeaveSupport.ASYNC_DESC.equals(annotation.desc)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The method's first line: the line of the first line number entry in code order. That is where
     * the method starts running, the line of its first statement as javac and ECJ write it, and
     * the line a stack trace through the woven entry method shows; errors about a whole method
     * name it. It is the first in the code, not the smallest number in the table: the entry
     * method's line must be where the body begins, and the checks must name the line that line
     * numbers and stack traces agree on.
     *
     * @param method a method read into a tree, with its debug information
     * @return the line, or 0 when the method has no code or no line numbers (class files number
     *         lines from 1, so 0 is no line, as {@link dev.weft.weaver.Diagnostic#line()} reads it)
     */
    public static int firstLine(MethodNode method) {
        if (method.instructions != null) {
            for (AbstractInsnNode insn : method.instructions) {
                if (insn instanceof LineNumberNode number) {
                    return number.line;
                }
            }
        }
        return 0;
    }
}
