package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.weft.runtime.Aio;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GeneratorsTest {
    @Test
    void theTickerEmitsThreeTicks() throws Exception {
        assertEquals(List.of("tick 0", "tick 1", "tick 2"), SampleOutput.linesOf(() -> Aio.run(Generators.tickerMain())));
    }

    @Test
    void pagingFetchesAPageOnlyWhenTheConsumerGetsThere() throws Exception {
        HttpServer api = Generators.startApi(3);
        try {
            assertEquals(List.of("(fetched page 1)", "item 1", "item 2", "item 3", "(fetched page 2)", "item 4", "item 5"),
                    SampleOutput.linesOf(() -> Aio.run(Generators.pagingMain(HttpFetch.baseOf(api)))));
        } finally {
            api.stop(0);
        }
    }

    @Test
    void aSubmissionPublisherIsReadAndTheTickerPublished() throws Exception {
        assertEquals(List.of("from the publisher: alpha", "from the publisher: beta", "from the publisher: gamma",
                "to the subscriber: tick 0", "to the subscriber: tick 1", "subscriber: complete"),
                SampleOutput.linesOf(() -> Aio.run(Generators.publisherMain())));
    }
}
