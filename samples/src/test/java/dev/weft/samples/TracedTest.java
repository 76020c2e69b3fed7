package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.runtime.Aio;
import dev.weft.runtime.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TracedTest {
    private static final String AT = "\tat dev.weft.samples.Traced.";

    @Test
    void theCaughtFailureShowsWhereItWasThrownThenTheAwaitsOfBothTasks() throws Exception {
        List<String> lines = SampleOutput.linesOf(() -> Aio.run(Traced.main(), Clock.virtual()));
        assertEquals("java.lang.NumberFormatException: For input string: \"forty-two\"", lines.get(0));
        int parse = lines.indexOf(AT + "parse(Traced.java:" + lineOf("Integer.parseInt(text)") + ")");
        int boundary = lines.indexOf("\tat weft.async.task(fetcher)");
        assertEquals(List.of(
                "\tat weft.async.task(fetcher)",
                AT + "fetch(Traced.java:" + lineOf("int n = await(parse(text));") + ")",
                "\tat weft.async.task(Task-1)",
                AT + "main(Traced.java:" + lineOf("await(fetcher);") + ")"), lines.subList(boundary, lines.size()));
        assertEquals(true, parse > 0 && parse < boundary, () -> String.join("\n", lines));
    }

    /** The line of the sample's source that holds {@code text}, so that the test follows edits of the sample. */
    private static int lineOf(String text) throws IOException {
        List<String> source = Files.readAllLines(Path.of("src/main/java/dev/weft/samples/Traced.java"));
        for (int i = 0; i < source.size(); i++) {
            if (source.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line holds " + text);
    }
}
