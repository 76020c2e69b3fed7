package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.testing.TestCompiler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Differential tests of unboxed emits: the same generator source is compiled with {@code emit(X(v))}
 * written as {@code emit((v))} (the box right before the emit, unboxed by the weaver) and as
 * {@code emit(o(v))} (the box kept: o is an identity method), and the consumer must see the same.
 */
class PrimitiveEmitAdversarialTest {
    private static final String TEMPLATE = TestCompiler.readResource("adv/Adv.java.txt");
    private static final Map<String, Woven> CACHE = new LinkedHashMap<>();

    private static List<TestCompiler> compilers() {
        List<TestCompiler> list = new ArrayList<>(List.of(TestCompiler.javac17(), TestCompiler.ecj()));
        // javac 25's class files (version 69) do not load in this JDK 17 test JVM: woven, they are
        // marked version 61 (the source uses nothing newer) so that they verify and run here.
        if (TestCompiler.javac25().isAvailable()) {
            list.add(TestCompiler.javac25());
        }
        return list;
    }

    private static synchronized Woven woven(TestCompiler compiler, boolean unboxed) {
        return CACHE.computeIfAbsent(compiler.name() + unboxed, k -> Woven.compile(compiler, "demo/Adv.java",
                TEMPLATE.replace("X(", unboxed ? "(" : "o("), bytes -> {
                    if (compiler.classFileMajorVersion() > 61) {
                        bytes = bytes.clone();
                        bytes[6] = 0;
                        bytes[7] = 61;
                    }
                    return bytes;
                }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"locals", "tries", "failsAfter", "switches", "loops", "conds", "identity", "typed",
            "nested", "misuse", "tasks", "debug", "compound", "misc", "stack"})
    void sameAsBoxed(String method) throws Exception {
        StringBuilder diffs = new StringBuilder();
        for (TestCompiler compiler : compilers()) {
            String boxed = String.valueOf(woven(compiler, false).call("demo.Adv", method));
            String unboxed;
            try {
                unboxed = String.valueOf(woven(compiler, true).call("demo.Adv", method));
            } catch (Throwable t) {
                unboxed = "THREW " + t;
            }
            String outDir = System.getenv("ADV_OUT");
            if (outDir != null) {
                java.nio.file.Path dir = java.nio.file.Path.of(outDir);
                java.nio.file.Files.createDirectories(dir);
                java.nio.file.Files.writeString(dir.resolve(compiler.name().replace(' ', '_') + "-boxed-" + method), boxed);
                java.nio.file.Files.writeString(dir.resolve(compiler.name().replace(' ', '_') + "-unboxed-" + method), unboxed);
            }
            System.out.println("== " + method + " " + compiler.name() + "\nboxed:   " + boxed + "\nunboxed: " + unboxed);
            if (!boxed.equals(unboxed)) {
                diffs.append(compiler.name()).append(":\n boxed:   ").append(boxed).append("\n unboxed: ")
                        .append(unboxed).append('\n');
            }
        }
        assertEquals("", diffs.toString());
    }

    @Test
    void theUnboxedVariantIsUnboxed() {
        for (TestCompiler compiler : compilers()) {
            Map<String, Integer> calls = new LinkedHashMap<>();
            for (byte[] bytes : woven(compiler, true).classes.values()) {
                ClassNode node = new ClassNode();
                new ClassReader(bytes).accept(node, 0);
                for (MethodNode m : node.methods) {
                    for (AbstractInsnNode insn : m.instructions) {
                        if (insn instanceof MethodInsnNode call && WeaveSupport.WOVEN.equals(call.owner)
                                && call.name.startsWith("emit")) {
                            calls.merge(call.name, 1, Integer::sum);
                        }
                    }
                }
            }
            System.out.println(compiler.name() + " " + calls);
            assertTrue(calls.getOrDefault(WeaveSupport.WOVEN_EMIT_LONG, 0) > 30, compiler.name() + " " + calls);
            assertTrue(calls.getOrDefault(WeaveSupport.WOVEN_EMIT_DOUBLE, 0) > 15, compiler.name() + " " + calls);
            assertTrue(calls.getOrDefault(WeaveSupport.WOVEN_EMIT_INT, 0) > 10, compiler.name() + " " + calls);
        }
    }
}
