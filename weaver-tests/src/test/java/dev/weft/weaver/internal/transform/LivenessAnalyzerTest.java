package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.MethodNode;
import org.junit.jupiter.api.Test;

class LivenessAnalyzerTest {
    private static BitSet liveAfterFirstAwait(MethodNode method) {
        AbstractInsnNode await = Subjects.calls(method, "await").get(0);
        return LivenessAnalyzer.liveAfter(method, List.of(await)).get(await);
    }

    @Test
    void aLocalReadAfterTheAwaitIsLiveAndOneOnlyReadBeforeIsNot() {
        BitSet live = liveAfterFirstAwait(Subjects.method("""
                @Async static Coroutine<String> m(String before, String after) {
                    System.out.println(before);
                    await(f(1));
                    return result(after);
                }
                """, "m"));
        assertEquals(BitSet.valueOf(new long[] {0b10}), live);
    }

    @Test
    void aLocalOverwrittenAfterTheAwaitBeforeAnyReadIsDead() {
        BitSet live = liveAfterFirstAwait(Subjects.method("""
                @Async static Coroutine<String> m(String s) {
                    await(f(1));
                    s = "new";
                    return result(s);
                }
                """, "m"));
        assertTrue(live.isEmpty());
    }

    @Test
    void aLocalReadInTheCatchStaysLiveAcrossAnAwaitInTheTry() {
        BitSet live = liveAfterFirstAwait(Subjects.method("""
                @Async static Coroutine<String> m(String s) {
                    try {
                        await(f(1));
                        return result("ok");
                    } catch (IllegalStateException e) {
                        return result(s);
                    }
                }
                """, "m"));
        assertTrue(live.get(0));
    }

    @Test
    void liveAtStartHoldsOnlyTheParametersTheBodyReads() {
        MethodNode method = Subjects.method("""
                @Async static Coroutine<String> m(String unused, long read, String overwritten) {
                    overwritten = "x";
                    return result(overwritten + read);
                }
                """, "m");
        BitSet live = LivenessAnalyzer.liveAtStart(method);
        assertFalse(live.get(0));
        assertTrue(live.get(1));
        assertFalse(live.get(3));
    }

    @Test
    void trimmedFramesMarkDeadLocalsTop() {
        MethodNode method = Subjects.method("""
                @Async static Coroutine<Integer> m(String once) {
                    int n = once.length();
                    int total = 0;
                    for (int i = 0; i < n; i++) {
                        total += i;
                    }
                    return result(total);
                }
                """, "m");
        LivenessAnalyzer.trimFrames(method);
        FrameNode loopHead = null;
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof FrameNode frame) {
                loopHead = frame;
                break;
            }
        }
        assertEquals(Opcodes.TOP, loopHead.local.get(0), "once is dead in the loop");
        assertEquals(List.of(Opcodes.TOP, Opcodes.INTEGER, Opcodes.INTEGER, Opcodes.INTEGER), loopHead.local);
    }
}
