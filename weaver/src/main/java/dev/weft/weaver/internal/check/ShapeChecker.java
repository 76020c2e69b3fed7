package dev.weft.weaver.internal.check;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.Diagnostic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Checks the shape of a class before anything is rewritten: every misuse of {@code @Async} and
 * {@code await} becomes a {@link Diagnostic} naming {@code File.java:line} and the method. All
 * errors of the class are reported, not only the first.
 *
 * <p>The checks, each a small class: where {@code @Async} may go ({@link AsyncSignatureCheck}),
 * where {@code await} may go ({@link AwaitPlacementCheck}), no await under a monitor ({@link
 * MonitorCheck}), coroutines created and dropped ({@link ForgottenAwaitCheck}) and known blocking
 * calls in {@code @Async} methods ({@link BlockingCallCheck}), and the closes that become awaits
 * ({@link AsyncCloseCheck}).
 */
public final class ShapeChecker {
    private static final List<MethodCheck> CHECKS = List.of(new AsyncSignatureCheck(), new AwaitPlacementCheck(),
            new MonitorCheck(), new ForgottenAwaitCheck(), new BlockingCallCheck(), new AsyncCloseCheck(),
            new EmitCheck());

    private final ClassHierarchy hierarchy;
    private final Function<String, byte[]> classFiles;

    /**
     * Creates a checker.
     *
     * @param hierarchy  answers whether a call's owner is, say, an {@code InputStream}
     * @param classFiles reads the class file of an enclosing class by internal name (null when
     *                   unknown), to tell whether an anonymous class sits in an {@code @Async}
     *                   method
     */
    public ShapeChecker(ClassHierarchy hierarchy, Function<String, byte[]> classFiles) {
        this.hierarchy = Objects.requireNonNull(hierarchy, "hierarchy");
        this.classFiles = Objects.requireNonNull(classFiles, "classFiles");
    }

    /**
     * Checks every method of a class.
     *
     * @param type the class, read with its code and line numbers (frames are not needed)
     * @return errors and warnings, method by method in class file order, by line within a method
     */
    public List<Diagnostic> check(ClassNode type) {
        CheckContext context = new CheckContext(type, hierarchy, classFiles);
        List<Diagnostic> all = new ArrayList<>();
        List<Diagnostic> ofMethod = new ArrayList<>();
        for (MethodNode method : type.methods) {
            for (MethodCheck check : CHECKS) {
                check.check(context, method, ofMethod);
            }
            ofMethod.sort(Comparator.comparingInt(Diagnostic::line));
            all.addAll(ofMethod);
            ofMethod.clear();
        }
        return all;
    }
}
