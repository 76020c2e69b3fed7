package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.testing.TestCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * An async generator's {@code emit(v)} is woven as a direct {@code Woven.emit(self, v)} at a
 * suspension point, with no awaitable made for the value, and still behaves as an emit: in a
 * loop, in a try/finally, with a real suspension before it, on javac and ECJ.
 */
class EmitWeaveTest {
    private static final String SOURCE = """
            package demo;
            import dev.weft.Async;
            import dev.weft.runtime.*;
            import static dev.weft.runtime.Aio.*;
            public class Emits {
                static final StringBuilder LOG = new StringBuilder();
                @Async static AsyncGenerator<String> words(int n) {
                    try {
                        for (int i = 0; i < n; i++) {
                            if (i == 1) {
                                await(sleep(1));
                            }
                            emit(i % 2 == 0 ? "even" + i : "odd" + i);
                        }
                        emit("last");
                    } finally {
                        LOG.append("closed;");
                    }
                    return finish();
                }
                @Async static Coroutine<String> join(AsyncGenerator<String> it) {
                    StringBuilder out = new StringBuilder();
                    while (await(it.hasNext())) {
                        out.append(it.next()).append(' ');
                    }
                    return result(out.append(LOG).toString());
                }
                public static String go() {
                    EventLoop loop = new EventLoop(Clock.virtual());
                    String s = loop.runUntilComplete(join(words(3)));
                    loop.close();
                    return s;
                }
            }
            """;

    @Test
    void everyEmitCallsWovenEmitAndNoneMakesAnAwaitable() {
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            Woven woven = Woven.compile(compiler, "demo/Emits.java", SOURCE);
            List<String> calls = wovenCalls(woven.classes);
            assertEquals(2, calls.stream().filter(WeaveSupport.WOVEN_EMIT::equals).count(), compiler.name() + ": " + calls);
            assertTrue(calls.stream().noneMatch(WeaveSupport.WOVEN_EMITTING::equals), compiler.name() + ": " + calls);
        }
    }

    @Test
    void theWovenEmitsHandEveryValueOverAndTheFinallyRuns() throws Exception {
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            Woven woven = Woven.compile(compiler, "demo/Emits.java", SOURCE);
            assertEquals("even0 odd1 even2 last closed;", woven.call("demo.Emits", "go"), compiler.name());
        }
    }

    /** The names of the {@code Woven} methods that the classes call, in order. */
    private static List<String> wovenCalls(Map<String, byte[]> classes) {
        List<String> calls = new ArrayList<>();
        for (byte[] bytes : classes.values()) {
            ClassNode node = new ClassNode();
            new ClassReader(bytes).accept(node, 0);
            for (MethodNode method : node.methods) {
                for (AbstractInsnNode insn : method.instructions) {
                    if (insn instanceof MethodInsnNode call && WeaveSupport.WOVEN.equals(call.owner)) {
                        calls.add(call.name);
                    }
                }
            }
        }
        return calls;
    }
}
