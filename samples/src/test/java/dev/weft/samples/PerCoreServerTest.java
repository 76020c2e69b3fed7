package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PerCoreServerTest {
    @Test
    void everyCoreServesOnOnePortAndTheServersStopByThemselves() throws Exception {
        int loops = Runtime.getRuntime().availableProcessors();
        List<List<Integer>> perLoop = new ArrayList<>();
        List<String> lines = SampleOutput.linesOf(() -> perLoop.add(PerCoreServer.serve(loops, 200)));
        assertEquals(3, lines.size(), lines::toString);
        assertTrue(lines.get(0).matches("Serving 200 requests on 127\\.0\\.0\\.1:\\d+ with " + loops
                + " loops, one thread each"), lines.get(0));
        assertEquals("Got 200 answers \"Hello, World!\"", lines.get(1));
        assertEquals("Served " + perLoop.get(0) + " on weft-loop-0.." + (loops - 1) + ": 200 in all", lines.get(2));
        assertEquals(loops, perLoop.get(0).size());
        assertEquals(200, perLoop.get(0).stream().mapToInt(Integer::intValue).sum());
    }
}
