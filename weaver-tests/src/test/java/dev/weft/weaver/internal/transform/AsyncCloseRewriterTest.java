package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.testing.TestCompiler;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.junit.jupiter.api.Test;

class AsyncCloseRewriterTest {
    private static final ClassHierarchy HIERARCHY = ClassHierarchy.of(TestCompiler.testClasspath());

    private static final String ONE_GROUP = """
            @Async static Coroutine<Void> m() {
                try (TaskGroup tg = new TaskGroup()) {
                    await(f(1));
                }
                return done();
            }
            """;

    private static MethodNode rewritten(TestCompiler compiler, String members) {
        MethodNode method = Subjects.method(compiler, members, "m");
        AsyncCloseRewriter.rewrite(Subjects.OWNER, method, HIERARCHY);
        return method;
    }

    private static int count(MethodNode method, String name) {
        return Subjects.calls(method, name).size();
    }

    @Test
    void theNormalCloseAwaitsAcloseAndTheExceptionalOneAwaitsAcloseAfterWithTheCaughtFailure() {
        MethodNode method = rewritten(TestCompiler.javac17(), ONE_GROUP);
        assertEquals(0, count(method, "close"));
        assertEquals(1, count(method, "aclose"));
        assertEquals(1, count(method, "acloseAfter"));
        assertEquals(1, count(method, "rethrow"));
        AbstractInsnNode after = Subjects.calls(method, "acloseAfter").get(0);
        VarInsnNode failure = (VarInsnNode) after.getPrevious();
        AbstractInsnNode stored = method.tryCatchBlocks.get(0).handler.getNext();
        while (stored.getOpcode() < 0) {
            stored = stored.getNext();
        }
        assertEquals(Opcodes.ASTORE, stored.getOpcode(), "javac's handler stores what it caught");
        assertEquals(((VarInsnNode) stored).var, failure.var, "the close is handed what the body's handler caught");
        assertEquals(Opcodes.ALOAD, failure.getOpcode());
        for (String close : List.of("aclose", "acloseAfter")) {
            AbstractInsnNode await = Subjects.calls(method, close).get(0).getNext();
            assertEquals("await", ((org.objectweb.asm.tree.MethodInsnNode) await).name, "each close is a suspension point");
            assertEquals(Opcodes.POP, await.getNext().getOpcode());
        }
    }

    @Test
    void aCloseOfAnAutoCloseableThatIsNotAsyncStaysAsItIs() {
        MethodNode method = rewritten(TestCompiler.javac17(), """
                @Async static Coroutine<Void> m() throws Exception {
                    try (java.io.StringReader r = new java.io.StringReader("x")) {
                        await(f(1));
                    }
                    return done();
                }
                """);
        assertEquals(2, count(method, "close"));
        assertEquals(0, count(method, "rethrow"));
    }

    @Test
    void aMethodWithoutAsyncClosesIsNotAnalyzedOrChanged() {
        MethodNode method = Subjects.method("""
                @Async static Coroutine<Integer> m() { return result(await(f(1))); }
                """, "m");
        int size = method.instructions.size();
        assertEquals(0, AsyncCloseRewriter.rewrite(Subjects.OWNER, method, HIERARCHY));
        assertEquals(size, method.instructions.size());
    }

    @Test
    void aBlockInsideAFinallyClosesNormallyInBothCopiesOfTheFinally() {
        MethodNode method = rewritten(TestCompiler.javac17(), """
                @Async static Coroutine<Void> m() {
                    try {
                        await(f(1));
                    } finally {
                        try (TaskGroup tg = new TaskGroup()) {
                            await(f(2));
                        }
                    }
                    return done();
                }
                """);
        assertEquals(2, count(method, "aclose"), "the finally's failure is not the inner block's");
        assertEquals(2, count(method, "acloseAfter"));
    }

    @Test
    void ecjClosesEveryResourceBeforeItThrowsSoOnlyTheLastThrowTakesTheReplacement() {
        MethodNode method = rewritten(TestCompiler.ecj(), """
                @Async static Coroutine<Void> m() {
                    try (TaskGroup a = new TaskGroup(); TaskGroup b = new TaskGroup()) {
                        await(f(1));
                    }
                    return done();
                }
                """);
        assertEquals(2, count(method, "aclose"));
        assertEquals(2, count(method, "acloseAfter"));
        assertEquals(1, count(method, "rethrow"), "ECJ's earlier throws go to its own handler, which throws again");
    }

    @Test
    void javacThrowsOnceForEachResource() {
        MethodNode method = rewritten(TestCompiler.javac17(), """
                @Async static Coroutine<Void> m() {
                    try (TaskGroup a = new TaskGroup(); TaskGroup b = new TaskGroup()) {
                        await(f(1));
                    }
                    return done();
                }
                """);
        assertEquals(2, count(method, "acloseAfter"));
        assertEquals(2, count(method, "rethrow"));
    }

    @Test
    void aUsersOwnCatchOfThrowableThatClosesAndRethrowsIsAnExceptionalExitToo() {
        MethodNode method = rewritten(TestCompiler.javac17(), """
                @Async static Coroutine<Void> m(TaskGroup tg) {
                    try {
                        await(f(1));
                    } catch (Throwable t) {
                        tg.close();
                        throw t;
                    }
                    return done();
                }
                """);
        assertEquals(1, count(method, "acloseAfter"));
        assertEquals(1, count(method, "rethrow"));
    }

    @Test
    void aCloseInACatchOfAnotherTypeIsANormalClose() {
        MethodNode method = rewritten(TestCompiler.javac17(), """
                @Async static Coroutine<Void> m(TaskGroup tg) {
                    try {
                        await(f(1));
                    } catch (RuntimeException e) {
                        tg.close();
                        throw e;
                    }
                    return done();
                }
                """);
        assertEquals(1, count(method, "aclose"));
        assertTrue(Subjects.calls(method, "rethrow").isEmpty());
    }

    @Test
    void aBlockInACatchInsideALoopClosesNormallyThoughTheLastIterationsGroupReachesTheHandler() {
        MethodNode method = rewritten(TestCompiler.javac17(), """
                @Async static Coroutine<Void> m(int tries) {
                    for (int i = 0; i < tries; i++) {
                        try {
                            await(f(1));
                            return done();
                        } catch (Throwable t) {
                            try (TaskGroup tg = new TaskGroup()) {
                                await(f(2));
                            }
                            if (i == tries - 1) {
                                throw t;
                            }
                        }
                    }
                    return done();
                }
                """);
        // one normal close (the block's end) and one exceptional (its own handler), never the outer catch's t
        assertEquals(1, count(method, "aclose"));
        assertEquals(1, count(method, "acloseAfter"));
    }

    @Test
    void aFailureSavedFromAnEarlierTryDoesNotMakeALaterBlocksNormalCloseExceptional() {
        MethodNode method = rewritten(TestCompiler.javac17(), """
                @Async static Coroutine<Throwable> m(TaskGroup tg) {
                    Throwable saved = null;
                    try {
                        await(f(1));
                    } catch (Throwable x) {
                        saved = x;
                    }
                    try (tg) {
                        await(f(2));
                    }
                    return result(saved);
                }
                """);
        assertEquals(1, count(method, "aclose"));
        assertEquals(1, count(method, "acloseAfter"));
    }
}
