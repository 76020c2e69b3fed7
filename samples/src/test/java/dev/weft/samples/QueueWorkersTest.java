package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.runtime.Aio;
import dev.weft.runtime.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QueueWorkersTest {
    @Test
    void threeWorkersSleepThroughTwentyJobsInAboutAThirdOfTheirSum() throws Exception {
        List<String> lines = SampleOutput.linesOf(() -> Aio.run(QueueWorkers.main(new Random(2024)), Clock.virtual()));
        // On the virtual clock each worker's sleeps add up exactly, so the output is the same every run.
        assertEquals(List.of(
                "worker-1 has slept for 0.23 seconds",
                "worker-1 has slept for 0.14 seconds",
                "worker-0 has slept for 0.64 seconds",
                "worker-2 has slept for 0.93 seconds",
                "worker-1 has slept for 0.60 seconds",
                "worker-2 has slept for 0.05 seconds",
                "worker-0 has slept for 0.52 seconds",
                "worker-2 has slept for 0.34 seconds",
                "worker-1 has slept for 0.52 seconds",
                "worker-0 has slept for 0.72 seconds",
                "worker-2 has slept for 0.79 seconds",
                "worker-1 has slept for 0.73 seconds",
                "worker-0 has slept for 0.38 seconds",
                "worker-0 has slept for 0.39 seconds",
                "worker-1 has slept for 0.52 seconds",
                "worker-1 has slept for 0.35 seconds",
                "worker-2 has slept for 0.98 seconds",
                "worker-0 has slept for 0.70 seconds",
                "worker-2 has slept for 0.31 seconds",
                "worker-1 has slept for 0.50 seconds",
                "====",
                "3 workers slept in parallel for 3.59 seconds",
                "total expected sleep time: 10.36 seconds"), lines);
    }

    @Test
    void everyJobIsDoneOnceAndTheWorkersShareThem() throws Exception {
        List<String> lines = SampleOutput.linesOf(() -> Aio.run(QueueWorkers.main(new Random(7)), Clock.virtual()));
        assertEquals(23, lines.size(), String.join("\n", lines));
        Random same = new Random(7);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(String.format(Locale.ROOT, "%.2f", 0.05 + same.nextDouble() * 0.95));
        }
        List<String> slept = new ArrayList<>();
        for (String line : lines.subList(0, 20)) {
            assertTrue(line.matches("worker-[012] has slept for \\d\\.\\d\\d seconds"), line);
            slept.add(line.replaceAll(".* for (\\S+) seconds", "$1"));
        }
        expected.sort(null);
        slept.sort(null);
        assertEquals(expected, slept);
        for (int w = 0; w < 3; w++) {
            String name = "worker-" + w;
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(name)), name + " took no job");
        }
        assertEquals("====", lines.get(20));
    }
}
