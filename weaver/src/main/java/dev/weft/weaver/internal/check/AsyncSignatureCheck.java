package dev.weft.weaver.internal.check;

import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.internal.AsyncMethods;
import dev.weft.weaver.internal.WeaveSupport;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodNode;

/**
 * {@code @Async} only where a state machine can be built: on a method with a body, that is not a
 * constructor or initializer, and that returns {@code Coroutine} (or {@code AsyncGenerator}).
 */
final class AsyncSignatureCheck implements MethodCheck {

    @Override
    public void check(CheckContext context, MethodNode method, List<Diagnostic> findings) {
        if (!AsyncMethods.isAsync(method)) {
            return;
        }
        int line = AsyncMethods.firstLine(method);
        if ("<init>".equals(method.name)) {
            findings.add(context.error(method, line, "@Async cannot be put on a constructor: a constructor cannot "
                    + "suspend; remove @Async and move the asynchronous work into an @Async method called after "
                    + "construction"));
            return;
        }
        if ("<clinit>".equals(method.name)) {
            findings.add(context.error(method, line, "@Async cannot be put on a static initializer: class "
                    + "initialization cannot suspend; move the asynchronous work into an @Async method"));
            return;
        }
        if ((method.access & Opcodes.ACC_ABSTRACT) != 0) {
            findings.add(context.error(method, line, "@Async cannot be put on an abstract method: it has no body "
                    + "to weave; remove @Async here and put it on each implementation (the method still returns "
                    + "Coroutine)"));
        }
        if ((method.access & Opcodes.ACC_NATIVE) != 0) {
            findings.add(context.error(method, line, "@Async cannot be put on a native method: it has no bytecode "
                    + "to weave; remove @Async"));
        }
        Type returned = Type.getReturnType(method.desc);
        if (!WeaveSupport.COROUTINE_DESC.equals(returned.getDescriptor())
                && !WeaveSupport.ASYNC_GENERATOR_DESC.equals(returned.getDescriptor())) {
            String name = returned.getClassName();
            String suggested = returned.getSort() == Type.VOID ? "Coroutine<Void> and end it with return done()"
                    : "Coroutine<" + boxed(returned) + "> and end it with return result(..)";
            findings.add(context.error(method, line, "an @Async method must return dev.weft.runtime.Coroutine "
                    + "(or AsyncGenerator, to emit values), but this one returns " + name + "; change its return type to "
                    + suggested));
        }
    }

    private static String boxed(Type type) {
        return switch (type.getSort()) {
            case Type.BOOLEAN -> "Boolean";
            case Type.CHAR -> "Character";
            case Type.BYTE -> "Byte";
            case Type.SHORT -> "Short";
            case Type.INT -> "Integer";
            case Type.FLOAT -> "Float";
            case Type.LONG -> "Long";
            case Type.DOUBLE -> "Double";
            default -> CheckContext.simpleName(type.getInternalName()).replace('$', '.');
        };
    }
}
