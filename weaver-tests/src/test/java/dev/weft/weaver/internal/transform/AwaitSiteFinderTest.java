package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.internal.transform.AwaitSiteFinder.Kind;
import dev.weft.weaver.internal.transform.AwaitSiteFinder.Site;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.junit.jupiter.api.Test;

class AwaitSiteFinderTest {
    private static AbstractInsnNode previousInstruction(AbstractInsnNode insn) {
        AbstractInsnNode previous = insn.getPrevious();
        while (previous.getOpcode() < 0) {
            previous = previous.getPrevious();
        }
        return previous;
    }

    @Test
    void awaitsAreFoundInCodeOrderWithTheirKindAndLabelsFromOne() {
        MethodNode method = Subjects.method("""
                @Async static Coroutine<String> m(CompletableFuture<String> stage) {
                    String a = await(f("a"));
                    String b = await(stage);
                    return result(a + b);
                }
                """, "m");
        List<Site> sites = AwaitSiteFinder.find(method);
        assertEquals(List.of(Kind.AWAITABLE, Kind.STAGE), sites.stream().map(Site::kind).toList());
        assertEquals(List.of(1, 2), sites.stream().map(Site::label).toList());
        assertEquals(Subjects.calls(method, "await"), sites.stream().map(Site::insn).toList());
    }

    @Test
    void returnOfResultBecomesAReturnOfTheValue() {
        MethodNode method = Subjects.method("""
                @Async static Coroutine<String> m() { return result("v"); }
                """, "m");
        assertTrue(AwaitSiteFinder.find(method).isEmpty());
        assertTrue(Subjects.calls(method, "result").isEmpty());
        AbstractInsnNode ret = method.instructions.getLast();
        while (ret.getOpcode() != Opcodes.ARETURN) {
            ret = ret.getPrevious();
        }
        assertEquals(Opcodes.LDC, previousInstruction(ret).getOpcode());
    }

    @Test
    void returnOfResultThatEndsATryBlockIsAPlainReturnToo() {
        MethodNode method = Subjects.method("""
                @Async static Coroutine<String> m() {
                    try {
                        String v = await(f("a"));
                        return result(v);
                    } catch (IllegalStateException e) {
                        return result("caught");
                    }
                }
                """, "m");
        List<Site> sites = AwaitSiteFinder.find(method);
        assertEquals(List.of(Kind.AWAITABLE), sites.stream().map(Site::kind).toList());
        assertTrue(Subjects.calls(method, "result").isEmpty());
    }

    @Test
    void returnOfDoneBecomesAReturnOfNull() {
        MethodNode method = Subjects.method("""
                @Async static Coroutine<Void> m() { return done(); }
                """, "m");
        assertTrue(AwaitSiteFinder.find(method).isEmpty());
        assertTrue(Subjects.calls(method, "done").isEmpty());
        AbstractInsnNode ret = method.instructions.getLast();
        while (ret.getOpcode() != Opcodes.ARETURN) {
            ret = ret.getPrevious();
        }
        assertEquals(Opcodes.ACONST_NULL, previousInstruction(ret).getOpcode());
    }

    @Test
    void returnOfAnotherCoroutineIsASuspensionPointAtItsReturn() {
        MethodNode method = Subjects.method("""
                @Async static Coroutine<String> inner() { return result("i"); }
                @Async static Coroutine<String> m() { return inner(); }
                """, "m");
        List<Site> sites = AwaitSiteFinder.find(method);
        assertEquals(1, sites.size());
        assertEquals(Kind.RETURN, sites.get(0).kind());
        assertEquals(Opcodes.ARETURN, sites.get(0).insn().getOpcode());
    }
}
