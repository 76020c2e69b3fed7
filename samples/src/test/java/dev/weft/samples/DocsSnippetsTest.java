package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every code block in the README and in {@code docs/} comes from a compiled (or built) source: a
 * block is preceded by {@code <!-- snippet: path#tag -->} and must equal the lines between
 * {@code tag::tag[]} and {@code end::tag[]} in that file (both without their common indentation).
 * Shell commands and program output
 * ({@code sh}, {@code text}) are the only blocks without a source.
 */
class DocsSnippetsTest {
    private static final Set<String> UNSOURCED = Set.of("sh", "text", "console");
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    record Block(Path doc, int line, String language, String snippet, List<String> lines) {
    }

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> s = Files.walk(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    static List<Block> blocks(Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("```") || line.equals("```")) {
                continue;
            }
            String language = line.substring(3).trim();
            String snippet = null;
            if (i > 0 && lines.get(i - 1).startsWith("<!-- snippet:")) {
                snippet = lines.get(i - 1).replace("<!-- snippet:", "").replace("-->", "").trim();
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).equals("```")) {
                end++;
            }
            blocks.add(new Block(doc, i + 1, language, snippet, List.copyOf(lines.subList(i + 1, end))));
            i = end;
        }
        return blocks;
    }

    static List<String> region(Path source, String tag) throws IOException {
        List<String> lines = Files.readAllLines(source);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("tag::" + tag + "[]") && !lines.get(i).contains("end::")) {
                start = i + 1;
            } else if (lines.get(i).contains("end::" + tag + "[]") && start >= 0) {
                return lines.subList(start, i);
            }
        }
        throw new AssertionError("no region tag::" + tag + "[] ... end::" + tag + "[] in " + source);
    }

    /** Strips the indentation all lines share, so a method shown from inside a class reads flush left. */
    static List<String> dedent(List<String> lines) {
        int common = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                common = Math.min(common, line.length() - line.stripLeading().length());
            }
        }
        int cut = common == Integer.MAX_VALUE ? 0 : common;
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(cut)).toList();
    }

    @TestFactory
    Stream<DynamicTest> everyCodeBlockEqualsItsSource() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path doc : documents()) {
            for (Block b : blocks(doc)) {
                if (UNSOURCED.contains(b.language())) {
                    continue;
                }
                String name = ROOT.relativize(doc) + ":" + b.line();
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    if (b.snippet() == null) {
                        fail(name + ": a ```" + b.language() + " block without a <!-- snippet: path#tag --> line "
                                + "before it; every code block must come from a compiled source");
                    }
                    String[] parts = b.snippet().split("#", 2);
                    Path source = ROOT.resolve(parts[0]);
                    assertTrue(Files.exists(source), name + ": snippet source " + source + " does not exist");
                    assertEquals(String.join("\n", dedent(region(source, parts[1]))),
                            String.join("\n", dedent(b.lines())), name + " differs from " + b.snippet());
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void theReadmeHasCodeBlocksToCheck() throws IOException {
        assertFalse(blocks(ROOT.resolve("README.md")).isEmpty());
    }
}
