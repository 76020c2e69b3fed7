package dev.weft.weaver.internal.transform;

import dev.weft.weaver.testing.TestCompiler;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Test support for the stage tests: methods of a small class {@code demo.Subject} compiled by
 * javac 17 and read as the weave reads them (frames expanded), and the stages before the one
 * under test run over them.
 */
final class Subjects {
    static final String OWNER = "demo/Subject";

    /**
     * A loop with two awaits, method {@code m}: a counter written twice, an iterator written once
     * and live at both awaits, a url live at the first only. The stage tests that look at restores
     * and saves share it.
     */
    static final String LOOP_WITH_TWO_AWAITS = """
            @Async static Coroutine<Integer> m(List<String> urls) {
                int failures = 0;
                for (String url : urls) {
                    String body = await(f(url));
                    if (body.isEmpty()) { failures++; continue; }
                    await(f(2));
                }
                return result(failures);
            }
            """;
    private static final String HEADER = """
            package demo;
            import dev.weft.Async;
            import dev.weft.runtime.*;
            import static dev.weft.runtime.Aio.*;
            import java.util.*;
            import java.util.concurrent.CompletableFuture;
            public class Subject {
                static <T> Future<T> f(T value) { throw new UnsupportedOperationException(); }
                static String join(Object... parts) { return Arrays.toString(parts); }
            """;

    private Subjects() {
    }

    /** The method {@code name} of a class holding {@code members}, as the weave reads it. */
    static MethodNode method(String members, String name) {
        return method(TestCompiler.javac17(), members, name);
    }

    /** The method {@code name} of a class holding {@code members}, compiled by {@code compiler}. */
    static MethodNode method(TestCompiler compiler, String members, String name) {
        Map<String, byte[]> classes = compiler.compile("demo/Subject.java", HEADER + members + "\n}\n");
        ClassNode node = new ClassNode();
        new ClassReader(classes.get(OWNER)).accept(node, ClassReader.EXPAND_FRAMES);
        return node.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    }

    /** The calls of {@code owner.name} in the method, in code order. */
    static List<MethodInsnNode> calls(MethodNode method, String name) {
        return java.util.Arrays.stream(method.instructions.toArray())
                .filter(insn -> insn instanceof MethodInsnNode call && call.name.equals(name))
                .map(MethodInsnNode.class::cast).toList();
    }

    /** Everything the spill planner needs, the stages before it run as the weave runs them. */
    record Prepared(MethodNode method, List<AbstractInsnNode> points, Map<AbstractInsnNode, FrameReader.State> states,
                    Map<AbstractInsnNode, BitSet> live, int scratch) {
        SpillPlanner.Plan plan() {
            return SpillPlanner.plan(OWNER, method, states, live, points, scratch);
        }

        SpillPlanner.Plan tracked() {
            return FieldTracker.track(method, plan(), states, LivenessAnalyzer.liveAtStart(method), SlotShifter.PARAMETERS);
        }

        SpillPlanner.Point point(int index) {
            return tracked().points().get(points.get(index));
        }
    }

    static Prepared prepare(String members, String name) {
        MethodNode method = method(members, name);
        List<AbstractInsnNode> points = AwaitSiteFinder.find(method).stream().map(AwaitSiteFinder.Site::insn).toList();
        Set<AbstractInsnNode> pointSet = new HashSet<>(points);
        int scratch = UninitializedNewLifter.lift(OWNER, method, pointSet);
        LivenessAnalyzer.trimFrames(method);
        Map<AbstractInsnNode, FrameReader.State> states = FrameReader.read(OWNER, method,
                insn -> pointSet.contains(insn) || insn.getOpcode() == org.objectweb.asm.Opcodes.ASTORE);
        return new Prepared(method, points, states, LivenessAnalyzer.liveAfter(method, points), scratch);
    }
}
