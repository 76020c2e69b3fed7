package dev.weft.weaver.validation;

import dev.weft.weaver.testing.TestCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The validation corpus: the {@code *Target.java} sources kept as test resources under
 * {@code validation/targets/}, the {@code Sources} helper they share, and the targets generated
 * here (1,000 awaits in one method). Each target ends with its expected output in a comment block
 * that starts with {@code /* Expected output:}.
 */
final class Corpus {
    static final String PACKAGE = "validation/targets/";
    static final String SOURCES = PACKAGE + "Sources.java";
    private static final String EXPECTED_START = "/* Expected output:\n";

    /** One target: its simple name, its source and the output its {@code main()} must print. */
    record Target(String name, String source, String expected) {
        /** The internal name of the target's own class. */
        String internalName() {
            return PACKAGE + name;
        }

        /** The path of its source relative to the source root. */
        String path() {
            return PACKAGE + name + ".java";
        }

        /** Whether a class compiled from the corpus belongs to this target (its class and its nested classes). */
        boolean owns(String internalName) {
            return internalName.equals(internalName()) || internalName.startsWith(internalName() + "$");
        }
    }

    private static List<Target> targets;

    private Corpus() {
    }

    /** Every target, the resources' in name order, then the generated ones. */
    static synchronized List<Target> targets() {
        if (targets == null) {
            List<Target> all = new ArrayList<>();
            for (String name : resourceTargetNames()) {
                String source = TestCompiler.readResource(PACKAGE + name + ".java");
                all.add(new Target(name, source, expectedOf(name, source)));
            }
            all.add(thousandAwaits());
            targets = List.copyOf(all);
        }
        return targets;
    }

    /** Every source of the corpus, for compiling them all at once: path to text. */
    static Map<String, String> allSources() {
        Map<String, String> sources = new TreeMap<>();
        sources.put(SOURCES, TestCompiler.readResource(SOURCES));
        for (Target t : targets()) {
            sources.put(t.path(), t.source());
        }
        return sources;
    }

    /** The sources one target needs: its own and the shared helper. */
    static Map<String, String> sourcesOf(Target target) {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put(SOURCES, TestCompiler.readResource(SOURCES));
        sources.put(target.path(), target.source());
        return sources;
    }

    private static List<String> resourceTargetNames() {
        URL anchor = Corpus.class.getClassLoader().getResource(SOURCES);
        if (anchor == null || !"file".equals(anchor.getProtocol())) {
            throw new IllegalStateException("the validation corpus must be a directory on the test classpath, found "
                    + anchor + "; run the tests from target/test-classes");
        }
        try (Stream<Path> files = Files.list(Paths.get(anchor.toURI()).getParent())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith("Target.java"))
                    .map(f -> f.substring(0, f.length() - ".java".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String expectedOf(String name, String source) {
        int start = source.lastIndexOf(EXPECTED_START);
        int end = source.lastIndexOf("*/");
        if (start < 0 || end < start) {
            throw new IllegalStateException(name + ".java has no expected output: end it with a comment block "
                    + "that starts with \"/* Expected output:\" on its own line");
        }
        return source.substring(start + EXPECTED_START.length(), end);
    }

    /**
     * One method with 1,000 awaits, each really suspending (or each on the fast path), with a running
     * total that is live across all of them and a line printed every 100 awaits.
     */
    private static Target thousandAwaits() {
        StringBuilder body = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        long total = 0;
        for (int k = 0; k < 1000; k++) {
            if (k % 100 == 0) {
                body.append("        System.out.println(\"at ").append(k).append(" total \" + total);\n");
                expected.append("at ").append(k).append(" total ").append(total).append('\n');
            }
            body.append("        total += await(later(").append(k).append("));\n");
            total += k;
        }
        expected.append("total ").append(total).append('\n');
        String source = """
                package validation.targets;

                import static dev.weft.runtime.Aio.*;
                import static validation.targets.Sources.*;

                import dev.weft.Async;
                import dev.weft.runtime.Coroutine;

                /** Generated by Corpus: 1,000 awaits in one method. */
                public class ThousandAwaitsTarget {
                    @Async
                    public static Coroutine<?> main() {
                        long total = 0;
                """ + body + """
                        System.out.println("total " + total);
                        return done();
                    }
                }
                """;
        return new Target("ThousandAwaitsTarget", source, expected.toString());
    }
}
