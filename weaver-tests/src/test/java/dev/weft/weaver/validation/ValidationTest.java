package dev.weft.weaver.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.weft.weaver.testing.TestCompiler;
import dev.weft.weaver.validation.Corpus.Target;
import dev.weft.weaver.validation.WovenCorpus.StageFailure;
import dev.weft.weaver.validation.WovenCorpus.Woven;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The weaver's validation corpus, in the manner of JaCoCo's {@code ValidationTestBase}: every
 * target under {@code src/test/resources/validation/targets} is compiled by every available
 * compiler, woven, verified, loaded in a fresh class loader (so the JVM verifies the frames), run on
 * the loop with a virtual clock, and its output compared with the expected output written beside
 * it. Each target runs twice: with every await really suspending, and with every awaited source
 * already done (the fast path).
 *
 * <p>A failure names the target, the compiler and the stage: {@code compile}, {@code weave},
 * {@code weave diagnostics}, {@code verify}, {@code load}, {@code run} or {@code output}.
 */
class ValidationTest {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    @TestFactory
    Stream<DynamicTest> everyTargetPrintsItsExpectedOutputWhenWoven() {
        List<TestCompiler> compilers = availableCompilersReportingTheOthers();
        return Corpus.targets().stream().flatMap(target -> compilers.stream().flatMap(compiler -> Stream.of(
                dynamicTest(WovenCorpus.subject(target, compiler), () -> check(target, compiler, false)),
                dynamicTest(WovenCorpus.subject(target, compiler) + ", fast path", () -> check(target, compiler, true)))));
    }

    static List<TestCompiler> availableCompilersReportingTheOthers() {
        for (TestCompiler compiler : TestCompiler.all()) {
            if (!compiler.isAvailable()) {
                // Its variants are not generated at all, so the report cannot count them as passed.
                System.err.println("validation corpus: " + compiler.unavailableReason());
            }
        }
        return TestCompiler.available();
    }

    private static void check(Target target, TestCompiler compiler, boolean fast) {
        String subject = WovenCorpus.subject(target, compiler) + (fast ? ", fast path" : "");
        Woven woven = WovenCorpus.woven(target, compiler);
        List<String> problems = ClassVerification.verifyAll(woven.classes(), woven.hierarchy());
        if (!problems.isEmpty()) {
            throw new StageFailure(subject, "verify", "ASM's verifier rejects the woven classes:\n"
                    + String.join("\n", problems), null);
        }
        String printed = assertTimeoutPreemptively(RUN_LIMIT,
                () -> TargetRunner.run(subject, compiler, target.name(), woven.classes(), fast),
                () -> subject + ": stage run failed: main() did not complete within " + RUN_LIMIT.toSeconds() + " s");
        assertEquals(target.expected(), printed, () -> subject + ": stage output failed: the woven program printed "
                + "other lines than the source says it must");
    }
}
