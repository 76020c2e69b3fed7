package dev.weft.weaver.internal.check;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.internal.AsyncMethods;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The class under check and what every check needs to know about it: how to name a method and a
 * line for the user, which methods are {@code @Async}, and which user method a lambda body or an
 * anonymous class belongs to.
 */
final class CheckContext {
    private final ClassNode type;
    private final String sourceFile;
    private final ClassHierarchy hierarchy;
    private final Function<String, byte[]> classFiles;
    private final Map<MethodNode, int[]> lines = new IdentityHashMap<>();
    private Map<String, MethodNode> lambdaHosts;

    CheckContext(ClassNode type, ClassHierarchy hierarchy, Function<String, byte[]> classFiles) {
        this.type = type;
        this.hierarchy = hierarchy;
        this.classFiles = classFiles;
        this.sourceFile = type.sourceFile != null ? type.sourceFile : defaultSourceFile(type.name);
    }

    ClassNode type() {
        return type;
    }

    ClassHierarchy hierarchy() {
        return hierarchy;
    }

    Function<String, byte[]> classFiles() {
        return classFiles;
    }

    static boolean isLambdaBody(MethodNode method) {
        return (method.access & Opcodes.ACC_SYNTHETIC) != 0 && method.name.startsWith("lambda$");
    }

    /** The method's name as stack traces show it ({@code <init>} for a constructor). */
    String displayName(MethodNode method) {
        return method.name;
    }

    /** The method whose body holds the {@code invokedynamic} that creates this lambda, if any. */
    MethodNode lambdaHost(MethodNode lambda) {
        if (lambdaHosts == null) {
            lambdaHosts = findLambdaHosts(type);
        }
        return lambdaHosts.get(lambda.name + lambda.desc);
    }

    static Map<String, MethodNode> findLambdaHosts(ClassNode type) {
        Map<String, MethodNode> hosts = new HashMap<>();
        for (MethodNode method : type.methods) {
            if (method.instructions == null) {
                continue;
            }
            for (AbstractInsnNode insn : method.instructions) {
                if (insn instanceof InvokeDynamicInsnNode indy) {
                    for (Object argument : indy.bsmArgs) {
                        if (argument instanceof Handle handle && handle.getOwner().equals(type.name)) {
                            hosts.putIfAbsent(handle.getName() + handle.getDesc(), method);
                        }
                    }
                }
            }
        }
        return hosts;
    }

    /** Whether this class is anonymous, as its InnerClasses attribute records. */
    boolean isAnonymous() {
        for (InnerClassNode inner : type.innerClasses) {
            if (inner.name.equals(type.name)) {
                return inner.innerName == null;
            }
        }
        return false;
    }

    /**
     * The line in effect at an instruction: the nearest line number entry before it, or the
     * method's first line for instructions before any entry.
     */
    int line(MethodNode method, AbstractInsnNode insn) {
        int[] table = lines.computeIfAbsent(method, CheckContext::lineTable);
        int index = method.instructions.indexOf(insn);
        return index >= 0 && index < table.length ? table[index] : AsyncMethods.firstLine(method);
    }

    private static int[] lineTable(MethodNode method) {
        InsnList instructions = method.instructions;
        int[] table = new int[instructions.size()];
        int current = 0;
        int index = 0;
        for (AbstractInsnNode insn : instructions) {
            if (insn instanceof LineNumberNode number) {
                if (current == 0) {
                    java.util.Arrays.fill(table, 0, index, number.line);
                }
                current = number.line;
            }
            table[index++] = current;
        }
        return table;
    }

    Diagnostic error(MethodNode method, int line, String message) {
        return diagnostic(Diagnostic.Kind.ERROR, displayName(method), line, message);
    }

    Diagnostic warning(MethodNode method, int line, String message) {
        return diagnostic(Diagnostic.Kind.WARNING, displayName(method), line, message);
    }

    Diagnostic diagnostic(Diagnostic.Kind kind, String method, int line, String message) {
        return new Diagnostic(kind, sourceFile, line, type.name.replace('/', '.'), method, message);
    }

    /** The simple name of a class as a user reads it in a message: {@code Fetch}, {@code Outer$Inner}. */
    static String simpleName(String internalName) {
        return internalName.substring(internalName.lastIndexOf('/') + 1);
    }

    private static String defaultSourceFile(String internalName) {
        String simple = simpleName(internalName);
        int dollar = simple.indexOf('$');
        return (dollar > 0 ? simple.substring(0, dollar) : simple) + ".java";
    }
}
