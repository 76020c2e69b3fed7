package dev.weft.weaver.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.WeaveResult;
import dev.weft.weaver.Weaver;
import dev.weft.weaver.testing.TestCompiler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Emits in the shapes only javac 25 writes (Java 21 pattern matching): in the arms of a switch on a
 * sealed type with record deconstruction patterns (whose accessor calls javac wraps in a handler
 * that throws {@code MatchException}), with guards, {@code case null}, nested record patterns, and
 * an emit inside a switch expression over patterns whose value is live on the stack. Compiled by
 * javac 25, woven with {@code Woven.emit}, run in a JDK 25 process (so the JVM verifies the
 * frames) on both the slow and the fast path, and the printed values compared with the source's.
 */
class EmitPatternsJdk25Test {
    private static final String NAME = "EmitPatterns25Target";

    private static final String SOURCE = """
            package validation.targets;

            import static dev.weft.runtime.Aio.*;
            import static validation.targets.Sources.*;

            import dev.weft.Async;
            import dev.weft.runtime.AsyncGenerator;
            import dev.weft.runtime.AsyncIterator;
            import dev.weft.runtime.Coroutine;
            import java.util.Arrays;
            import java.util.List;

            public class EmitPatterns25Target {
                sealed interface Shape permits Circle, Rect, Group {}
                record Circle(double r) implements Shape {}
                record Rect(long w, long h) implements Shape {}
                record Group(String name, Shape first, Shape second) implements Shape {}

                @Async
                static AsyncGenerator<String> describe(List<Shape> shapes) {
                    for (Shape s : shapes) {
                        switch (s) {
                            case null -> emit("null shape");
                            case Circle(double r) when r > 10 -> {
                                emit("big circle " + await(later(r)));
                                emit("still big " + r);
                            }
                            case Circle(double r) -> emit("circle " + r);
                            case Rect(long w, long h) when w == h -> emit("square " + await(later(w * h)));
                            case Rect(long w, long h) -> {
                                emit("rect " + w);
                                emit("by " + await(later(h)));
                            }
                            case Group(String n, Circle(double r), Rect(long w, long h)) -> {
                                emit("group " + n + " of a circle " + r);
                                emit("and a rect " + (w + h + await(later(0L))));
                            }
                            case Group(String n, Shape a, Shape b) -> emit("group " + n + " of " + a + " and " + b);
                        }
                        long area = 1000L + switch (s) {
                            case null -> 0L;
                            case Circle c -> {
                                emit("measuring " + c.r());
                                yield (long) c.r();
                            }
                            case Rect(long w, long h) -> {
                                emit("measuring " + w + "x" + h);
                                yield w * h + await(later(0L));
                            }
                            case Group g -> 7L;
                        };
                        emit("area " + area);
                    }
                    return finish();
                }

                @Async
                static Coroutine<Void> print(AsyncIterator<?> it) {
                    while (await(it.hasNext())) {
                        System.out.println(it.next());
                    }
                    return done();
                }

                @Async
                public static Coroutine<?> main() {
                    await(print(describe(Arrays.asList(new Circle(12), new Circle(2), new Rect(3, 3), new Rect(2, 5),
                            new Group("g", new Circle(1), new Rect(4, 5)), new Group("h", new Rect(1, 1), new Circle(0)), null))));
                    return done();
                }
            }
            """;

    private static final String EXPECTED = """
            big circle 12.0
            still big 12.0
            measuring 12.0
            area 1012
            circle 2.0
            measuring 2.0
            area 1002
            square 9
            measuring 3x3
            area 1009
            rect 2
            by 5
            measuring 2x5
            area 1010
            group g of a circle 1.0
            and a rect 9
            area 1007
            group h of Rect[w=1, h=1] and Circle[r=0.0]
            area 1007
            null shape
            area 1000
            """;

    @Test
    void emitsInPatternSwitchesOfJavac25WeaveVerifyAndRunOnBothPaths() {
        TestCompiler javac25 = TestCompiler.javac25();
        assertTrue(javac25.isAvailable(), javac25::unavailableReason);
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put(Corpus.SOURCES, TestCompiler.readResource(Corpus.SOURCES));
        sources.put(Corpus.PACKAGE + NAME + ".java", SOURCE);
        Map<String, byte[]> compiled = javac25.compile(sources);
        Weaver weaver = new Weaver(ClassHierarchy.ofBytes(compiled, WovenCorpus.testClasspath()));
        Map<String, byte[]> woven = new TreeMap<>();
        int emits = 0;
        for (Map.Entry<String, byte[]> e : compiled.entrySet()) {
            WeaveResult result = weaver.weave(e.getValue());
            assertFalse(result.hasErrors(), () -> result.diagnostics().stream().map(Diagnostic::format)
                    .collect(Collectors.joining("\n")));
            if (result.changed()) {
                woven.putAll(result.classes());
            } else {
                woven.put(e.getKey(), e.getValue());
            }
        }
        for (byte[] bytes : woven.values()) {
            emits += new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("emitting") ? 1000 : 0;
        }
        assertEquals(0, emits, "an emit was left in the earlier Woven.emitting form");
        for (boolean fast : new boolean[] {false, true}) {
            assertEquals(EXPECTED, TargetRunner.run(NAME + (fast ? ", fast path" : ""), javac25, NAME, woven, fast));
        }
    }
}
