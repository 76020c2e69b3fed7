package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.testing.ByteArrayClassLoader;
import dev.weft.weaver.testing.HandWrittenClasses;
import dev.weft.weaver.testing.TestCompiler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

class WeaverTest {
    static final ClassHierarchy CLASSPATH = ClassHierarchy.of(TestCompiler.testClasspath());

    static final String FETCH = """
            package demo;

            import dev.weft.Async;
            import dev.weft.runtime.Coroutine;
            import static dev.weft.runtime.Aio.*;

            class Fetch {
                @Async
                static Coroutine<String> fetch(int id) {
                    await(sleep(0.1));
                    return result("Data " + id);
                }
            }
            """;

    static final String PLAIN = """
            package demo;

            class Plain {
                synchronized int twice(int x) {
                    return 2 * x;
                }
            }
            """;

    /**
     * Statements for an {@code @Async} method with a parameter {@code Future<Integer> f}: 60 live
     * {@code int}s {@code v0..v59} and 2,500 awaits, small enough for javac and over the JVM's
     * 65,535 bytes of code once woven.
     */
    static String tooLargeOnceWoven() {
        StringBuilder statements = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            statements.append("        int v").append(i).append(" = ").append(i).append(";\n");
        }
        for (int i = 0; i < 2500; i++) {
            statements.append("        v").append(i % 60).append(" += await(f) + v").append((i * 7) % 60).append(";\n");
        }
        return statements.toString();
    }

    private static Weaver weaverFor(Map<String, byte[]> classes) {
        return new Weaver(ClassHierarchy.ofBytes(classes, CLASSPATH));
    }

    @Test
    void aClassWithoutAsyncOrAwaitComesBackUnchangedAndIsNotRewritten() {
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Plain.java", PLAIN);
        WeaveResult result = weaverFor(classes).weave(classes.get("demo/Plain"));
        assertFalse(result.changed());
        assertEquals(Map.of(), result.classes());
        assertEquals(List.of(), result.diagnostics());
        assertEquals("demo/Plain", result.className());
        assertEquals(0, result.wovenMethods());
    }

    @Test
    void anAsyncMethodIsWovenIntoTheHostAndAGeneratedClassThatVerify() {
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Fetch.java", FETCH);
        WeaveResult result = weaverFor(classes).weave(classes.get("demo/Fetch"));
        assertTrue(result.changed(), result::toString);
        assertEquals(1, result.wovenMethods());
        assertEquals("demo/Fetch", result.classes().keySet().iterator().next());
        assertEquals(2, result.classes().size(), result.classes().keySet()::toString);
        ClassLoader loader = new ByteArrayClassLoader("weft-test", result.classes(), WeaverTest.class.getClassLoader());
        for (byte[] bytes : result.classes().values()) {
            StringWriter problems = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(bytes), loader, false, new PrintWriter(problems));
            assertEquals("", problems.toString());
        }
    }

    @Test
    void weavingAWovenClassAgainChangesNothing() {
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Fetch.java", FETCH);
        WeaveResult first = weaverFor(classes).weave(classes.get("demo/Fetch"));
        byte[] host = first.classes().get("demo/Fetch");
        WeaveResult second = weaverFor(first.classes()).weave(host);
        assertFalse(second.changed());
        assertEquals(List.of(), second.diagnostics());
    }

    @Test
    void aClassWithAnErrorIsNotTransformedAndReportsIt() {
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Bad.java", """
                package demo;

                import dev.weft.Async;
                import dev.weft.runtime.Coroutine;
                import static dev.weft.runtime.Aio.*;

                class Bad {
                    @Async
                    static Coroutine<String> good() {
                        await(sleep(0.1));
                        return result("ok");
                    }

                    static String bad(Coroutine<String> c) {
                        return await(c);
                    }
                }
                """);
        WeaveResult result = weaverFor(classes).weave(classes.get("demo/Bad"));
        assertFalse(result.changed());
        assertTrue(result.hasErrors());
        assertEquals(List.of("Bad.java:15: error: demo.Bad.bad: await called in method bad, which is not @Async: "
                + "only an @Async method can suspend; annotate bad with @Async and make it return Coroutine, or "
                + "await in the @Async method that calls it"), result.diagnostics().stream().map(Diagnostic::format).toList());
    }

    @Test
    void aForgottenAwaitInAClassWithNothingToWeaveIsAWarningAndTheClassIsUnchanged() {
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Caller.java", """
                package demo;

                class Caller {
                    public static void main(String[] args) {
                        dev.weft.runtime.Aio.done();
                    }
                }
                """);
        WeaveResult result = weaverFor(classes).weave(classes.get("demo/Caller"));
        assertFalse(result.changed());
        assertFalse(result.hasErrors());
        assertEquals(List.of("Caller.java:5: warning: demo.Caller.main: the coroutine returned by Aio.done is never "
                + "awaited; await it or wrap it in createTask"), result.diagnostics().stream().map(Diagnostic::format).toList());
    }

    @Test
    void aMethodReferenceToAwaitInAClassWithNothingElseOfWeftIsAnError() {
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Mapper.java", """
                package demo;

                import dev.weft.runtime.Aio;
                import dev.weft.runtime.Future;
                import java.util.function.Function;

                class Mapper {
                    static Function<Future<String>, Object> awaiter() {
                        return Aio::await;
                    }
                }
                """);

        WeaveResult result = weaverFor(classes).weave(classes.get("demo/Mapper"));

        assertTrue(result.hasErrors(), "the reference calls nothing, but the checks must see it");
        assertEquals(1, result.diagnostics().size(), result.diagnostics()::toString);
        assertEquals(9, result.diagnostics().get(0).line());
        assertTrue(result.diagnostics().get(0).message().startsWith("a method reference to Aio.await (Aio::await)"));
    }

    @Test
    void methodReferencesToEmitAndFinishInAClassWithNothingElseOfWeftAreErrors() {
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Ends.java", """
                package demo;

                import dev.weft.runtime.Aio;
                import dev.weft.runtime.AsyncGenerator;
                import java.util.function.Consumer;
                import java.util.function.Supplier;

                class Ends {
                    static Consumer<Object> emitter() {
                        return Aio::emit;
                    }

                    static Supplier<AsyncGenerator<String>> finisher() {
                        return Aio::finish;
                    }
                }
                """);

        WeaveResult result = weaverFor(classes).weave(classes.get("demo/Ends"));

        assertTrue(result.hasErrors(), "the references call nothing, but the checks must see them");
        assertEquals(List.of(10, 14), result.diagnostics().stream().map(Diagnostic::line).toList(),
                result.diagnostics()::toString);
        assertTrue(result.diagnostics().get(0).message().startsWith("a method reference to Aio.emit (Aio::emit)"),
                result.diagnostics()::toString);
        assertTrue(result.diagnostics().get(1).message().startsWith("a method reference to Aio.finish (Aio::finish)"),
                result.diagnostics()::toString);
    }

    @Test
    void anAnonymousClassThatClosesAnAsyncCloseableInAnAsyncMethodIsCheckedThoughItHasNothingToWeave() {
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Group.java", """
                package demo;

                import dev.weft.Async;
                import dev.weft.runtime.Coroutine;
                import dev.weft.runtime.TaskGroup;
                import static dev.weft.runtime.Aio.*;

                class Group {
                    @Async
                    static Coroutine<Void> run(TaskGroup tg) {
                        new Runnable() {
                            public void run() {
                                tg.close();
                            }
                        }.run();
                        return done();
                    }
                }
                """);
        WeaveResult result = weaverFor(classes).weave(classes.get("demo/Group$1"));
        assertFalse(result.changed());
        assertEquals(List.of("Group.java:13: warning: demo.Group$1.run: TaskGroup.close() inside anonymous class "
                + "Group$1 in @Async method Group.run cannot be awaited, so it does not wait for the AsyncCloseable to "
                + "close; close it in Group.run itself (try-with-resources there awaits the close), or make this code "
                + "an @Async method that awaits aclose()"), result.diagnostics().stream().map(Diagnostic::format).toList());
    }

    @Test
    void bytesThatAreNotAClassFileAreAnInternalFaultNamingTheirSize() {
        Weaver weaver = new Weaver(CLASSPATH);
        WeaveException e = assertThrows(WeaveException.class, () -> weaver.weave(new byte[] {1, 2, 3}));
        assertTrue(e.getMessage().startsWith("cannot read a class file of 3 bytes: it is truncated or not a class file"),
                e.getMessage());
    }

    @Test
    void aClassMentioningWeftWithoutAsyncOrAwaitIsReturnedAsItWas() {
        Map<String, byte[]> classes = TestCompiler.ecj().compile("demo/Holder.java", """
                package demo;

                class Holder {
                    dev.weft.runtime.Coroutine<String> pending;
                }
                """);
        byte[] original = classes.get("demo/Holder").clone();
        WeaveResult result = weaverFor(classes).weave(classes.get("demo/Holder"));
        assertFalse(result.changed());
        assertArrayEquals(original, classes.get("demo/Holder"));
    }

    @Test
    void aMethodTooLargeOnceWovenIsABuildErrorAtItsFirstLineAndNothingIsWoven() {
        StringBuilder source = new StringBuilder("""
                package demo;

                import static dev.weft.runtime.Aio.*;

                import dev.weft.Async;
                import dev.weft.runtime.Coroutine;
                import dev.weft.runtime.Future;

                class Huge {
                    @Async
                    static Coroutine<Integer> sum(Future<Integer> f) {
                """);
        source.append(tooLargeOnceWoven());
        source.append("        int total = 0;\n");
        for (int i = 0; i < 60; i++) {
            source.append("        total += v").append(i).append(";\n");
        }
        source.append("        return result(total);\n    }\n}\n");
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Huge.java", source.toString());

        WeaveResult result = weaverFor(classes).weave(classes.get("demo/Huge"));

        assertFalse(result.changed());
        assertTrue(result.hasErrors());
        Diagnostic error = result.diagnostics().get(result.diagnostics().size() - 1);
        assertEquals("Huge.java", error.sourceFile());
        assertEquals(12, error.line(), "the line of the first statement");
        assertEquals("sum", error.method());
        assertTrue(error.message().startsWith("woven, this @Async method needs ")
                && error.message().endsWith("split it into smaller @Async methods and await them"), error.message());
    }

    @Test
    void codeTheWeaveCannotRewriteIsABuildErrorAtItsLineNotAnInternalFault() {
        WeaveResult result = new Weaver(CLASSPATH).weave(HandWrittenClasses.uninitializedObjectInALocal());

        assertFalse(result.changed());
        assertTrue(result.hasErrors());
        String error = result.diagnostics().get(0).format();
        assertTrue(error.startsWith("Odd.java:" + HandWrittenClasses.LINE + ": error: demo.Odd.m: an await in the "
                + "arguments of a constructor call"), error);
    }

    @Test
    void aReturnTheWeaveLeavesAwaitedAfterASynchronizedBlockIsAWarningAndTheClassIsWoven() {
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Locked.java", """
                package demo;

                import dev.weft.Async;
                import dev.weft.runtime.Coroutine;
                import static dev.weft.runtime.Aio.*;

                class Locked {
                    @Async
                    static Coroutine<String> fetch() {
                        return result("x");
                    }

                    @Async
                    static Coroutine<String> m(Object lock) {
                        synchronized (lock) {
                            return fetch();
                        }
                    }
                }
                """);

        WeaveResult result = weaverFor(classes).weave(classes.get("demo/Locked"));

        assertTrue(result.changed());
        assertFalse(result.hasErrors());
        assertEquals(List.of("Locked.java:16: warning: demo.Locked.m: this return's coroutine, returned inside a "
                + "synchronized block, is awaited after the block has released its monitor (a monitor cannot be held "
                + "across a suspension); return it after the block to make that order visible"),
                result.diagnostics().stream().map(Diagnostic::format).toList());
    }
}
