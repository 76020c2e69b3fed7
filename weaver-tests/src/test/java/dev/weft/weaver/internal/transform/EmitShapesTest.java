package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.testing.TestCompiler;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Adversarial shapes of an async generator's {@code emit(v)}, now woven as {@code Woven.emit(sm, v)}:
 * boxed primitives of every type and null, an await inside the emitted expression (plain, in a
 * ternary, in a switch expression that itself emits), emits inside switch expressions with values
 * of every width live on the operand stack below (and an uninitialized {@code new}), emits in
 * nested try/catch/finally blocks whose handlers await, in loops left by {@code continue} through a
 * finally and by labeled {@code break}/{@code continue}, hundreds of emits in one method, and
 * generators that are default and static methods of an interface, or instance methods of a record,
 * an enum and a generic class. Every
 * shape is compiled by javac 17 and ECJ (javac 25's run in {@code EmitShapesTarget} of the validation
 * corpus, in a JDK 25 process), woven, verified, run on a virtual clock, and its
 * values, their order, the clock and the finally blocks compared with what the source says. The
 * same classes rewritten back to the form earlier weavers wrote ({@code Woven.await(sm,
 * Woven.emitting(v))}) must run the same on this runtime.
 */
class EmitShapesTest {
    private static final String SOURCE = """
            package demo;
            import dev.weft.Async;
            import dev.weft.runtime.*;
            import static dev.weft.runtime.Aio.*;
            import java.util.*;
            public class Shapes {
                static final List<String> LOG = new ArrayList<>();

                @Async static AsyncGenerator<Object> primitives() {
                    long l = Long.MAX_VALUE; double d = -0.0; char c = 'x'; boolean z = true;
                    byte b = -128; short s = -2; float f = 1.5f; int i = Integer.MIN_VALUE;
                    emit(l); emit(d); emit(c); emit(z); emit(b); emit(s); emit(f); emit(i);
                    emit(null);
                    emit(l - 1);
                    emit((Object) null);
                    await(sleep(1));
                    emit(l); emit(d * 2); emit(c + 1); emit(!z); emit((char) (c + 1)); emit(b + s); emit(f * i);
                    return finish();
                }

                @Async static Coroutine<String> later(String v, double t) {
                    await(sleep(t));
                    return result(v);
                }

                @Async static AsyncGenerator<String> awaitsInside(int k) {
                    emit(await(later("a", 1)));
                    emit(k > 0 ? await(later("b", 1)) : "no-b");
                    emit(k < 0 ? "no-c" : await(later("c", 0)));
                    emit(switch (k) {
                        case 0 -> "zero";
                        case 1 -> await(later("one", 1));
                        default -> {
                            emit("inner");
                            yield await(later("d", 1)) + "!";
                        }
                    });
                    emit("t=" + getRunningLoop().time());
                    return finish();
                }

                @Async static AsyncGenerator<Object> stackBelow(int k) {
                    int x = 100 + switch (k) { case 0 -> 0; default -> { emit("i"); yield 1; } };
                    long y = 5L * switch (k) { case 0 -> 0L; default -> { emit("l"); await(sleep(1)); emit("l2"); yield 3L; } };
                    double z = 0.5 + switch (k) { case 0 -> 0.0; default -> { emit(x); yield 0.25; } };
                    String s = "p" + x + switch (k) { case 0 -> "z"; default -> { emit(y); yield "q"; } } + z;
                    Object o = new StringBuilder(switch (k) { case 0 -> "z"; default -> { emit("sb"); yield "w"; } }).append('!');
                    emit(x + " " + y + " " + z + " " + s + " " + o);
                    return finish();
                }

                @Async static AsyncGenerator<String> tries(boolean fail) {
                    try {
                        try {
                            emit("t1");
                            if (fail) {
                                throw new IllegalStateException("boom");
                            }
                            emit("no failure");
                        } catch (IllegalStateException e) {
                            emit("caught " + e.getMessage());
                            await(sleep(1));
                            emit("caught after sleep");
                        } finally {
                            await(sleep(1));
                            emit("finally 1");
                        }
                        for (int i = 0; i < 2; i++) {
                            try {
                                emit("loop " + i);
                                continue;
                            } finally {
                                emit("loop finally " + i);
                            }
                        }
                    } finally {
                        LOG.add("outer finally");
                    }
                    emit("last");
                    return finish();
                }

                @Async static AsyncGenerator<Integer> labeled() {
                    outer:
                    for (int i = 0; i < 5; i++) {
                        for (int j = 0; j < 5; j++) {
                            if (j == 2) {
                                continue outer;
                            }
                            if (i == 3) {
                                break outer;
                            }
                            emit(i * 10 + j);
                        }
                    }
                    int n = 0;
                    do {
                        emit(-n);
                    } while (++n < 2);
                    return finish();
                }

                @Async static <T> Coroutine<String> describe(AsyncIterator<T> it) {
                    StringBuilder sb = new StringBuilder();
                    while (await(it.hasNext())) {
                        Object v = it.next();
                        sb.append(v == null ? "null" : v.getClass().getSimpleName() + ":" + v).append(", ");
                    }
                    return result(sb.append("at ").append(getRunningLoop().time()).toString());
                }

                static String run(Coroutine<String> c) {
                    EventLoop loop = new EventLoop(Clock.virtual());
                    try {
                        return loop.runUntilComplete(c);
                    } catch (RuntimeException | Error e) {
                        return e.toString();
                    } finally {
                        loop.close();
                    }
                }

                public static String go() {
                    StringBuilder out = new StringBuilder();
                    out.append(run(describe(primitives()))).append('\\n');
                    out.append(run(describe(awaitsInside(2)))).append('\\n');
                    out.append(run(describe(awaitsInside(0)))).append('\\n');
                    out.append(run(describe(stackBelow(1)))).append('\\n');
                    out.append(run(describe(tries(true)))).append(' ').append(LOG).append('\\n');
                    LOG.clear();
                    out.append(run(describe(tries(false)))).append(' ').append(LOG).append('\\n');
                    out.append(run(describe(labeled()))).append('\\n');
                    return out.toString();
                }
            }
            """;

