package dev.weft.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The lines of one of this module's test sources, for tests that check the line a stack names:
 * each line they look for ends with a marker {@code // line:NAME}.
 */
final class SourceLines {
    private final List<String> lines;

    private SourceLines(List<String> lines) {
        this.lines = lines;
    }

    /** The lines of {@code src/test/java/dev/weft/runtime/FILE}. */
    static SourceLines of(String file) {
        try {
            return new SourceLines(Files.readAllLines(Path.of("src/test/java/dev/weft/runtime", file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number of the line that ends with the marker {@code // line:NAME}. */
    int line(String name) {
        String marker = "// line:" + name;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError("no marker " + marker);
    }
}
