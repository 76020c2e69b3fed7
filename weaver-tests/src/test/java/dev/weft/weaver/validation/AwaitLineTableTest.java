package dev.weft.weaver.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.weft.weaver.internal.AsyncMethods;
import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.testing.TestCompiler;
import dev.weft.weaver.validation.Corpus.Target;
import dev.weft.weaver.validation.WovenCorpus.Woven;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The line tables of corpus targets whose suspension points are all plain {@code await(..)} calls
 * (no returned awaitable, no {@code AsyncCloseable}), compiled by every compiler: in every state
 * machine, label {@code k}'s line is the line of the {@code k}-th {@code Aio.await} call of the
 * method as the compiler wrote it, and that source line holds an {@code await(}.
 */
class AwaitLineTableTest {
    private static final List<String> TARGETS = List.of("ForLoopTarget", "TryCatchTarget", "NestedTryTarget",
            "WhileLoopsTarget", "ArgumentsTarget");

    @TestFactory
    Stream<DynamicTest> everySuspendedLabelNamesTheLineOfItsAwait() {
        List<TestCompiler> compilers = TestCompiler.available();
        return Corpus.targets().stream().filter(t -> TARGETS.contains(t.name()))
                .flatMap(target -> compilers.stream().map(compiler ->
                        dynamicTest(WovenCorpus.subject(target, compiler), () -> check(target, compiler))));
    }

    private static void check(Target target, TestCompiler compiler) {
        Woven woven = WovenCorpus.woven(target, compiler);
        String[] source = target.source().split("\n", -1);
        int machines = 0;
        for (Map.Entry<String, byte[]> compiled : woven.compiled().entrySet()) {
            List<MethodNode> async = new ArrayList<>();
            for (MethodNode m : read(compiled.getValue()).methods) {
                if (AsyncMethods.isAsync(m)) {
                    async.add(m);
                }
            }
            for (int n = 0; n < async.size(); n++) {
                MethodNode original = async.get(n);
                String machine = WeaveSupport.machineName(compiled.getKey(), original.name, n);
                String table = table(read(woven.classes().get(machine)));
                List<Integer> awaitLines = awaitLines(original);
                assertEquals(awaitLines.size(), table.length() - 1, machine + ": one line per suspension point");
                for (int k = 1; k < table.length(); k++) {
                    int line = table.charAt(k);
                    assertEquals(awaitLines.get(k - 1), line, machine + ": the line of label " + k);
                    assertTrue(source[line - 1].contains("await("), machine + ": label " + k + " names line " + line
                            + ", which holds no await: " + source[line - 1]);
                }
                machines++;
            }
        }
        assertFalse(machines == 0, "no state machine checked");
    }

    private static ClassNode read(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        return node;
    }

    /** The constant {@code awaitLine()} reads its lines from. */
    private static String table(ClassNode machine) {
        for (MethodNode m : machine.methods) {
            if (m.name.equals(WeaveSupport.AWAIT_LINE)) {
                for (AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof LdcInsnNode ldc && ldc.cst instanceof String s) {
                        return s;
                    }
                }
            }
        }
        throw new AssertionError(machine.name + " has no line table");
    }

    /** The line of each {@code Aio.await} call, in code order, as the LineNumberTable gives it. */
    private static List<Integer> awaitLines(MethodNode method) {
        List<Integer> lines = new ArrayList<>();
        int line = 0;
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof LineNumberNode l) {
                line = l.line;
            } else if (insn instanceof MethodInsnNode call && call.owner.equals(WeaveSupport.AIO)
                    && Set.of(WeaveSupport.AWAIT_AWAITABLE_DESC, WeaveSupport.AWAIT_STAGE_DESC).contains(call.desc)
                    && call.name.equals(WeaveSupport.AWAIT)) {
                lines.add(line);
            }
        }
        return lines;
    }
}
