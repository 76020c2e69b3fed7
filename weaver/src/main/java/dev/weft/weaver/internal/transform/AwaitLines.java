package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.transform.AwaitSiteFinder.Site;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LineNumberNode;

/**
 * The line table of a state machine: the source line of each suspension point, packed into one
 * string constant whose char {@code k} is the line of label {@code k} (char 0 is the method's first
 * line, where a frame that has not reached an await stands). The state machine's {@code awaitLine()}
 * is {@code TABLE.charAt(label)}, so the runtime can name the line a suspended frame waits at
 * without a string per await or any decoding. A line the method does not know, or one past
 * {@code 0xFFFF}, is char 0, which the runtime reads as unknown.
 *
 * <p>The line of an await is the JVM's own answer for its instruction: the nearest line number
 * before it in code order. It is taken after {@link ReturnHoister} and {@link AsyncCloseRewriter}
 * have placed their awaits, so a hoisted return names its return statement, and the close of a
 * resource the line javac gave that close.
 */
final class AwaitLines {
    private AwaitLines() {
    }

    /**
     * The packed table.
     *
     * @param firstLine the method's first line, or 0
     * @param sites     the suspension points, label 1 first
     */
    static String table(int firstLine, List<Site> sites) {
        StringBuilder table = new StringBuilder(sites.size() + 1).append(packed(firstLine));
        for (Site site : sites) {
            table.append(packed(lineOf(site.insn())));
        }
        return table.toString();
    }

    /** The line of {@code insn}, or 0 when no line number comes before it. */
    static int lineOf(AbstractInsnNode insn) {
        for (AbstractInsnNode at = insn; at != null; at = at.getPrevious()) {
            if (at instanceof LineNumberNode line) {
                return line.line;
            }
        }
        return 0;
    }

    private static char packed(int line) {
        return line > 0 && line <= Character.MAX_VALUE ? (char) line : 0;
    }
}
