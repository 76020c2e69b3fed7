package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.weaver.testing.TestCompiler;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The resume body puts the user's locals as low as the value and the failure allow
 * ({@link SlotShifter#shiftFor}): one slot up when the user's slot 0 is live at no await and no
 * await is in a try range, two when slot 0 is live at an await, three when an await is in a try
 * range. Each shape is compiled by javac and by ECJ, woven, verified, and run on awaits that
 * suspend and resume with a value and with a failure, and the LocalVariableTable says where the
 * user's locals went.
 */
class UserLocalsShiftTest {
    private static final String SOURCE = """
            package demo;

            import dev.weft.Async;
            import dev.weft.runtime.*;
            import static dev.weft.runtime.Aio.*;
            import java.util.*;

            public class Shift {
                final String name;
                Shift(String name) { this.name = name; }

                @Async static Coroutine<String> later(String v) {
                    await(sleep(0.01));
                    if (v.equals("bad")) {
                        throw new IllegalArgumentException("bad input");
                    }
                    return result(v);
                }

                // urls (slot 0) is read once, before the loop: live at no await.
                @Async static Coroutine<String> crawl(List<String> urls) {
                    int count = 0;
                    StringBuilder out = new StringBuilder();
                    for (String url : urls) {
                        String body = await(later(url));
                        count++;
                        out.append(body).append(count);
                    }
                    return result(out.toString());
                }

                // this (slot 0) is read after the await.
                @Async Coroutine<String> greet(String who) {
                    String greeting = await(later(who));
                    return result(name + " greets " + greeting);
                }

                // the await is in a try range: the handler must see the failure.
                @Async static Coroutine<String> guarded(String input) {
                    String seen = "start";
                    try {
                        seen = await(later(input));
                    } catch (IllegalArgumentException e) {
                        seen = seen + " caught " + e.getMessage();
                    }
                    return result(seen);
                }

                public static Object crawlGood() { return Aio.run(crawl(List.of("a", "b", "c")), Clock.virtual()); }
                public static Object crawlBad() {
                    try {
                        return Aio.run(crawl(List.of("a", "bad")), Clock.virtual());
                    } catch (IllegalArgumentException e) {
                        return "failed: " + e.getMessage();
                    }
                }
                public static Object greetGood() { return Aio.run(new Shift("ann").greet("bob"), Clock.virtual()); }
                public static Object greetBad() {
                    try {
                        return Aio.run(new Shift("ann").greet("bad"), Clock.virtual());
                    } catch (IllegalArgumentException e) {
                        return "failed: " + e.getMessage();
                    }
                }
                public static Object guardedGood() { return Aio.run(guarded("ok"), Clock.virtual()); }
                public static Object guardedBad() { return Aio.run(guarded("bad"), Clock.virtual()); }
            }
            """;

    static Stream<TestCompiler> compilers() {
        return Stream.of(TestCompiler.javac17(), TestCompiler.ecj());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void aMethodWhoseFirstSlotIsDeadAtEveryAwaitShiftsItsLocalsByOne(TestCompiler compiler) throws Exception {
        Woven woven = Woven.compile(compiler, "demo/Shift.java", SOURCE);
        assertEquals("a1b2c3", woven.call("demo.Shift", "crawlGood"));
        assertEquals("failed: bad input", woven.call("demo.Shift", "crawlBad"));
        MethodNode body = resumeBody(woven, "crawl");
        assertEquals(1, slotOf(body, "urls"));
        assertEquals(2, slotOf(body, "count"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void anInstanceMethodUsingThisAfterAnAwaitShiftsItsLocalsByTwo(TestCompiler compiler) throws Exception {
        Woven woven = Woven.compile(compiler, "demo/Shift.java", SOURCE);
        assertEquals("ann greets bob", woven.call("demo.Shift", "greetGood"));
        assertEquals("failed: bad input", woven.call("demo.Shift", "greetBad"));
        MethodNode body = resumeBody(woven, "greet");
        assertEquals(2, slotOf(body, "$this"));
        assertEquals(3, slotOf(body, "who"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void aMethodAwaitingInsideATryShiftsItsLocalsByThree(TestCompiler compiler) throws Exception {
        Woven woven = Woven.compile(compiler, "demo/Shift.java", SOURCE);
        assertEquals("ok", woven.call("demo.Shift", "guardedGood"));
        assertEquals("start caught bad input", woven.call("demo.Shift", "guardedBad"));
        MethodNode body = resumeBody(woven, "guarded");
        assertEquals(3, slotOf(body, "input"));
        assertEquals(4, slotOf(body, "seen"));
    }

    private static MethodNode resumeBody(Woven woven, String name) {
        ClassNode host = new ClassNode();
        new ClassReader(woven.classes.get("demo/Shift")).accept(host, 0);
        return host.methods.stream()
                .filter(m -> m.name.equals(name) && (m.access & Opcodes.ACC_SYNTHETIC) != 0)
                .findFirst().orElseThrow(() -> new AssertionError("no synthetic resume body named " + name));
    }

    private static int slotOf(MethodNode body, String local) {
        return body.localVariables.stream().filter(v -> v.name.equals(local)).findFirst()
                .orElseThrow(() -> new AssertionError("no local " + local + " in " + body.name)).index;
    }
}
