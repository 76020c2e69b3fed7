package dev.weft.weaver.internal.check;

import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.internal.AsyncMethods;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * {@code await} only in an {@code @Async} method: only its body becomes a state machine that can
 * stop and resume. Inside a lambda or an anonymous class the await belongs to another method,
 * which cannot suspend the enclosing one; the message says so.
 */
final class AwaitPlacementCheck implements MethodCheck {

    @Override
    public void check(CheckContext context, MethodNode method, List<Diagnostic> findings) {
        for (AbstractInsnNode reference : Awaits.references(method)) {
            findings.add(context.diagnostic(Diagnostic.Kind.ERROR, context.displayName(method),
                    context.line(method, reference), "a method reference to Aio.await (Aio::await) makes a function "
                            + "that would await outside any @Async method, where nothing can suspend; await each "
                            + "value in the @Async method itself (a loop, or await(gather(...)))"));
        }
        if (AsyncMethods.isAsync(method)) {
            return;
        }
        List<AbstractInsnNode> awaits = Awaits.in(method);
        if (awaits.isEmpty()) {
            return;
        }
        MethodNode user = EnclosingAsync.userMethod(context, method);
        String message = message(context, method, user);
        String name = context.displayName(user);
        for (AbstractInsnNode await : awaits) {
            findings.add(context.diagnostic(Diagnostic.Kind.ERROR, name, context.line(method, await), message));
        }
    }

    private static String message(CheckContext context, MethodNode method, MethodNode user) {
        EnclosingAsync.Found found = EnclosingAsync.of(context, method);
        if (found != null && "a lambda".equals(found.construct())) {
            return "await inside a lambda in @Async method " + found.asyncMethod() + ": a lambda cannot suspend; "
                    + "move the await out of the lambda into " + found.asyncMethod() + ", or make the lambda's "
                    + "work an @Async method and await the coroutine it returns";
        }
        if (found != null) {
            return "await inside " + found.construct() + " in @Async method " + found.asyncMethod() + ": a method "
                    + "of an anonymous or local class cannot suspend " + found.asyncMethod() + "; move the await "
                    + "into " + found.asyncMethod() + ", or make this method @Async (returning Coroutine) and "
                    + "await it there";
        }
        if (method.name.equals("<init>")) {
            String type = context.type().name;
            return "await called in a constructor of " + type.substring(type.lastIndexOf('/') + 1)
                    + ": a constructor cannot suspend and cannot be @Async; make a static @Async factory method "
                    + "that awaits, then calls the constructor with the values";
        }
        if (method.name.equals("<clinit>")) {
            return "await called in a static initializer: class initialization cannot suspend; compute the value "
                    + "in an @Async method and await it where it is needed";
        }
        if (user != method) {
            return "await inside a lambda in method " + user.name + ", which is not @Async: a lambda cannot "
                    + "suspend; move the await out of the lambda and annotate " + user.name + " with @Async "
                    + "(returning Coroutine)";
        }
        return "await called in method " + method.name + ", which is not @Async: only an @Async method can "
                + "suspend; annotate " + method.name + " with @Async and make it return Coroutine, or await in "
                + "the @Async method that calls it";
    }
}
