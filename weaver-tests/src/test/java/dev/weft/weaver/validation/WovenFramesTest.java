package dev.weft.weaver.validation;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.weft.weaver.testing.ByteArrayClassLoader;
import dev.weft.weaver.testing.TestCompiler;
import dev.weft.weaver.validation.Corpus.Target;
import dev.weft.weaver.validation.WovenCorpus.StageFailure;
import dev.weft.weaver.validation.WovenCorpus.Woven;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The weaver writes its frames itself and never uses {@code COMPUTE_FRAMES}; this test holds them
 * against the frames ASM computes for the same woven code (see {@link FrameComparison} for what
 * counts as a difference), and checks that the woven classes and their recomputed twins both load.
 */
class WovenFramesTest {
    @TestFactory
    Stream<DynamicTest> theWeaversFramesAgreeWithAsmsComputedFrames() {
        List<TestCompiler> compilers = ValidationTest.availableCompilersReportingTheOthers();
        return Corpus.targets().stream().flatMap(target -> compilers.stream().map(compiler -> dynamicTest(
                WovenCorpus.subject(target, compiler) + ": frames agree with ASM's COMPUTE_FRAMES",
                () -> check(target, compiler))));
    }

    private static void check(Target target, TestCompiler compiler) {
        String subject = WovenCorpus.subject(target, compiler);
        Woven woven = WovenCorpus.woven(target, compiler);
        Map<String, byte[]> recomputed = new TreeMap<>(woven.classes());
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : woven.classes().entrySet()) {
            if (Arrays.equals(e.getValue(), woven.compiled().get(e.getKey()))) {
                continue;
            }
            byte[] asm;
            try {
                asm = FrameComparison.recompute(e.getValue(), woven.hierarchy());
            } catch (RuntimeException ex) {
                throw new StageFailure(subject, "frames", "ASM cannot compute frames for " + e.getKey() + ": "
                        + WovenCorpus.stackTrace(ex), ex);
            }
            recomputed.put(e.getKey(), asm);
            problems.addAll(FrameComparison.compare(e.getValue(), asm, woven.hierarchy()));
        }
        if (!problems.isEmpty()) {
            throw new StageFailure(subject, "frames", "the woven frames disagree with ASM's:\n" + String.join("\n", problems), null);
        }
        if (compiler.classFileMajorVersion() <= Runtime.version().feature() + 44) {
            loadAll(subject + ", as woven", woven.classes());
            loadAll(subject + ", frames recomputed by ASM", recomputed);
        }
    }

    private static void loadAll(String subject, Map<String, byte[]> classes) {
        ClassLoader loader = new ByteArrayClassLoader("weft-validation", classes, WovenFramesTest.class.getClassLoader());
        for (String name : classes.keySet()) {
            try {
                Class.forName(name.replace('/', '.'), true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new StageFailure(subject, "load", "the JVM refused " + name + ": " + WovenCorpus.stackTrace(e), e);
            }
        }
    }
}
