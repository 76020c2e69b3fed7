package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.testing.TestCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * {@code emit(i)} of a {@code long}, {@code int} or {@code double}, boxed by the compiler right
 * before the emit, is woven as {@code Woven.emitLong}, {@code emitInt} or {@code emitDouble} with
 * the box left out, and the consumer still sees what a boxed emit gives it: equal values, the
 * cached {@code Integer} and {@code Long} of small values (so {@code ==} holds where it held), a
 * {@code double}'s exact bits, values it may keep. A value boxed anywhere else (a variable, a
 * conditional joining a box with another object, another primitive type) stays a
 * {@code Woven.emit}, so nothing that reaches the emit by a jump loses its box.
 */
class PrimitiveEmitWeaveTest {
    private static final String SOURCE = """
            package demo;
            import dev.weft.Async;
            import dev.weft.runtime.*;
            import static dev.weft.runtime.Aio.*;
            import java.util.*;
            public class Prims {
                @Async static AsyncGenerator<Object> mixed(boolean flag) {
                    emit("first");
                    for (long i = 126; i < 129; i++) {
                        emit(i);
                    }
                    await(sleep(1));
                    emit(5);
                    emit(5);
                    emit(1000);
                    emit(-0.0d);
                    emit(Double.longBitsToDouble(0x7ff8000000000123L));
                    emit(flag ? 7L : 8L);
                    emit(flag ? (Object) Long.valueOf(9) : "nine");
                    Long kept = 10L;
                    emit(kept);
                    emit((short) 11);
                    emit('c');
                    emit(1.5f);
                    emit(true);
                    emit(Long.MIN_VALUE);
                    emit(Integer.MIN_VALUE);
                    return finish();
                }
                @Async static Coroutine<String> drain(AsyncGenerator<Object> it) {
                    List<Object> all = new ArrayList<>();
                    while (await(it.hasNext())) {
                        all.add(it.next());
                    }
                    StringBuilder out = new StringBuilder();
                    for (Object o : all) {
                        out.append(o.getClass().getSimpleName()).append(':');
                        if (o instanceof Double d) {
                            out.append(Long.toHexString(Double.doubleToRawLongBits(d)));
                        } else {
                            out.append(o);
                        }
                        out.append(' ');
                    }
                    out.append("| 127==127:").append(all.get(2) == Long.valueOf(127));
                    out.append(" 5==5:").append(all.get(4) == all.get(5));
                    out.append(" 5 cached:").append(all.get(4) == Integer.valueOf(5));
                    return result(out.toString());
                }
                public static String go(boolean flag) {
                    EventLoop loop = new EventLoop(Clock.virtual());
                    String s = loop.runUntilComplete(drain(mixed(flag)));
                    loop.close();
                    return s;
                }
                public static String goTrue() {
                    return go(true);
                }
                public static String goFalse() {
                    return go(false);
                }
            }
            """;

    private static final String EXPECTED_TAIL = "Long:10 Short:11 Character:c Float:1.5 Boolean:true "
            + "Long:-9223372036854775808 Integer:-2147483648 | 127==127:true 5==5:true 5 cached:true";

    @Test
    void onlyTheBoxesRightBeforeAnEmitAreLeftOut() {
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            Woven woven = Woven.compile(compiler, "demo/Prims.java", SOURCE);
            Map<String, Integer> calls = emitCalls(woven.classes);
            // long: the loop, 7L/8L (the conditional joins two longs before the box), MIN_VALUE.
            // int: 5, 5, 1000, MIN_VALUE. double: -0.0 and the NaN.
            // Woven.emit: "first", the conditional of a box and a String, the variable, and the
            // short, char, float and boolean, whose boxes have no unboxed emit.
            assertEquals(Map.of(WeaveSupport.WOVEN_EMIT, 7, WeaveSupport.WOVEN_EMIT_LONG, 3,
                    WeaveSupport.WOVEN_EMIT_INT, 4, WeaveSupport.WOVEN_EMIT_DOUBLE, 2), calls, compiler.name());
        }
    }

    @Test
    void theConsumerSeesWhatABoxedEmitWouldGiveIt() throws Exception {
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            Woven woven = Woven.compile(compiler, "demo/Prims.java", SOURCE);
            assertEquals("String:first Long:126 Long:127 Long:128 Integer:5 Integer:5 Integer:1000 "
                    + "Double:8000000000000000 Double:7ff8000000000123 Long:7 Long:9 " + EXPECTED_TAIL,
                    woven.call("demo.Prims", "goTrue"), compiler.name());
            assertEquals("String:first Long:126 Long:127 Long:128 Integer:5 Integer:5 Integer:1000 "
                    + "Double:8000000000000000 Double:7ff8000000000123 Long:8 String:nine " + EXPECTED_TAIL,
                    woven.call("demo.Prims", "goFalse"), compiler.name());
        }
    }

    /** How many times the classes call each of {@code Woven}'s emit methods. */
    private static Map<String, Integer> emitCalls(Map<String, byte[]> classes) {
        Map<String, Integer> calls = new TreeMap<>();
        List<String> names = new ArrayList<>(List.of(WeaveSupport.WOVEN_EMIT, WeaveSupport.WOVEN_EMIT_LONG,
                WeaveSupport.WOVEN_EMIT_INT, WeaveSupport.WOVEN_EMIT_DOUBLE));
        for (byte[] bytes : classes.values()) {
            ClassNode node = new ClassNode();
            new ClassReader(bytes).accept(node, 0);
            for (MethodNode method : node.methods) {
                for (AbstractInsnNode insn : method.instructions) {
                    if (insn instanceof MethodInsnNode call && WeaveSupport.WOVEN.equals(call.owner)
                            && names.contains(call.name)) {
                        calls.merge(call.name, 1, Integer::sum);
                    }
                }
            }
        }
        return calls;
    }
}
