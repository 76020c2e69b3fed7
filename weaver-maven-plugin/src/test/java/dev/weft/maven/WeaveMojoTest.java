package dev.weft.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.ClassHierarchy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The {@code weave} goal over a real classes directory, with the weaver's calls counted. */
class WeaveMojoTest {
    @TempDir
    Path build;

    /** Every directory weave the goal asked for, and how often each class file was read in it. */
    private final List<Map<String, Integer>> weaves = new ArrayList<>();
    private final List<Boolean> failOnWarningPassed = new ArrayList<>();

    @Test
    void withFailOnWarningAWarningFailsTheBuildAfterOneWeaveOfEachClass() throws Exception {
        byte[] forgetful = write("demo/Forgetful.class", forgetfulClass());
        byte[] plain = write("demo/Plain.class", plainClass());
        WeaveMojo goal = goal(true);

        MojoFailureException failure = assertThrows(MojoFailureException.class, goal::execute);

        assertTrue(failure.getMessage().contains("1 warning (weft.failOnWarning is set)"), failure.getMessage());
        assertEquals(List.of(Map.of("demo/Forgetful.class", 1, "demo/Plain.class", 1)), weaves,
                "one weave, which reads each class once");
        assertEquals(List.of(true), failOnWarningPassed);
        assertArrayEquals(forgetful, Files.readAllBytes(build.resolve("classes/demo/Forgetful.class")));
        assertArrayEquals(plain, Files.readAllBytes(build.resolve("classes/demo/Plain.class")));
        assertFalse(Files.exists(build.resolve("weft/weave-state.properties")), "a failed weave records nothing");
    }

    @Test
    void withFailOnWarningAndNoWarningEachClassIsWovenOnceAndRecorded() throws Exception {
        write("demo/Plain.class", plainClass());
        WeaveMojo goal = goal(true);

        goal.execute();

        assertEquals(List.of(Map.of("demo/Plain.class", 1)), weaves, "one weave, which reads each class once");
        assertTrue(Files.isRegularFile(build.resolve("weft/weave-state.properties")));
    }

    @Test
    void withoutFailOnWarningAWarningIsListedAndTheBuildGoesOn() throws Exception {
        write("demo/Forgetful.class", forgetfulClass());
        WeaveMojo goal = goal(false);

        goal.execute();

        assertEquals(List.of(false), failOnWarningPassed);
        assertEquals(1, weaves.size());
        assertTrue(Files.isRegularFile(build.resolve("weft/weave-state.properties")));
    }

    private WeaveMojo goal(boolean failOnWarning) {
        WeaveMojo goal = new WeaveMojo() {
            @Override
            protected List<String> classpathElements() {
                return List.of();
            }

            @Override
            DirectoryWeaver weaver(ClassHierarchy hierarchy) {
                DirectoryWeaver real = super.weaver(hierarchy);
                return (classes, include, failOnWarning) -> {
                    Map<String, Integer> reads = new TreeMap<>();
                    weaves.add(reads);
                    failOnWarningPassed.add(failOnWarning);
                    return real.weave(classes, file -> {
                        boolean included = include.test(file);
                        if (included) {
                            reads.merge(ClassSelection.relative(classes, file), 1, Integer::sum);
                        }
                        return included;
                    }, failOnWarning);
                };
            }
        };
        goal.classesDirectory = build.resolve("classes").toFile();
        goal.stateDirectory = build.resolve("weft").toFile();
        goal.failOnWarning = failOnWarning;
        PluginDescriptor plugin = new PluginDescriptor();
        plugin.setVersion("1.0");
        goal.plugin = plugin;
        return goal;
    }

    private byte[] write(String relativePath, byte[] bytes) throws Exception {
        Path file = build.resolve("classes").resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return bytes;
    }

    /**
     * {@code class Forgetful { static void run() { make(); } static Coroutine make() { return null; } }}:
     * the coroutine {@code run} drops is a warning in any method, and nothing needs weaving.
     */
    private static byte[] forgetfulClass() {
        ClassWriter writer = header("demo/Forgetful");
        MethodVisitor run = writer.visitMethod(Opcodes.ACC_STATIC, "run", "()V", null, null);
        run.visitCode();
        run.visitMethodInsn(Opcodes.INVOKESTATIC, "demo/Forgetful", "make", "()Ldev/weft/runtime/Coroutine;", false);
        run.visitInsn(Opcodes.POP);
        run.visitInsn(Opcodes.RETURN);
        run.visitMaxs(1, 0);
        run.visitEnd();
        MethodVisitor make = writer.visitMethod(Opcodes.ACC_STATIC, "make", "()Ldev/weft/runtime/Coroutine;", null, null);
        make.visitCode();
        make.visitInsn(Opcodes.ACONST_NULL);
        make.visitInsn(Opcodes.ARETURN);
        make.visitMaxs(1, 0);
        make.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** {@code class Plain { }}: nothing to weave and nothing to report. */
    private static byte[] plainClass() {
        ClassWriter writer = header("demo/Plain");
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static ClassWriter header(String name) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
        writer.visitSource(name.substring(name.lastIndexOf('/') + 1) + ".java", null);
        return writer;
    }
}
