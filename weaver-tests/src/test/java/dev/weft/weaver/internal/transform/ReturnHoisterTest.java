package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.testing.TestCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

class ReturnHoisterTest {
    private static final String MEMBERS = """
            static class Res implements AutoCloseable { public void close() { } }
            @Async static Coroutine<String> fetch() throws java.io.IOException { return result("x"); }
            static void log(String s) { }
            """;

    private static MethodNode method(TestCompiler compiler, String body) {
        return Subjects.method(compiler, MEMBERS + body, "m");
    }

    private static List<AbstractInsnNode> areturns(MethodNode method) {
        List<AbstractInsnNode> found = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            if (insn.getOpcode() == Opcodes.ARETURN) {
                found.add(insn);
            }
        }
        return found;
    }

    private static boolean covered(MethodNode method, AbstractInsnNode insn, String type) {
        int at = method.instructions.indexOf(insn);
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            if (method.instructions.indexOf(block.start) <= at && at < method.instructions.indexOf(block.end)
                    && (type == null ? block.type == null : type.equals(block.type))) {
                return true;
            }
        }
        return false;
    }

    private static int indexOfFirstCall(MethodNode method, String name) {
        return method.instructions.indexOf(Subjects.calls(method, name).get(0));
    }

    @Test
    void aCoroutineReturnedInsideTryFinallyIsAwaitedInsideTheTryBeforeTheFinallyCode() {
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            MethodNode method = method(compiler, """
                    @Async static Coroutine<String> m() throws java.io.IOException {
                        try { return fetch(); } finally { log("finally"); }
                    }
                    """);
            List<ReturnHoister.Warning> warnings = new ArrayList<>();

            Set<AbstractInsnNode> plain = ReturnHoister.hoist(Subjects.OWNER, method, warnings);

            assertEquals(Set.of(areturns(method).get(0)), plain, compiler.name());
            assertEquals(List.of(), warnings);
            AbstractInsnNode await = Subjects.calls(method, "await").get(0);
            assertTrue(method.instructions.indexOf(await) < indexOfFirstCall(method, "log"), compiler.name());
            assertTrue(covered(method, await, null), compiler.name() + ": the finally's handler covers the await");
        }
    }

    @Test
    void aCoroutineReturnedInsideTryWithResourcesIsAwaitedBeforeTheClosesOnBothCompilers() {
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            MethodNode method = method(compiler, """
                    @Async static Coroutine<String> m() throws java.io.IOException {
                        try (Res r = new Res()) { return fetch(); }
                    }
                    """);

            Set<AbstractInsnNode> plain = ReturnHoister.hoist(Subjects.OWNER, method, new ArrayList<>());

            assertEquals(1, plain.size(), compiler.name());
            AbstractInsnNode await = Subjects.calls(method, "await").get(0);
            assertEquals(method.instructions.indexOf(Subjects.calls(method, "fetch").get(0)) + 1,
                    method.instructions.indexOf(await), compiler.name() + ": right after the call that makes it");
            assertTrue(method.instructions.indexOf(await) < indexOfFirstCall(method, "close"), compiler.name());
        }
    }

    @Test
    void theFramesThatCarryTheReturnedValueHoldAnyObjectOnceItIsAwaited() {
        // ECJ keeps the coroutine on the stack across the null checks of the close; javac keeps it
        // in a temporary across the branch of the finally.
        MethodNode ecj = method(TestCompiler.ecj(), """
                @Async static Coroutine<String> m() throws java.io.IOException {
                    try (Res r = new Res()) { return fetch(); }
                }
                """);
        MethodNode javac = method(TestCompiler.javac17(), """
                @Async static Coroutine<String> m(boolean b) throws java.io.IOException {
                    try { return fetch(); } finally { if (b) { log("b"); } }
                }
                """);
        for (MethodNode method : List.of(ecj, javac)) {
            ReturnHoister.hoist(Subjects.OWNER, method, new ArrayList<>());
            boolean retyped = false;
            for (AbstractInsnNode insn : method.instructions) {
                if (insn instanceof FrameNode frame) {
                    List<Object> types = new ArrayList<>(frame.local);
                    types.addAll(frame.stack);
                    assertTrue(!types.contains("dev/weft/runtime/Coroutine"), types::toString);
                    retyped |= types.contains("java/lang/Object");
                }
            }
            assertTrue(retyped);
        }
    }

    @Test
    void aReturnedCoroutineThatACatchWithoutFinallyGuardsIsAwaitedInsideTheTryRange() {
        MethodNode method = method(TestCompiler.javac17(), """
                @Async static Coroutine<String> m() {
                    try { return fetch(); } catch (java.io.IOException e) { return result("fallback"); }
                }
                """);

        Set<AbstractInsnNode> plain = ReturnHoister.hoist(Subjects.OWNER, method, new ArrayList<>());

        assertEquals(Set.of(areturns(method).get(0)), plain, "the catch's own return(result) is the finder's");
        assertTrue(covered(method, Subjects.calls(method, "await").get(0), "java/io/IOException"));
    }

    @Test
    void resultAndDoneReturnedThroughAFinallyAreDroppedSoNothingIsAllocated() {
        MethodNode method = method(TestCompiler.javac17(), """
                @Async static Coroutine<Void> m(boolean b) {
                    try {
                        if (b) { return result(null); }
                        return done();
                    } finally { log("finally"); }
                }
                """);

        Set<AbstractInsnNode> plain = ReturnHoister.hoist(Subjects.OWNER, method, new ArrayList<>());

        assertEquals(2, plain.size());
        assertEquals(List.of(), Subjects.calls(method, "result"));
        assertEquals(List.of(), Subjects.calls(method, "done"));
        assertEquals(List.of(), Subjects.calls(method, "await"));
    }

    @Test
    void aLocalAssignedInTheTryAndReturnedAfterItIsAwaitedWhereTheReturnLoadsIt() {
        MethodNode method = method(TestCompiler.javac17(), """
                @Async static Coroutine<String> m() throws java.io.IOException {
                    Coroutine<String> c;
                    try { c = fetch(); } finally { log("finally"); }
                    return c;
                }
                """);
        List<ReturnHoister.Warning> warnings = new ArrayList<>();

        assertEquals(Set.of(), ReturnHoister.hoist(Subjects.OWNER, method, warnings));
        assertEquals(List.of(), warnings);
        assertEquals(List.of(), Subjects.calls(method, "await"));
    }

    @Test
    void aLocalReturnedInsideTryFinallyIsAwaitedAtTheReturnNotWhereItWasAssigned() {
        MethodNode method = method(TestCompiler.javac17(), """
                @Async static Coroutine<String> m() throws java.io.IOException {
                    Coroutine<String> c = fetch();
                    log("created");
                    try { return c; } finally { log("finally"); }
                }
                """);

        assertEquals(1, ReturnHoister.hoist(Subjects.OWNER, method, new ArrayList<>()).size());
        int await = method.instructions.indexOf(Subjects.calls(method, "await").get(0));
        List<Integer> logs = Subjects.calls(method, "log").stream().map(method.instructions::indexOf).toList();
        assertTrue(logs.get(0) < await && await < logs.get(1), "after \"created\", before the finally");
    }

    @Test
    void aReturnInsideASynchronizedBlockStaysAtTheAreturnWithAWarningAtItsLine() {
        MethodNode method = method(TestCompiler.javac17(), """
                @Async static Coroutine<String> m(Object lock) throws java.io.IOException {
                    synchronized (lock) {
                        return fetch();
                    }
                }
                """);
        List<ReturnHoister.Warning> warnings = new ArrayList<>();

        assertEquals(Set.of(), ReturnHoister.hoist(Subjects.OWNER, method, warnings));

        assertEquals(List.of(), Subjects.calls(method, "await"));
        assertEquals(1, warnings.size());
        assertEquals(ReturnHoister.SYNCHRONIZED, warnings.get(0).message());
        assertEquals(ResumeBodyEmitter.lineOf(Subjects.calls(method, "fetch").get(0)), warnings.get(0).line());
    }

    @Test
    void withoutVariableTableOrLinesATemporaryCannotBeToldAndTheReturnIsLeftWithAWarning() {
        MethodNode method = method(TestCompiler.javac17(), """
                @Async static Coroutine<String> m() throws java.io.IOException {
                    try { return fetch(); } finally { log("finally"); }
                }
                """);
        method.localVariables.clear();
        for (AbstractInsnNode insn : method.instructions.toArray()) {
            if (insn instanceof LineNumberNode) {
                method.instructions.remove(insn);
            }
        }
        List<ReturnHoister.Warning> warnings = new ArrayList<>();

        assertEquals(Set.of(), ReturnHoister.hoist(Subjects.OWNER, method, warnings));

        assertEquals(1, warnings.size());
        assertEquals(-1, warnings.get(0).line());
        assertTrue(warnings.get(0).message().contains("write return result(await(x))")
                && warnings.get(0).message().contains("compile with -g"), warnings.get(0).message());
    }

    @Test
    void aMethodWithoutTryRangesIsLeftToTheSiteFinder() {
        MethodNode method = method(TestCompiler.javac17(), """
                @Async static Coroutine<String> m() throws java.io.IOException {
                    log("first");
                    return fetch();
                }
                """);
        int size = method.instructions.size();

        assertEquals(Set.of(), ReturnHoister.hoist(Subjects.OWNER, method, new ArrayList<>()));
        assertEquals(size, method.instructions.size());
    }
}
