package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.runtime.Aio;
import dev.weft.runtime.Clock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FetchTest {
    @Test
    void theReadmeExampleRunsWovenOnTheVirtualClock() {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Aio.run(Fetch.main(), Clock.virtual());
        } finally {
            System.setOut(original);
        }
        assertEquals(List.of("Task 1: starting...", "Task 2: starting...", "Task 3: starting...",
                "Task 3: done!", "Task 1: done!", "Task 2: done!",
                "Results: [Data from 1, Data from 2, Data from 3]", "Total time elapsed: 3.00 seconds"),
                bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