    private static final String EXPECTED = """
            Long:9223372036854775807, Double:-0.0, Character:x, Boolean:true, Byte:-128, Short:-2, Float:1.5, \
            Integer:-2147483648, null, Long:9223372036854775806, null, Long:9223372036854775807, Double:-0.0, \
            Integer:121, Boolean:false, Character:y, Integer:-130, Float:FLOAT, at 1.0
            String:a, String:b, String:c, String:inner, String:d!, String:t=3.0, at 3.0
            String:a, String:no-b, String:c, String:zero, String:t=1.0, at 1.0
            String:i, String:l, String:l2, Integer:101, Long:15, String:sb, String:101 15 0.75 p101q0.75 w!, at 1.0
            String:t1, String:caught boom, String:caught after sleep, String:finally 1, String:loop 0, \
            String:loop finally 0, String:loop 1, String:loop finally 1, String:last, at 2.0 [outer finally]
            String:t1, String:no failure, String:finally 1, String:loop 0, String:loop finally 0, String:loop 1, \
            String:loop finally 1, String:last, at 1.0 [outer finally]
            Integer:0, Integer:1, Integer:10, Integer:11, Integer:20, Integer:21, Integer:0, Integer:-1, at 0.0
            """.replace("FLOAT",
            // The JVM's own spelling of the float the shape emits: JDK 19 made Float.toString the
            // shortest that reads back (-3.2212255E9; JDK 17 prints -3.22122547E9).
            Float.toString(-3.22122547E9f));

