package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void gatherOfThreeSleepersTakesTheLongestSleepOnTheVirtualClock() {
        VirtualClock clock = Clock.virtual();
        List<String> log = new ArrayList<>();
        Coroutine<List<String>> main = Script.<List<String>>named("main")
                .then(v -> Aio.gather(fetch(1, 2, log), fetch(2, 3, log), fetch(3, 1, log)));
        List<String> results = Aio.run(main, clock);
        assertEquals(List.of("Data 1", "Data 2", "Data 3"), results);
        assertEquals(List.of("3 done at 1.0", "1 done at 2.0", "2 done at 3.0"), log);
        assertEquals(3_000_000_000L, clock.nanoTime());
    }

    @Test
    void createTaskAndCreateFutureWorkTogether() {
        Coroutine<String> main = Script.<String>named("main").then(v -> {
            Future<String> f = Aio.getRunningLoop().createFuture();
            Aio.getRunningLoop().callLater(1, () -> f.setResult("set"));
            Task<String> t = Aio.createTask(Script.awaiting(f));
            return t;
        });
        assertEquals("set", Aio.run(main, Clock.virtual()));
    }

    private static Coroutine<String> fetch(int id, double seconds, List<String> log) {
        return Script.<String>named("fetch " + id).then(v -> Aio.sleep(seconds)).then(v -> {
            log.add(id + " done at " + Aio.getRunningLoop().time());
            return "Data " + id;
        });
    }
}
