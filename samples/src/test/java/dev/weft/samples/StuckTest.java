package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.runtime.Aio;
import dev.weft.runtime.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StuckTest {
    private static final String AT = "  at dev.weft.samples.Stuck.";
    private static final String CREATED = "  created at dev.weft.samples.Stuck.";

    @Test
    void theStuckProgramPrintsTheWorkersStackAndEveryTaskWithItsChainAndCreationSite() throws Exception {
        List<String> lines = SampleOutput.linesOf(() -> Aio.run(Stuck.main(), Clock.virtual()));
        assertEquals(List.of(
                "Stack for task worker (pending, awaits Future[pending]):",
                AT + "fetch(Stuck.java:" + lineOf("String body = await(reply);") + ")",
                AT + "worker(Stuck.java:" + lineOf("String got = await(fetch(reply));") + ")",
                "",
                "3 tasks pending",
                "",
                "Stack for task Task-1 (pending, running):",
                AT + "main(Stuck.java:" + lineOf("await(sleep(5));") + ")",
                "",
                "Stack for task worker (pending, awaits Future[pending]):",
                AT + "fetch(Stuck.java:" + lineOf("String body = await(reply);") + ")",
                AT + "worker(Stuck.java:" + lineOf("String got = await(fetch(reply));") + ")",
                CREATED + "main(Stuck.java:" + lineOf("createTask(worker(reply)") + ")",
                "",
                "Stack for task boss (pending, awaits task worker):",
                AT + "boss(Stuck.java:" + lineOf("return result(\"boss saw \" + await(worker));") + ")",
                CREATED + "main(Stuck.java:" + lineOf("createTask(boss(worker)") + ")"), lines);
    }

    /** The line of the sample's source that holds {@code text}, so that the test follows edits of the sample. */
    private static int lineOf(String text) throws IOException {
        List<String> source = Files.readAllLines(Path.of("src/main/java/dev/weft/samples/Stuck.java"));
        for (int i = 0; i < source.size(); i++) {
            if (source.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line holds " + text);
    }
}
