package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.runtime.Aio;
import dev.weft.runtime.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatherTest {
    @Test
    void gatherStartsInArgumentOrderFinishesByDelayAndTakesTheSlowest() throws Exception {
        List<String> lines = SampleOutput.linesOf(() -> Aio.run(Gather.main(), Clock.virtual()));
        assertEquals(List.of(
                "Task 1: starting...",
                "Task 2: starting...",
                "Task 3: starting...",
                "Task 3: done!",
                "Task 1: done!",
                "Task 2: done!",
                "Results: [Data from 1, Data from 2, Data from 3]",
                "Total time elapsed: 3.00 seconds"), lines);
    }

    @Test
    void sequentialAwaitsTakeTheSumOfTheDelays() throws Exception {
        List<String> lines = SampleOutput.linesOf(() -> Aio.run(Gather.sequential(), Clock.virtual()));
        assertEquals(List.of(
                "Task 1: starting...",
                "Task 1: done!",
                "Task 2: starting...",
                "Task 2: done!",
                "Task 3: starting...",
                "Task 3: done!",
                "Results: [Data from 1, Data from 2, Data from 3]",
                "Total time elapsed: 6.00 seconds"), lines);
    }
}
