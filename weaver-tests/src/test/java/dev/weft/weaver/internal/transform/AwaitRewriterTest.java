package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.internal.transform.AwaitSiteFinder.Kind;
import dev.weft.weaver.internal.transform.AwaitSiteFinder.Site;
import dev.weft.weaver.internal.transform.SpillPlanner.Plan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.junit.jupiter.api.Test;

class AwaitRewriterTest {
    private static final String MACHINE = "demo/Subject$weft$m$0";

    /** The method after the rewrite of its first await, and the out-of-line blocks. */
    private record Rewritten(MethodNode method, InsnList tail, AwaitRewriter rewriter) {
    }

    private static Rewritten rewriteFirst(String members, boolean checkedFirst) {
        Subjects.Prepared prepared = Subjects.prepare(members, "m");
        Plan plan = prepared.tracked();
        MethodNode method = prepared.method();
        AbstractInsnNode await = prepared.points().get(0);
        List<TryCatchBlockNode> covering = new ArrayList<>();
        int index = method.instructions.indexOf(await);
        for (TryCatchBlockNode range : method.tryCatchBlocks) {
            if (method.instructions.indexOf(range.start) <= index && index < method.instructions.indexOf(range.end)) {
                covering.add(range);
            }
        }
        SlotShifter.shift(method, FrameEmitter.prefix(MACHINE));
        AwaitRewriter rewriter = new AwaitRewriter(MACHINE, List.of(), FrameEmitter.prefix(MACHINE), checkedFirst, SlotShifter.PARAMETERS, method);
        rewriter.rewrite(method.instructions, new Site(1, await, Kind.AWAITABLE), plan.points().get(await), covering, -1);
        InsnList tail = new InsnList();
        rewriter.finish(tail, new boolean[2]);
        return new Rewritten(method, tail, rewriter);
    }

    private static AbstractInsnNode next(AbstractInsnNode insn) {
        AbstractInsnNode next = insn.getNext();
        while (next.getOpcode() < 0) {
            next = next.getNext();
        }
        return next;
    }

    private static List<AbstractInsnNode> real(InsnList code) {
        return Arrays.stream(code.toArray()).filter(insn -> insn.getOpcode() >= 0).toList();
    }

    @Test
    void theFastPathIsTheCallAReferenceCompareAndJavacsCheckcast() {
        Rewritten rewritten = rewriteFirst("""
                @Async static Coroutine<Integer> m() {
                    String s = await(f("a"));
                    return result(s.length());
                }
                """, false);
        MethodInsnNode call = Arrays.stream(rewritten.method().instructions.toArray())
                .filter(insn -> insn instanceof MethodInsnNode m && m.owner.equals(WeaveSupport.WOVEN))
                .map(MethodInsnNode.class::cast).findFirst().orElseThrow();
        assertEquals(WeaveSupport.WOVEN_AWAIT_DESC, call.desc);
        AbstractInsnNode dup = next(call);
        AbstractInsnNode suspended = next(dup);
        AbstractInsnNode compare = next(suspended);
        assertEquals(List.of(Opcodes.DUP, Opcodes.GETSTATIC, Opcodes.IF_ACMPEQ, Opcodes.CHECKCAST),
                List.of(dup.getOpcode(), suspended.getOpcode(), compare.getOpcode(), next(compare).getOpcode()));
        assertTrue(Arrays.stream(rewritten.method().instructions.toArray()).noneMatch(insn -> insn.getOpcode() == Opcodes.NEW),
                "nothing is allocated");
    }

    @Test
    void aResumeWhoseValueIsDroppedGoesOnAfterThePopAndPushesNothing() {
        Rewritten rewritten = rewriteFirst("""
                @Async static Coroutine<String> m() {
                    await(f(1));
                    return result("x");
                }
                """, true);
        List<AbstractInsnNode> tail = real(rewritten.tail());
        JumpInsnNode back = (JumpInsnNode) tail.stream().filter(insn -> insn.getOpcode() == Opcodes.GOTO).reduce((a, b) -> b)
                .orElseThrow();
        AbstractInsnNode before = back.label.getPrevious();
        while (before.getOpcode() < 0) {
            before = before.getPrevious();
        }
        assertEquals(Opcodes.POP, before.getOpcode());
        assertTrue(tail.stream().noneMatch(insn -> insn instanceof VarInsnNode v && v.getOpcode() == Opcodes.ALOAD && v.var == 1));
    }

    @Test
    void aResumeInsideATryThrowsTheFailureInsideACopyOfTheUsersRange() {
        Rewritten rewritten = rewriteFirst("""
                @Async static Coroutine<String> m() {
                    try {
                        return result(await(f("a")));
                    } catch (IllegalStateException e) {
                        return result("caught");
                    }
                }
                """, false);
        List<TryCatchBlockNode> added = rewritten.rewriter().addedRanges();
        assertEquals(1, added.size());
        assertEquals("java/lang/IllegalStateException", added.get(0).type);
        assertEquals(rewritten.method().tryCatchBlocks.get(0).handler, added.get(0).handler);
        AbstractInsnNode thrown = added.get(0).start.getNext();
        assertEquals(List.of(Opcodes.ALOAD, Opcodes.ATHROW), List.of(thrown.getOpcode(), thrown.getNext().getOpcode()));
    }

    @Test
    void whenTheDispatchThrewTheFailureAlreadyAResumeNeverReadsIt() {
        Rewritten rewritten = rewriteFirst("""
                @Async static Coroutine<Integer> m(String s) {
                    int n = await(f(1));
                    return result(n + s.length());
                }
                """, true);
        List<AbstractInsnNode> tail = real(rewritten.tail());
        assertFalse(tail.stream().anyMatch(insn -> insn instanceof VarInsnNode v && v.var == 2 && v.getOpcode() == Opcodes.ALOAD));
        assertTrue(tail.stream().anyMatch(insn -> insn instanceof VarInsnNode v && v.var == 1 && v.getOpcode() == Opcodes.ALOAD));
    }
}
