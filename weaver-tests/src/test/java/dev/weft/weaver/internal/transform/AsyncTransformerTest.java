package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.testing.HandWrittenClasses;
import dev.weft.weaver.testing.TestCompiler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AsyncTransformerTest {
    private static final String HEADER = """
            package demo;
            import dev.weft.Async;
            import dev.weft.runtime.*;
            import static dev.weft.runtime.Aio.*;
            import java.util.*;
            """;

    private static Object run(String body) throws Exception {
        Woven woven = Woven.compile("demo/Shapes.java", HEADER + "public class Shapes {\n" + body + "\n}\n");
        return woven.call("demo.Shapes", "go");
    }

    @Test
    void sleepingMethodReturnsItsResultAfterResume() throws Exception {
        assertEquals("Data from 7", run("""
                @Async static Coroutine<String> fetch(int id, double seconds) {
                    await(sleep(seconds));
                    return result("Data from " + id);
                }
                public static Object go() { return Aio.run(fetch(7, 0.5)); }
                """));
    }

    @Test
    void stackValuesBelowTheAwaitAreKeptAcrossASuspension() throws Exception {
        assertEquals("x:3:4000000000:2.5:41", run("""
                @Async static Coroutine<Integer> later(int v) { await(sleep(0.1)); return result(v); }
                static String join(String a, int b, long c, double d, int e) { return a + ":" + b + ":" + c + ":" + d + ":" + e; }
                @Async static Coroutine<String> main() {
                    return result(join("x", 3, 4_000_000_000L, 2.5, 1 + await(later(40))));
                }
                public static Object go() { return Aio.run(main()); }
                """));
    }

    @Test
    void liveLocalsOfEveryPrimitiveTypeSurviveASuspension() throws Exception {
        assertEquals("true 1 c 3 4 5.0 6.0 7 s", run("""
                @Async static Coroutine<String> main() {
                    boolean z = true; byte b = 1; char c = 'c'; short s = 3; long j = 4; float f = 5; double d = 6; int i = 7; String t = "s";
                    await(sleep(1));
                    return result(z + " " + b + " " + c + " " + s + " " + j + " " + f + " " + d + " " + i + " " + t);
                }
                public static Object go() { return Aio.run(main()); }
                """));
    }

    @Test
    void failureAtResumeIsCaughtByTheUsersHandler() throws Exception {
        assertEquals("caught boom, finally", run("""
                @Async static Coroutine<Integer> fail() { await(sleep(0.1)); throw new IllegalStateException("boom"); }
                @Async static Coroutine<String> main() {
                    StringBuilder log = new StringBuilder();
                    try {
                        await(fail());
                        log.append("not reached");
                    } catch (IllegalStateException e) {
                        log.append("caught ").append(e.getMessage());
                    } finally {
                        log.append(", finally");
                    }
                    return result(log.toString());
                }
                public static Object go() { return Aio.run(main()); }
                """));
    }

    @Test
    void uninitializedNewWithAConditionalAwaitInItsArgumentIsLifted() throws Exception {
        assertEquals("x|y", run("""
                @Async static Coroutine<String> later(String v) { await(sleep(0.1)); return result(v); }
                @Async static Coroutine<String> pick(boolean b) {
                    return result(new String(b ? await(later("x")) : "y"));
                }
                @Async static Coroutine<String> main() { return result(await(pick(true)) + "|" + await(pick(false))); }
                public static Object go() { return Aio.run(main()); }
                """));
    }

    @Test
    void uninitializedNewAroundAnAwaitIsLifted() throws Exception {
        assertEquals("[a, [b, 3]]", run("""
                @Async static Coroutine<String> later(String v) { await(sleep(0.1)); return result(v); }
                @Async static Coroutine<String> main() {
                    List<Object> inner = new ArrayList<>(List.of(await(later("b")), 3));
                    return result(new ArrayList<>(List.of(await(later("a")), inner)).toString());
                }
                public static Object go() { return Aio.run(main()); }
                """));
    }

    @Test
    void loopsSumAwaitedValuesAndReturningACoroutineAwaitsIt() throws Exception {
        assertEquals(55L, run("""
                @Async static Coroutine<Long> later(long v) { await(sleep(0.01)); return result(v); }
                @Async static Coroutine<Long> sum(int n) {
                    long total = 0;
                    for (int i = 1; i <= n; i++) { total += await(later(i)); }
                    return later(total);
                }
                public static Object go() { return Aio.run(sum(10)); }
                """));
    }

    @Test
    void instanceMethodsKeepTheirReceiver() throws Exception {
        assertEquals("hello world", run("""
                private final String greeting = "hello";
                @Async Coroutine<String> greet(String who) { await(sleep(0.1)); return result(greeting + " " + who); }
                public static Object go() { return Aio.run(new Shapes().greet("world")); }
                """));
    }

    @Test
    void hostGetsTheWovenMarkerAndOneMachinePerOverload() throws Exception {
        Woven woven = Woven.compile("demo/Shapes.java", HEADER + """
                public class Shapes {
                    @Async static Coroutine<Integer> f(int a) { await(sleep(0.1)); return result(a); }
                    @Async static Coroutine<Integer> f(long a) { await(sleep(0.1)); return result((int) a); }
                }
                """);
        assertEquals(2, woven.wovenMethods);
        assertTrue(woven.classes.containsKey("demo/Shapes$weft$f$0"));
        assertTrue(woven.classes.containsKey("demo/Shapes$weft$f$1"));
        String host = new String(woven.classes.get("demo/Shapes"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(host.contains("Ldev/weft/runtime/internal/WovenMarker;"));
    }

    @Test
    void aLoopWhoseIteratorIsWrittenToItsFieldOnceKeepsItAcrossEverySuspension() throws Exception {
        assertEquals("a2 b2 c2 failures=1", run("""
                @Async static Coroutine<String> later(String v) { await(sleep(0.01)); return result(v); }
                @Async static Coroutine<String> crawl(List<String> urls) {
                    int failures = 0;
                    StringBuilder out = new StringBuilder();
                    for (String url : urls) {
                        String body = await(later(url.equals("x") ? "" : url + url.length()));
                        if (body.isEmpty()) {
                            failures++;
                            continue;
                        }
                        await(sleep(0.1));
                        out.append(body.charAt(0)).append(body.length() - 1 + url.length()).append(' ');
                    }
                    return result(out + "failures=" + failures);
                }
                public static Object go() { return Aio.run(crawl(List.of("a", "x", "b", "c"))); }
                """));
    }

    @Test
    void aFailureAtAnAwaitOutsideEveryTryFailsTheCoroutine() {
        IllegalStateException thrown = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> run("""
                @Async static Coroutine<Integer> fail() { await(sleep(0.1)); throw new IllegalStateException("boom"); }
                @Async static Coroutine<Integer> main() {
                    int n = 1;
                    await(sleep(0.1));
                    n += await(fail());
                    return result(n);
                }
                public static Object go() { return Aio.run(main()); }
                """));
        assertEquals("boom", thrown.getMessage());
    }

    @Test
    void resumingAtALabelTheMethodDoesNotHaveThrowsTheRuntimesBadLabelFailure() throws Exception {
        Woven woven = Woven.compile("demo/Shapes.java", HEADER + """
                public class Shapes {
                    @Async static Coroutine<Integer> f(int a) { await(sleep(0.1)); return result(a); }
                }
                """);
        Class<?> machine = woven.loader.loadClass("demo.Shapes$weft$f$0");
        java.lang.reflect.Constructor<?> constructor = machine.getDeclaredConstructor();
        constructor.setAccessible(true);
        Object sm = constructor.newInstance();
        java.lang.reflect.Field label = machine.getDeclaredField("label");
        label.setAccessible(true);
        label.setInt(sm, 7);
        java.lang.reflect.Method resume = machine.getDeclaredMethod("resume", Object.class, Throwable.class);
        resume.setAccessible(true);
        java.lang.reflect.InvocationTargetException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.lang.reflect.InvocationTargetException.class, () -> resume.invoke(sm, null, null));
        assertTrue(e.getCause() instanceof IllegalStateException, e.getCause().toString());
        assertTrue(e.getCause().getMessage().contains("at a label it does not have"), e.getCause().getMessage());
    }

    @Test
    void aCoroutineReturnedInsideTryRunsBeforeTheFinallyAndItsFailureReachesTheCatch() throws Exception {
        assertEquals("fetch, caught boom, finally -> fallback", run("""
                static StringBuilder log = new StringBuilder();
                @Async static Coroutine<String> fetch() throws java.io.IOException {
                    log.append("fetch");
                    await(sleep(0.1));
                    throw new java.io.IOException("boom");
                }
                @Async static Coroutine<String> main() {
                    try {
                        return fetch();
                    } catch (java.io.IOException e) {
                        log.append(", caught ").append(e.getMessage());
                        return result("fallback");
                    } finally {
                        log.append(", finally");
                    }
                }
                public static Object go() { String r = Aio.run(main()); return log + " -> " + r; }
                """));
    }

    @Test
    void codeTheWeaveCannotRewriteIsAnErrorAtItsLineAndNothingIsWoven() {
        AsyncTransformer.Result result = AsyncTransformer.transform(HandWrittenClasses.uninitializedObjectInALocal(),
                ClassHierarchy.of(TestCompiler.testClasspath()));

        assertEquals(Map.of(), result.classes());
        assertEquals(0, result.wovenMethods());
        assertEquals(1, result.diagnostics().size());
        Diagnostic error = result.diagnostics().get(0);
        assertTrue(error.isError());
        assertEquals("Odd.java", error.sourceFile());
        assertEquals(HandWrittenClasses.LINE, error.line());
        assertEquals("demo.Odd", error.className());
        assertEquals("m", error.method());
    }

    @Test
    void aReturnLeftAwaitedAtTheEndOfTheMethodIsAWarningAtItsLineAndTheMethodIsWoven() {
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Locked.java", HEADER + """
                public class Locked {
                    @Async static Coroutine<String> fetch() { return result("x"); }
                    @Async static Coroutine<String> m(Object lock) {
                        synchronized (lock) {
                            return fetch();
                        }
                    }
                }
                """);

        AsyncTransformer.Result result = AsyncTransformer.transform(classes.get("demo/Locked"),
                ClassHierarchy.ofBytes(classes, ClassHierarchy.of(TestCompiler.testClasspath())));

        assertEquals(2, result.wovenMethods());
        List<Diagnostic> warnings = result.diagnostics();
        assertEquals(1, warnings.size());
        assertEquals(Diagnostic.Kind.WARNING, warnings.get(0).kind());
        assertEquals(10, warnings.get(0).line());
        assertEquals(ReturnHoister.SYNCHRONIZED, warnings.get(0).message());
    }
}
