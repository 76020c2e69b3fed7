package dev.weft.weaver.internal.check;

import dev.weft.weaver.internal.AsyncMethods;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Finds the {@code @Async} method that a lambda body or an anonymous or local class's method was
 * written in, so that an await there is explained as what the user sees: an await inside a lambda,
 * not an await in a synthetic method they never wrote.
 */
final class EnclosingAsync {
    /** Lambdas in anonymous classes in lambdas: a real nesting is never this deep. */
    private static final int MAX_DEPTH = 16;

    /**
     * Where the code was written.
     *
     * @param construct   "a lambda", "anonymous class Fetch$1" or "local class Fetch$1Helper"
     * @param asyncMethod the {@code @Async} method around it, as the user names it
     *                    ({@code fetch}, or {@code Outer.fetch} in another class)
     */
    record Found(String construct, String asyncMethod) {
    }

    private EnclosingAsync() {
    }

    /**
     * The user method a lambda body belongs to in its own class (following lambdas in lambdas), or
     * the method itself when it is not a lambda body.
     */
    static MethodNode userMethod(CheckContext context, MethodNode method) {
        MethodNode current = method;
        for (int depth = 0; depth < MAX_DEPTH && CheckContext.isLambdaBody(current); depth++) {
            MethodNode host = context.lambdaHost(current);
            if (host == null) {
                break;
            }
            current = host;
        }
        return current;
    }

    /**
     * The {@code @Async} method around a method that is not {@code @Async} itself.
     *
     * @return where it was written, or null when no {@code @Async} method encloses it
     */
    static Found of(CheckContext context, MethodNode method) {
        ClassNode type = context.type();
        java.util.Map<String, MethodNode> hosts = null;
        MethodNode current = method;
        String construct = null;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            if (CheckContext.isLambdaBody(current)) {
                MethodNode host = type == context.type() ? context.lambdaHost(current)
                        : hosts.get(current.name + current.desc);
                if (host == null) {
                    return null;
                }
                construct = construct != null ? construct : "a lambda";
                current = host;
            } else if (type.outerMethod != null) {
                construct = construct != null ? construct
                        : (isAnonymous(type) ? "anonymous class " : "local class ") + CheckContext.simpleName(type.name);
                ClassNode outer = read(context, type.outerClass);
                MethodNode outerMethod = outer == null ? null : find(outer, type.outerMethod, type.outerMethodDesc);
                if (outerMethod == null) {
                    return null;
                }
                type = outer;
                hosts = CheckContext.findLambdaHosts(outer);
                current = outerMethod;
            } else {
                return null;
            }
            if (AsyncMethods.isAsync(current)) {
                String name = type == context.type() ? current.name
                        : CheckContext.simpleName(type.name) + "." + current.name;
                return new Found(construct, name);
            }
        }
        return null;
    }

    private static ClassNode read(CheckContext context, String internalName) {
        byte[] bytes = context.classFiles().apply(internalName);
        if (bytes == null) {
            return null;
        }
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
        return node;
    }

    private static MethodNode find(ClassNode type, String name, String desc) {
        for (MethodNode method : type.methods) {
            if (method.name.equals(name) && method.desc.equals(desc)) {
                return method;
            }
        }
        return null;
    }

    static boolean isAnonymous(ClassNode type) {
        for (InnerClassNode inner : type.innerClasses) {
            if (inner.name.equals(type.name)) {
                return inner.innerName == null;
            }
        }
        return false;
    }
}
