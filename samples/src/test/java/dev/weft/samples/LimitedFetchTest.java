package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.weft.runtime.Aio;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitedFetchTest {
    @Test
    void everyPageIsFetchedAndNoMoreThanThePermitsAreInFlightAtOnce() throws Exception {
        int saved = LimitedFetch.delayMillis;
        LimitedFetch.delayMillis = 50;
        LimitedFetch.mostAtOnce = 0;
        HttpServer server = HttpFetch.startServer();
        try {
            List<String> lines = SampleOutput.linesOf(() -> Aio.run(LimitedFetch.main(HttpFetch.baseOf(server))));
            // Twelve requests that each hold a permit across a real network wait: with three permits the
            // semaphore, not the server, is what keeps the count at three.
            assertEquals(List.of("Fetched 12 pages, status [200], at most 3 at once"), lines);
            assertEquals(0, LimitedFetch.inFlight);
        } finally {
            server.stop(0);
            LimitedFetch.delayMillis = saved;
        }
    }
}
