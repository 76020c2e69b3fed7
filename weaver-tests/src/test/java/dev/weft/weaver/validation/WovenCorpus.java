package dev.weft.weaver.validation;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.WeaveException;
import dev.weft.weaver.WeaveResult;
import dev.weft.weaver.Weaver;
import dev.weft.weaver.testing.TestCompiler;
import dev.weft.weaver.validation.Corpus.Target;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Compiles the corpus with one compiler and weaves it, each step once per compiler (both test
 * classes share the results). A step that fails throws a {@link StageFailure} naming the target,
 * the compiler and the stage, so that a failing dynamic test says where to look.
 */
final class WovenCorpus {
    /** A target's classes after the weave: every class of the target and the shared helper, woven or left as compiled. */
    record Woven(Map<String, byte[]> classes, Map<String, byte[]> compiled, ClassHierarchy hierarchy, int wovenMethods) {
    }

    private static ClassHierarchy testClasspath;
    private static final Map<String, Map<String, byte[]>> BATCHES = new HashMap<>();
    private static final Map<String, ClassHierarchy> HIERARCHIES = new HashMap<>();

    private WovenCorpus() {
    }

    /** The failure of one stage of one target compiled by one compiler. */
    static final class StageFailure extends AssertionError {
        private static final long serialVersionUID = 1L;

        StageFailure(String subject, String stage, String detail, Throwable cause) {
            super(subject + ": stage " + stage + " failed: " + detail, cause);
        }

        StageFailure(Target target, TestCompiler compiler, String stage, String detail, Throwable cause) {
            this(subject(target, compiler), stage, detail, cause);
        }
    }

    /** How failures name a target and its compiler, as the dynamic tests are named. */
    static String subject(Target target, TestCompiler compiler) {
        return target.name() + " compiled by " + compiler.name();
    }

    /** The test classpath as the weaver sees it; read once, it answers every type question of the corpus. */
    static synchronized ClassHierarchy testClasspath() {
        if (testClasspath == null) {
            testClasspath = ClassHierarchy.of(TestCompiler.testClasspath());
        }
        return testClasspath;
    }

    /**
     * The classes of one target (and of the shared helper) as the compiler wrote them.
     *
     * @throws StageFailure at stage {@code compile} with the compiler's messages
     */
    static Map<String, byte[]> compiled(Target target, TestCompiler compiler) {
        Map<String, byte[]> batch = batch(compiler);
        if (batch.keySet().stream().noneMatch(target::owns)) {
            try {
                batch = compiler.compile(Corpus.sourcesOf(target));
            } catch (TestCompiler.CompilationFailedException e) {
                throw new StageFailure(target, compiler, "compile", "the target is not valid Java for this compiler:\n"
                        + e.getMessage(), null);
            }
        }
        Map<String, byte[]> mine = new TreeMap<>();
        batch.forEach((name, bytes) -> {
            if (target.owns(name) || name.equals(Corpus.PACKAGE + "Sources")) {
                mine.put(name, bytes);
            }
        });
        return mine;
    }

    /**
     * The target's classes woven: each compiled class through {@link Weaver#weave}, the rewritten
     * host and its generated classes replacing it.
     *
     * @throws StageFailure at stage {@code compile}, {@code weave} (an internal fault) or
     *                      {@code weave diagnostics} (an error, or the target's class left unwoven)
     */
    static Woven woven(Target target, TestCompiler compiler) {
        Map<String, byte[]> compiled = compiled(target, compiler);
        ClassHierarchy hierarchy = hierarchy(compiler, compiled);
        // Compilers have bugs too (ECJ 3.33 once dropped a checkcast here): unverifiable input is the
        // target's problem, and must not be reported as the weaver's.
        List<String> before = ClassVerification.verifyAll(compiled, hierarchy);
        if (!before.isEmpty()) {
            throw new StageFailure(target, compiler, "compile", "the compiler wrote classes that do not verify even "
                    + "before weaving; rewrite the target around the compiler's bug:\n" + String.join("\n", before), null);
        }
        Weaver weaver = new Weaver(hierarchy);
        Map<String, byte[]> out = new TreeMap<>();
        int wovenMethods = 0;
        for (Map.Entry<String, byte[]> e : compiled.entrySet()) {
            WeaveResult result;
            try {
                result = weaver.weave(e.getValue());
            } catch (WeaveException | LinkageError ex) {
                throw new StageFailure(target, compiler, "weave", "the weaver threw on " + e.getKey() + ": "
                        + stackTrace(ex), ex);
            } catch (RuntimeException ex) {
                throw new StageFailure(target, compiler, "weave", "the weaver threw an unexpected exception on "
                        + e.getKey() + " (Weaver.weave must throw WeaveException for internal faults): "
                        + stackTrace(ex), ex);
            }
            if (result.hasErrors()) {
                throw new StageFailure(target, compiler, "weave diagnostics", "the weaver rejected valid code in "
                        + e.getKey() + ":\n" + result.diagnostics().stream().map(Diagnostic::format)
                        .collect(Collectors.joining("\n")), null);
            }
            if (result.changed()) {
                if (!result.classes().containsKey(e.getKey())) {
                    throw new StageFailure(target, compiler, "weave", "the result of weaving " + e.getKey()
                            + " does not contain the rewritten class itself, only " + result.classes().keySet(), null);
                }
                out.putAll(result.classes());
                wovenMethods += result.wovenMethods();
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        if (out.get(target.internalName()) == compiled.get(target.internalName())) {
            throw new StageFailure(target, compiler, "weave diagnostics", "the weaver left " + target.internalName()
                    + " unchanged although its main() is @Async", null);
        }
        return new Woven(out, compiled, ClassHierarchy.ofBytes(out, testClasspath()), wovenMethods);
    }

    private static synchronized Map<String, byte[]> batch(TestCompiler compiler) {
        return BATCHES.computeIfAbsent(compiler.name(), n -> {
            try {
                return compiler.compile(Corpus.allSources());
            } catch (TestCompiler.CompilationFailedException e) {
                // One broken target must not fail the others: each is then compiled on its own.
                return Map.of();
            }
        });
    }

    private static synchronized ClassHierarchy hierarchy(TestCompiler compiler, Map<String, byte[]> compiled) {
        Map<String, byte[]> batch = batch(compiler);
        if (batch.isEmpty()) {
            return ClassHierarchy.ofBytes(compiled, testClasspath());
        }
        return HIERARCHIES.computeIfAbsent(compiler.name(), n -> ClassHierarchy.ofBytes(batch, testClasspath()));
    }

    static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
