package demo;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import java.util.List;
import org.junit.jupiter.api.Test;

class FetchTest {

    @Test
    void gatherKeepsArgumentOrder() {
        assertEquals(List.of("Data from 1", "Data from 2", "Data from 3"), Aio.run(Fetch.fetchAll()));
    }

    /** Woven by weave-test: a test helper that awaits woven main code. */
    @Async
    static Coroutine<Integer> lengthOfFirst() {
        List<String> all = await(Fetch.fetchAll());
        return result(all.get(0).length());
    }

    @Test
    void testClassesAreWovenToo() {
        assertEquals("Data from 1".length(), Aio.run(lengthOfFirst()));
    }
}
