package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.weaver.testing.TestCompiler;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shapes found by trying to break the weave: an {@code areturn} that several arms share (a
 * conditional or a switch expression choosing between {@code result(..)}, {@code done()} and
 * another coroutine), and entry methods whose arguments the body never reads. Each class is
 * compiled by javac and by ECJ, woven, verified, loaded and run, with awaits that suspend.
 */
class SharedReturnsAndUnusedArgumentsTest {
    private static final String HEADER = """
            package demo;

            import dev.weft.Async;
            import dev.weft.runtime.*;
            import static dev.weft.runtime.Aio.*;

            """;

    static Stream<TestCompiler> compilers() {
        return Stream.of(TestCompiler.javac17(), TestCompiler.ecj());
    }

    private static Object run(TestCompiler compiler, String body) throws Exception {
        Woven woven = Woven.compile(compiler, "demo/Shapes.java", HEADER + "public class Shapes {\n" + body + "\n}\n");
        return woven.call("demo.Shapes", "go");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void aConditionalBetweenTwoResultsReturnsTheChosenValue(TestCompiler compiler) throws Exception {
        assertEquals("1 2", run(compiler, """
                @Async static Coroutine<Integer> pick(boolean b) {
                    await(sleep(0.01));
                    return b ? result(1) : result(2);
                }
                @Async static Coroutine<String> main() {
                    return result(await(pick(true)) + " " + await(pick(false)));
                }
                public static Object go() { return Aio.run(main(), Clock.virtual()); }
                """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void aSwitchExpressionOfResultsReturnsTheChosenValue(TestCompiler compiler) throws Exception {
        assertEquals("10 20 0", run(compiler, """
                @Async static Coroutine<Integer> sw(int y) {
                    await(sleep(0.01));
                    return switch (y) { case 1 -> result(10); case 2 -> result(20); default -> result(0); };
                }
                @Async static Coroutine<String> main() {
                    return result(await(sw(1)) + " " + await(sw(2)) + " " + await(sw(3)));
                }
                public static Object go() { return Aio.run(main(), Clock.virtual()); }
                """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void aConditionalBetweenACoroutineAndDoneAwaitsTheCoroutine(TestCompiler compiler) throws Exception {
        assertEquals("[side ran, null, null]", run(compiler, """
                static final java.util.List<Object> LOG = new java.util.ArrayList<>();
                @Async static Coroutine<Void> side() {
                    await(sleep(0.01));
                    LOG.add("side ran");
                    return done();
                }
                @Async static Coroutine<Void> v(boolean b) {
                    return b ? side() : done();
                }
                @Async static Coroutine<String> main() {
                    LOG.add(await(v(true)));
                    LOG.add(await(v(false)));
                    return result(LOG.toString());
                }
                public static Object go() { return Aio.run(main(), Clock.virtual()); }
                """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void aConditionalBetweenAnotherCoroutineAndAResultAwaitsTheChosenOne(TestCompiler compiler) throws Exception {
        assertEquals("7 1", run(compiler, """
                @Async static Coroutine<Integer> seven() {
                    await(sleep(0.01));
                    return result(7);
                }
                @Async static Coroutine<Integer> p(boolean b) {
                    return b ? seven() : result(1);
                }
                @Async static Coroutine<String> main() {
                    return result(await(p(true)) + " " + await(p(false)));
                }
                public static Object go() { return Aio.run(main(), Clock.virtual()); }
                """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void argumentsTheBodyNeverReadsStillFitTheEntryMethodsLocals(TestCompiler compiler) throws Exception {
        assertEquals("0 5 -1", run(compiler, """
                @Async static Coroutine<Integer> unused(int ignored) {
                    return result(0);
                }
                @Async static Coroutine<Integer> lastUnused(int a, long ignored) {
                    await(sleep(0.01));
                    return result(a);
                }
                interface Op {
                    @Async default Coroutine<Integer> apply(int a, int b) {
                        return result(-1);
                    }
                }
                @Async static Coroutine<String> main() {
                    Op op = new Op() { };
                    return result(await(unused(3)) + " " + await(lastUnused(5, 6L)) + " " + await(op.apply(1, 2)));
                }
                public static Object go() { return Aio.run(main(), Clock.virtual()); }
                """));
    }
}