    @Test
    void everyShapeHandsOverItsValuesInOrderOnEveryCompiler() throws Exception {
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            Woven woven = Woven.compile(compiler, "demo/Shapes.java", SOURCE);
            assertEquals(0, wovenCalls(woven, WeaveSupport.WOVEN_EMITTING), compiler.name() + ": an emit fell back to Woven.emitting");
            int unboxed = wovenCalls(woven, WeaveSupport.WOVEN_EMIT_LONG) + wovenCalls(woven, WeaveSupport.WOVEN_EMIT_INT)
                    + wovenCalls(woven, WeaveSupport.WOVEN_EMIT_DOUBLE);
            assertTrue(wovenCalls(woven, WeaveSupport.WOVEN_EMIT) + unboxed >= 41, compiler.name());
            // The shapes emit long, int and double values boxed right at the emit: those boxes are left out.
            assertTrue(wovenCalls(woven, WeaveSupport.WOVEN_EMIT_LONG) >= 2, compiler.name() + ": no emitLong");
            assertTrue(wovenCalls(woven, WeaveSupport.WOVEN_EMIT_INT) >= 2, compiler.name() + ": no emitInt");
            assertTrue(wovenCalls(woven, WeaveSupport.WOVEN_EMIT_DOUBLE) >= 1, compiler.name() + ": no emitDouble");
            assertEquals(EXPECTED, woven.call("demo.Shapes", "go"), compiler.name());
        }
    }

    @Test
    void everyShapeRunsTheSameWhenWovenAsEarlierWeaversWroteEmits() throws Exception {
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            int[] rewritten = {0};
            Woven woven = Woven.compile(compiler, "demo/Shapes.java", SOURCE, bytes -> asEarlierWeaversWroteIt(bytes, rewritten));
            assertTrue(rewritten[0] >= 41, compiler.name() + ": " + rewritten[0] + " emits rewritten");
            assertEquals(EXPECTED, woven.call("demo.Shapes", "go"), compiler.name());
        }
    }

    /** How many calls of {@code Woven.<name>} the woven classes make. */
    static int wovenCalls(Woven woven, String name) {
        int calls = 0;
        for (byte[] bytes : woven.classes.values()) {
            ClassNode node = new ClassNode();
            new ClassReader(bytes).accept(node, 0);
            for (MethodNode method : node.methods) {
                for (AbstractInsnNode insn : method.instructions) {
                    if (insn instanceof MethodInsnNode call && WeaveSupport.WOVEN.equals(call.owner) && name.equals(call.name)) {
                        calls++;
                    }
                }
            }
        }
        return calls;
    }

    /**
     * The class with each {@code aload 0; swap; Woven.emit} written as the weaver wrote it before
     * {@code Woven.emit} existed: {@code Woven.emitting; aload 0; swap; Woven.await}, and each
     * unboxed emit ({@code aload 0; dup_x2; pop; Woven.emitLong}, {@code aload 0; swap;
     * Woven.emitInt}) with its box put back first. Nothing else of the weave changed, so this is
     * the earlier weaver's class.
     */
    static byte[] asEarlierWeaversWroteIt(byte[] bytes, int[] rewritten) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        for (MethodNode method : node.methods) {
            for (AbstractInsnNode insn : method.instructions.toArray()) {
                if (insn instanceof MethodInsnNode call && WeaveSupport.WOVEN.equals(call.owner)
                        && BOXES.containsKey(call.name)) {
                    // aload 0; dup_x2; pop (a long or double) or aload 0; swap (an int), then the call.
                    List<AbstractInsnNode> shuffle = new java.util.ArrayList<>();
                    AbstractInsnNode at = call.getPrevious();
                    if (at.getOpcode() == Opcodes.POP) {
                        shuffle.add(at);
                        at = at.getPrevious();
                        assertEquals(Opcodes.DUP_X2, at.getOpcode());
                    } else {
                        assertEquals(Opcodes.SWAP, at.getOpcode());
                    }
                    shuffle.add(at);
                    at = at.getPrevious();
                    assertEquals(Opcodes.ALOAD, at.getOpcode());
                    shuffle.add(at);
                    shuffle.forEach(method.instructions::remove);
                    String[] box = BOXES.get(call.name);
                    InsnList earlier = new InsnList();
                    earlier.add(new MethodInsnNode(Opcodes.INVOKESTATIC, box[0], "valueOf", box[1], false));
                    earlier.add(new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN,
                            WeaveSupport.WOVEN_EMITTING, WeaveSupport.WOVEN_EMITTING_DESC, false));
                    earlier.add(new VarInsnNode(Opcodes.ALOAD, 0));
                    earlier.add(new InsnNode(Opcodes.SWAP));
                    method.instructions.insertBefore(call, earlier);
                    method.instructions.set(call, new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN,
                            WeaveSupport.AWAIT, WeaveSupport.WOVEN_AWAIT_DESC, false));
                    rewritten[0]++;
                    continue;
                }
                if (insn instanceof MethodInsnNode call && WeaveSupport.WOVEN.equals(call.owner)
                        && WeaveSupport.WOVEN_EMIT.equals(call.name)) {
                    AbstractInsnNode swap = call.getPrevious();
                    AbstractInsnNode self = swap.getPrevious();
                    assertEquals(Opcodes.SWAP, swap.getOpcode());
                    assertEquals(Opcodes.ALOAD, self.getOpcode());
                    method.instructions.insertBefore(self, new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN,
                            WeaveSupport.WOVEN_EMITTING, WeaveSupport.WOVEN_EMITTING_DESC, false));
                    method.instructions.set(call, new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN,
                            WeaveSupport.AWAIT, WeaveSupport.WOVEN_AWAIT_DESC, false));
                    rewritten[0]++;
                }
            }
        }
        ClassWriter writer = new ClassWriter(0);
        node.accept(writer);
        return writer.toByteArray();
    }

    /** Per unboxed emit of the weave, the box it left out: owner and descriptor of its {@code valueOf}. */
    private static final java.util.Map<String, String[]> BOXES = java.util.Map.of(
            WeaveSupport.WOVEN_EMIT_LONG, new String[] {"java/lang/Long", "(J)Ljava/lang/Long;"},
            WeaveSupport.WOVEN_EMIT_INT, new String[] {"java/lang/Integer", "(I)Ljava/lang/Integer;"},
            WeaveSupport.WOVEN_EMIT_DOUBLE, new String[] {"java/lang/Double", "(D)Ljava/lang/Double;"});

    @Test
    void hundredsOfEmitsInOneMethodWithSleepsBetween() throws Exception {
        StringBuilder body = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            body.append("        emit(").append(i).append(" + base);\n");
            if (i % 50 == 49) {
                body.append("        await(sleep(1));\n");
            }
            expected.append(i + 7).append(',');
        }
        String source = """
                package demo;
                import dev.weft.Async;
                import dev.weft.runtime.*;
                import static dev.weft.runtime.Aio.*;
                public class Many {
                    @Async static AsyncGenerator<Integer> many(int base) {
                %s        return finish();
                    }
                    @Async static Coroutine<String> join(AsyncIterator<Integer> it) {
                        StringBuilder sb = new StringBuilder();
                        while (await(it.hasNext())) {
                            sb.append(it.next()).append(',');
                        }
                        return result(sb.append(getRunningLoop().time()).toString());
                    }
                    public static String go() {
                        EventLoop loop = new EventLoop(Clock.virtual());
                        String s = loop.runUntilComplete(join(many(7)));
                        loop.close();
                        return s;
                    }
                }
                """.formatted(body);
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            Woven woven = Woven.compile(compiler, "demo/Many.java", source);
            assertEquals(expected + "8.0", woven.call("demo.Many", "go"), compiler.name());
        }
    }
    private static final String OWNERS = """
            package demo;
            import dev.weft.Async;
            import dev.weft.runtime.*;
            import static dev.weft.runtime.Aio.*;
            import java.util.*;
            public class Owners {
                interface Source<T> {
                    T first();
                    @Async default AsyncGenerator<T> twice() {
                        T v = first();
                        emit(v);
                        await(sleep(1));
                        emit(v);
                        return finish();
                    }
                    @Async static <T extends Comparable<T>> AsyncGenerator<T> sorted(List<T> items) {
                        List<T> copy = new ArrayList<>(items);
                        Collections.sort(copy);
                        for (T t : copy) {
                            emit(t);
                        }
                        return finish();
                    }
                }
                record Pair(String a, long b) implements Source<String> {
                    public String first() {
                        return a + b;
                    }
                    @Async AsyncGenerator<Object> parts() {
                        emit(a);
                        emit(b);
                        emit(this);
                        return finish();
                    }
                }
                enum Color {
                    RED, GREEN;
                    @Async AsyncGenerator<String> spelled() {
                        for (char c : name().toCharArray()) {
                            emit(ordinal() + ":" + c);
                        }
                        return finish();
                    }
                }
                static class Box<T> {
                    final T value;
                    int emitted;
                    Box(T value) {
                        this.value = value;
                    }
                    @Async AsyncGenerator<T> repeat(int n) {
                        for (int i = 0; i < n; i++) {
                            emitted++;
                            emit(value);
                        }
                        return finish();
                    }
                }
                @Async static <T> Coroutine<String> join(AsyncIterator<T> it) {
                    StringBuilder sb = new StringBuilder();
                    while (await(it.hasNext())) {
                        sb.append(it.next()).append(' ');
                    }
                    return result(sb.toString());
                }
                public static String go() {
                    EventLoop loop = new EventLoop(Clock.virtual());
                    Box<Double> box = new Box<>(2.5);
                    String s = loop.runUntilComplete(join(new Pair("x", 7).twice()))
                            + "| " + loop.runUntilComplete(join(Source.sorted(List.of(3, 1, 2))))
                            + "| " + loop.runUntilComplete(join(new Pair("y", -1).parts()))
                            + "| " + loop.runUntilComplete(join(Color.GREEN.spelled()))
                            + "| " + loop.runUntilComplete(join(box.repeat(3))) + box.emitted
                            + " at " + loop.time();
                    loop.close();
                    return s;
                }
            }
            """;

    @Test
    void generatorsOfInterfacesRecordsEnumsAndGenericInstancesEmitTheirOwnValues() throws Exception {
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            Woven woven = Woven.compile(compiler, "demo/Owners.java", OWNERS);
            assertEquals("x7 x7 | 1 2 3 | y -1 Pair[a=y, b=-1] | 1:G 1:R 1:E 1:E 1:N | 2.5 2.5 2.5 3 at 1.0",
                    woven.call("demo.Owners", "go"), compiler.name());
        }
    }
    private static final String RETURNS = """
            package demo;
            import dev.weft.Async;
            import dev.weft.runtime.*;
            import static dev.weft.runtime.Aio.*;
            import java.util.*;
            public class Returns {
                static final List<String> LOG = new ArrayList<>();
                @Async static AsyncGenerator<String> returnThroughFinally(boolean early) {
                    try {
                        emit("body");
                        if (early) {
                            return finish();
                        }
                        emit("not early");
                    } finally {
                        emit("finally");
                        await(sleep(1));
                        emit("finally after sleep");
                    }
                    emit("after");
                    return finish();
                }
                @Async static AsyncGenerator<String> returnInLoop(int stop) {
                    for (int i = 0; ; i++) {
                        try {
                            if (i == stop) {
                                return finish();
                            }
                            emit("i" + i);
                        } finally {
                            emit("f" + i);
                        }
                    }
                }
                @Async static AsyncGenerator<String> returnInCatch() {
                    try {
                        emit("try");
                        throw new IllegalStateException("x");
                    } catch (IllegalStateException e) {
                        emit("catch");
                        return finish();
                    } finally {
                        emit("finally");
                    }
                }
                @Async static Coroutine<String> join(AsyncIterator<String> it, int max) {
                    StringBuilder sb = new StringBuilder();
                    int n = 0;
                    while (n++ < max && await(it.hasNext())) {
                        sb.append(it.next()).append(' ');
                    }
                    return result(sb.toString());
                }
                @Async static Coroutine<String> takeAndClose(AsyncGenerator<String> g, int n) {
                    String s = await(join(g, n));
                    await(g.aclose());
                    return result(s + "closed " + await(g.hasNext()));
                }
                public static String go() {
                    EventLoop loop = new EventLoop(Clock.virtual());
                    String s = loop.runUntilComplete(join(returnThroughFinally(true), 99))
                            + "| " + loop.runUntilComplete(join(returnThroughFinally(false), 99))
                            + "| " + loop.runUntilComplete(join(returnInLoop(2), 99))
                            + "| " + loop.runUntilComplete(join(returnInCatch(), 99))
                            + "| " + loop.runUntilComplete(takeAndClose(returnThroughFinally(true), 2))
                            + "| at " + loop.time();
                    loop.close();
                    return s;
                }
            }
            """;

    @Test
    void aReturnThroughFinallyBlocksThatEmitHandsOverTheirValuesAndStopsThere() throws Exception {
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            Woven woven = Woven.compile(compiler, "demo/Returns.java", RETURNS);
            assertEquals("body finally finally after sleep | body not early finally finally after sleep after "
                    + "| i0 f0 i1 f1 f2 | try catch finally | body finally closed false| at 2.0",
                    woven.call("demo.Returns", "go"), compiler.name());
        }
    }
}
