package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.runtime.Aio;
import dev.weft.runtime.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactorialTest {
    @Test
    void awaitedSleepsInterleaveTheTwoTasksAndTakeThreeSeconds() throws Exception {
        List<String> lines = SampleOutput.linesOf(() -> Aio.run(Factorial.main(), Clock.virtual()));
        assertEquals(List.of(
                "Task A: Compute factorial(3), currently i=2...",
                "Task B: Compute factorial(4), currently i=2...",
                "Task A: Compute factorial(3), currently i=3...",
                "Task B: Compute factorial(4), currently i=3...",
                "Task A: factorial(3) = 6",
                "Task B: Compute factorial(4), currently i=4...",
                "Task B: factorial(4) = 24",
                "Total time: 3.00 seconds"), lines);
    }

    @Test
    void blockingSleepsRunOneTaskAfterTheOther() throws Exception {
        long saved = Factorial.blockMillis;
        Factorial.blockMillis = 20;
        try {
            List<String> lines = SampleOutput.linesOf(() -> Aio.run(Factorial.blockingMain()));
            assertEquals(List.of(
                    "Task A: Compute factorial(3), currently i=2...",
                    "Task A: Compute factorial(3), currently i=3...",
                    "Task A: factorial(3) = 6",
                    "Task B: Compute factorial(4), currently i=2...",
                    "Task B: Compute factorial(4), currently i=3...",
                    "Task B: Compute factorial(4), currently i=4...",
                    "Task B: factorial(4) = 24"), lines.subList(0, 7));
            assertEquals(8, lines.size());
            assertTrue(lines.get(7).matches("Total time: \\d+\\.\\d\\d seconds"), lines.get(7));
        } finally {
            Factorial.blockMillis = saved;
        }
    }
}
