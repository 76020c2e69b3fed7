package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.internal.transform.WovenSizes.Size;
import dev.weft.weaver.testing.TestCompiler;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Measures the woven code against the original (see {@link WovenSizes}): the performance target (docs/performance.md) is
 * under 2.5 times the original method. Realistic methods must meet it; a method that is little
 * more than its awaits pays a fixed overhead (dispatch, entry, the machine's resume) that no
 * weave avoids, so it is held at what the weave reaches, to catch a regression. The numbers are
 * printed and kept in docs/internals.md.
 */
class WovenSizeTest {
    private static final String HEADER = """
            package demo;
            import dev.weft.Async;
            import dev.weft.runtime.*;
            import static dev.weft.runtime.Aio.*;
            import java.util.*;
            """;

    private static Map<String, Size> sizes(String body) {
        Map<String, byte[]> compiled = TestCompiler.javac17().compile("demo/Sized.java",
                HEADER + "public class Sized {\n" + body + "\n}\n");
        Map<String, Size> sizes = new java.util.LinkedHashMap<>();
        for (Size size : WovenSizes.measure(compiled)) {
            System.out.println("woven size of " + size);
            sizes.put(size.method().substring(size.method().indexOf('.') + 1), size);
        }
        return sizes;
    }

    @Test
    void retryingFetchWithALoopATryCatchAndTwoAwaitsStaysUnderTwoAndAHalfTimesItsSize() {
        Size fetch = sizes("""
                static String describe(String name, int n) { return name + n; }
                @Async static Coroutine<String> fetch(String url, int retries) {
                    StringBuilder log = new StringBuilder();
                    for (int i = 0; i < retries; i++) {
                        log.append("try ").append(i).append(' ').append(url).append('\\n');
                        try {
                            String body = await(later(url));
                            if (body.isEmpty()) { continue; }
                            log.append(describe(body, body.length()));
                            return result(log.toString());
                        } catch (IllegalStateException e) {
                            log.append("failed: ").append(e.getMessage());
                        }
                    }
                    await(sleep(0.1));
                    return result(log.toString());
                }
                @Async static Coroutine<String> later(String v) { await(sleep(0.01)); return result(v); }
                """).get("fetch");
        assertEquals(127, fetch.original(), "javac 17's own code for the method");
        assertTrue(fetch.ratio() < 2.5, fetch.toString());
    }

    @Test
    void gatherSampleStaysUnderTwoAndAHalfTimesItsSize() {
        Map<String, Size> sizes = sizes("""
                @Async static Coroutine<String> fetchData(int id, double seconds) {
                    System.out.println("Task " + id + ": starting...");
                    await(sleep(seconds));
                    System.out.println("Task " + id + ": done!");
                    return result("Data from " + id);
                }
                @Async static Coroutine<Void> main() {
                    double start = getRunningLoop().time();
                    List<String> results = await(gather(fetchData(1, 2), fetchData(2, 3), fetchData(3, 1)));
                    System.out.println("Results: " + results);
                    System.out.printf("Total time elapsed: %.2f seconds%n", getRunningLoop().time() - start);
                    return done();
                }
                """);
        int original = sizes.values().stream().mapToInt(Size::original).sum();
        int woven = sizes.values().stream().mapToInt(Size::woven).sum();
        assertTrue(woven < 2.5 * original, "gather sample: " + original + " -> " + woven + " bytes");
        assertTrue(sizes.get("main").ratio() < 2.5, sizes.get("main").toString());
    }

    @Test
    void loopWithTwoAwaitsStaysUnderTwoAndAHalfTimesItsSize() {
        // urls is live at no await and no await is in a try range, so the user's locals sit one
        // slot up, not three: the counter and the iterator keep javac's one-byte loads and stores
        // (2.54x when they sat three slots up); see docs/internals.md.
        Size loop = sizes("""
                @Async static Coroutine<String> later(String v) { await(sleep(0.01)); return result(v); }
                @Async static Coroutine<Integer> crawl(List<String> urls) {
                    int failures = 0;
                    for (String url : urls) {
                        String body = await(later(url));
                        if (body.isEmpty()) {
                            failures++;
                            continue;
                        }
                        System.out.println(url + ": " + body.length() + " bytes");
                        await(sleep(0.1));
                    }
                    return result(failures);
                }
                """).get("crawl");
        assertEquals(92, loop.original(), "javac 17's own code for the method");
        assertTrue(loop.ratio() < 2.5, loop.toString());
        assertTrue(loop.woven() <= 225, loop.toString());
    }

    @Test
    void nestedLoopKeepingSevenValuesAcrossItsAwaitsStaysUnderTwoAndAHalfTimesItsSize() {
        // Seven values live across the first await, five across the second: the five are restored
        // once before the dispatch, and saved once in the suspensions' shared tail.
        Size poll = sizes("""
                @Async static Coroutine<Integer> later(int v) { await(sleep(0.01)); return result(v); }
                @Async static Coroutine<String> poll(List<String> names, int rounds) {
                    int total = 0;
                    StringBuilder seen = new StringBuilder();
                    for (int round = 0; round < rounds; round++) {
                        for (String name : names) {
                            int value = await(later(name.length() + round));
                            total += value;
                            if (value > 10) {
                                seen.append(name).append('!');
                            }
                        }
                        await(sleep(0.5));
                    }
                    return result(seen + ":" + total);
                }
                """).get("poll");
        assertEquals(128, poll.original(), "javac 17's own code for the method");
        assertTrue(poll.ratio() < 2.5, poll.toString());
    }

    @Test
    void methodOfNothingButThreeAwaitsPaysTheFixedOverhead() {
        Size sum = sizes("""
                @Async static Coroutine<Integer> sum(Future<Integer> a, Future<Integer> b, Future<Integer> c) {
                    int s = 0;
                    s += await(a);
                    s += await(b);
                    s += await(c);
                    return result(s);
                }
                """).get("sum");
        assertEquals(49, sum.original(), "javac 17's own code for the method");
        assertTrue(sum.woven() <= 217, sum.toString());
    }

    @Test
    void validationCorpusStaysUnderItsMeasuredRatios() {
        List<Size> all = WovenSizes.corpus().stream().sorted(Comparator.comparingDouble(Size::ratio)).toList();
        all.forEach(size -> System.out.println("corpus " + size));
        // The async-with target is held to a bound of its own: each of its small methods closes one or two
        // resources, and every close is two awaits (the normal and the exceptional exit), each inside a try
        // range, so it would move the corpus figures without any method of the rest changing. The emit-shapes
        // target is held to a bound of its own too: nearly every line of it is an emit, a suspension point.
        List<Size> sizes = all.stream().filter(size -> !size.method().startsWith("AsyncWithTarget.")
                && !size.method().startsWith("EmitShapesTarget.")).toList();
        List<Size> emits = all.stream().filter(size -> size.method().startsWith("EmitShapesTarget.")).toList();
        List<Size> asyncWith = all.stream().filter(size -> size.method().startsWith("AsyncWithTarget.")).toList();
        double median = sizes.get(sizes.size() / 2).ratio();
        int original = sizes.stream().mapToInt(Size::original).sum();
        int woven = sizes.stream().mapToInt(Size::woven).sum();
        System.out.printf("corpus: %d methods, min %.2fx, median %.2fx, max %.2fx, all together %d -> %d bytes, %.2fx%n",
                sizes.size(), sizes.get(0).ratio(), median, sizes.get(sizes.size() - 1).ratio(), original, woven,
                woven / (double) original);
        assertTrue(median < 3.05, "median " + median);
        assertTrue(woven < 2.7 * original, "all together " + original + " -> " + woven);
        int closesOriginal = asyncWith.stream().mapToInt(Size::original).sum();
        int closesWoven = asyncWith.stream().mapToInt(Size::woven).sum();
        System.out.printf("async-with target: %d methods, %d -> %d bytes, %.2fx%n", asyncWith.size(), closesOriginal,
                closesWoven, closesWoven / (double) closesOriginal);
        assertTrue(!asyncWith.isEmpty() && closesWoven < 3.6 * closesOriginal, // measured 3.57x
                "async-with target " + closesOriginal + " -> " + closesWoven);
        int emitsOriginal = emits.stream().mapToInt(Size::original).sum();
        int emitsWoven = emits.stream().mapToInt(Size::woven).sum();
        System.out.printf("emit-shapes target: %d methods, %d -> %d bytes, %.2fx%n", emits.size(), emitsOriginal,
                emitsWoven, emitsWoven / (double) emitsOriginal);
        assertTrue(!emits.isEmpty() && emitsWoven < 3.1 * emitsOriginal, // measured 3.06x
                "emit-shapes target " + emitsOriginal + " -> " + emitsWoven);
    }
}
