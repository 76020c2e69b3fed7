package dev.weft.weaver.internal.check;

import dev.weft.weaver.Diagnostic;
import java.util.List;
import org.objectweb.asm.tree.MethodNode;

/** One concern of the shape check, applied to each method of a class in turn. */
interface MethodCheck {

    /**
     * Adds what this check finds in one method.
     *
     * @param context  the class being checked and the helpers every check shares
     * @param method   the method, with its code unless abstract or native
     * @param findings where to add errors and warnings
     */
    void check(CheckContext context, MethodNode method, List<Diagnostic> findings);
}
