package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.runtime.Aio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsyncFilesTest {
    @Test
    void filesAreWrittenAndReadBackThroughTheExecutor(@TempDir Path dir) throws Exception {
        List<String> lines = SampleOutput.linesOf(() -> Aio.run(AsyncFiles.main(dir)));
        assertEquals(List.of(
                "Wrote [5, 13, 5] characters",
                "a.txt: alpha",
                "b.txt: bravo charlie",
                "c.txt: delta"), lines);
        assertEquals("bravo charlie", Files.readString(dir.resolve("b.txt")));
    }
}
