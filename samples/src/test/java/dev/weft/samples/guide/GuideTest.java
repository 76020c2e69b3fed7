package dev.weft.samples.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.runtime.Aio;
import dev.weft.runtime.Clock;
import dev.weft.runtime.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GuideTest {
    static List<String> printed(Runnable r) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void waitForAndTheTimeoutScopeGiveUpAtTheirDeadlines() {
        VirtualClock clock = Clock.virtual();
        List<String> lines = printed(() -> Aio.run(Cancellation.timeouts(), clock));
        assertEquals(List.of("waitFor gave up after 1 s", "the scope's deadline is loop time 3.0",
                "the timeout scope gave up at 2 s"), lines);
        assertEquals(3_000_000_000L, clock.nanoTime());
    }

    @Test
    void theInternalsExampleSleepsThenAnswers() {
        VirtualClock clock = Clock.virtual();
        assertEquals("Data from 7", Aio.run(Shapes.fetch(7, 0.5), clock));
        assertEquals(500_000_000L, clock.nanoTime());
    }

    @Test
    void aCoroutineReturnedInsideTryIsAwaitedThereSoItsFailureReachesTheCatchBeforeTheFinally() {
        List<String> lines = printed(() -> assertEquals("default", Aio.run(Returns.loadOrDefault("config"),
                Clock.virtual())));
        assertEquals(List.of("loading config", "caught: no config", "finally"), lines);
    }

    @Test
    void aCancelledWorkerRunsItsHandlerAndFinallyAndEndsCancelled() {
        List<String> lines = printed(() -> Aio.run(Cancellation.cancelling(), Clock.virtual()));
        assertEquals(List.of("worker: cancelled, cleaning up", "worker: finally runs too",
                "main: the worker is cancelled: true"), lines);
    }

    /** Answers after a real delay, on another thread, so the awaits really suspend. */
    static final class SlowUsers implements Migration.Users {
        private static CompletableFuture<Integer> later(Integer value, RuntimeException failure) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS).execute(() -> {
                if (failure != null) {
                    f.completeExceptionally(failure);
                } else {
                    f.complete(value);
                }
            });
            return f;
        }

        @Override
        public CompletionStage<Integer> idOf(String name) {
            return name.equals("ada") ? later(7, null) : later(null, new IllegalArgumentException("no user " + name));
        }

        @Override
        public CompletionStage<Integer> ordersOf(int id) {
            return later(id * 3, null);
        }
    }

    @Test
    void theWovenMethodAnswersAsTheCompletableFutureChainDoes() throws Exception {
        SlowUsers users = new SlowUsers();
        for (String name : List.of("ada", "bob")) {
            String chained = Migration.summaryWithChains(users, name).get(5, TimeUnit.SECONDS);
            String woven = Aio.run(Migration.summary(users, name));
            assertEquals(chained, woven);
        }
        assertEquals("ada (#7) has 21 orders", Aio.run(Migration.summary(users, "ada")));
        assertEquals("bob: lookup failed (no user bob)", Aio.run(Migration.summary(users, "bob")));
    }
}
