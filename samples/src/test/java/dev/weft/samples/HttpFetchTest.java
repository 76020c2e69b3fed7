package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.weft.runtime.Aio;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpFetchTest {
    @Test
    void requestsRunAtOnceAndBodiesComeBackInArgumentOrder() throws Exception {
        int[] saved = HttpFetch.delaysMillis;
        HttpFetch.delaysMillis = new int[] {100, 300, 200};
        HttpServer server = HttpFetch.startServer();
        try {
            List<String> lines = SampleOutput.linesOf(() -> Aio.run(HttpFetch.main(HttpFetch.baseOf(server))));
            assertEquals(5, lines.size(), lines::toString);
            assertEquals(Set.of("Got /delay/100: 200", "Got /delay/200: 200", "Got /delay/300: 200"),
                    Set.copyOf(lines.subList(0, 3)));
            assertEquals("Bodies: [waited 100 ms, waited 300 ms, waited 200 ms]", lines.get(3));
            assertTrue(lines.get(4).matches("Total \\d+\\.\\d x the slowest request, not the sum"), lines.get(4));
        } finally {
            server.stop(0);
            HttpFetch.delaysMillis = saved;
        }
    }
}
