package dev.weft.weaver.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.weft.weaver.testing.TestCompiler;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

class MonitorDepthTest {

    @Test
    void depthRisesInsideNestedSynchronizedBlocksAndFallsAfterThem() {
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            byte[] bytes = compiler.compile("demo/Nest.java", """
                    package demo;
                    class Nest {
                        static int run(Object a, Object b) {
                            int x = 0;
                            synchronized (a) {
                                x += 1;
                                synchronized (b) {
                                    x += 2;
                                }
                            }
                            return x;
                        }
                    }
                    """).get("demo/Nest");
            MethodNode run = method(bytes, "run");
            int[] depth = MonitorDepth.of(run);
            List<Integer> atEnters = new ArrayList<>();
            for (AbstractInsnNode insn : run.instructions) {
                int index = run.instructions.indexOf(insn);
                if (insn.getOpcode() == Opcodes.MONITORENTER) {
                    atEnters.add(depth[index]);
                }
                if (insn.getOpcode() == Opcodes.IRETURN) {
                    assertEquals(0, depth[index], compiler.name());
                }
            }
            assertEquals(List.of(0, 1), atEnters, compiler.name());
        }
    }

    /** Every return of compiled Java code is reached with no monitor held: a property of real code. */
    @Test
    void noReturnInGuavaIsReachedWhileHoldingAMonitor() throws Exception {
        Path guava = Path.of(ImmutableList.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        int methodsWithMonitors = 0;
        List<String> wrong = new ArrayList<>();
        try (ZipFile zip = new ZipFile(guava.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                ClassNode node = new ClassNode();
                new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
                for (MethodNode method : node.methods) {
                    if (method.instructions.size() == 0 || !hasMonitor(method)) {
                        continue;
                    }
                    methodsWithMonitors++;
                    int[] depth = MonitorDepth.of(method);
                    for (AbstractInsnNode insn : method.instructions) {
                        int opcode = insn.getOpcode();
                        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN
                                && depth[method.instructions.indexOf(insn)] != 0) {
                            wrong.add(node.name + "." + method.name);
                        }
                    }
                }
            }
        }
        assertTrue(methodsWithMonitors > 50, "only " + methodsWithMonitors + " methods with monitors");
        assertEquals(List.of(), wrong);
    }

    private static boolean hasMonitor(MethodNode method) {
        for (AbstractInsnNode insn : method.instructions) {
            if (insn.getOpcode() == Opcodes.MONITORENTER) {
                return true;
            }
        }
        return false;
    }

    private static MethodNode method(byte[] bytes, String name) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        return node.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    }
}
