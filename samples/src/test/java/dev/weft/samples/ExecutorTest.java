package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.runtime.Aio;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecutorTest {
    @Test
    void blockingJobsRunOnThePoolAndComeBackInArgumentOrder() throws Exception {
        long saved = Executor.jobMillis;
        Executor.jobMillis = 50;
        try {
            List<String> lines = SampleOutput.linesOf(() -> Aio.run(Executor.main()));
            assertEquals(3, lines.size(), lines::toString);
            assertEquals("Results: [0, 1, 4, 9, 16]", lines.get(0));
            assertTrue(lines.get(1).matches("5 jobs of 50 ms on 3 threads took \\d+\\.\\d job lengths"), lines.get(1));
            assertEquals("toThread ran on weft-executor-N", lines.get(2));
        } finally {
            Executor.jobMillis = saved;
        }
    }
}
