package dev.weft.samples.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.AsyncIterators;
import dev.weft.runtime.Coroutine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.example.unicast.AsyncIterablePublisher;
import org.junit.jupiter.api.Test;
import org.testng.ITestResult;
import org.testng.TestListenerAdapter;
import org.testng.TestNG;

/**
 * Runs the Reactive Streams TCK (TestNG) on {@link ToPublisherTck} and fails with the names and
 * causes of the rules that fail. The TCK skips its optional rules a publisher does not take part in
 * (several subscribers at once) and the two about a publisher failed from the start; every required
 * rule must run and pass.
 */
class FlowTckTest {
    @Test
    void toPublisherPassesEveryRuleOfTheReactiveStreamsTck() {
        TestNG testng = new TestNG(false);
        testng.setTestClasses(new Class<?>[] {ToPublisherTck.class});
        testng.setVerbose(0);
        TestListenerAdapter listener = new TestListenerAdapter();
        testng.addListener(listener);
        testng.run();
        List<String> failed = new ArrayList<>();
        for (ITestResult r : listener.getFailedTests()) {
            failed.add(r.getName() + ": " + r.getThrowable());
        }
        List<String> skippedRequired = new ArrayList<>();
        for (ITestResult r : listener.getSkippedTests()) {
            if (r.getName().startsWith("required_") && !r.getName().contains("spec109_mayReject")) {
                skippedRequired.add(r.getName() + ": " + r.getThrowable());
            }
        }
        assertEquals(List.of(), failed, "rules that failed");
        assertEquals(List.of(), skippedRequired, "required rules that did not run");
        int passed = listener.getPassedTests().size();
        System.out.println("Reactive Streams TCK: " + passed + " rules passed, " + listener.getSkippedTests().size()
                + " optional or not applicable");
        assertTrue(passed >= 20, "the TCK ran its rules: " + passed + " passed");
    }

    @Test
    void fromPublisherReadsTheSpecificationsOwnTckVerifiedPublisher() {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<Integer> values = IntStream.range(0, 5_000).boxed().toList();
            AsyncIterablePublisher<Integer> publisher = new AsyncIterablePublisher<>(values, executor);
            assertEquals(values, Aio.run(readAll(AsyncIterators.fromPublisher(FlowAdapters.toFlowPublisher(publisher)))));
        } finally {
            executor.shutdownNow();
        }
    }

    @Async
    static Coroutine<List<Integer>> readAll(AsyncIterator<Integer> it) {
        List<Integer> all = new ArrayList<>();
        while (Aio.await(it.hasNext())) {
            all.add(it.next());
        }
        return Aio.result(all);
    }
}
