package dev.weft.weaver.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.testing.TestCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Each misuse, compiled by javac and by ECJ, is reported with its message, its file and line, its
 * class and its method. Lines are found from {@code //@name} markers in the sources.
 */
class ShapeCheckerTest {
    private static final ClassHierarchy CLASSPATH = ClassHierarchy.of(TestCompiler.testClasspath());

    static Stream<TestCompiler> compilers() {
        return Stream.of(TestCompiler.javac17(), TestCompiler.ecj());
    }

    private static final String HEADER = """
            package demo;

            import dev.weft.Async;
            import dev.weft.runtime.Coroutine;
            import dev.weft.runtime.Future;
            import java.util.concurrent.CompletableFuture;
            import java.util.function.Supplier;
            import static dev.weft.runtime.Aio.*;

            """;

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void awaitInAMethodThatIsNotAsyncIsAnErrorAtItsLine(TestCompiler compiler) {
        String source = HEADER + """
                class Plain {
                    static String fetch(Future<String> f) {
                        String first = await(f); //@first
                        return first + await(f); //@second
                    }
                }
                """;
        List<Diagnostic> found = check(compiler, "demo/Plain.java", source);
        String message = "await called in method fetch, which is not @Async: only an @Async method can suspend; "
                + "annotate fetch with @Async and make it return Coroutine, or await in the @Async method that "
                + "calls it";
        assertEquals(List.of(
                error(line(source, "first"), "demo.Plain", "fetch", message),
                error(line(source, "second"), "demo.Plain", "fetch", message)), found);
        assertEquals("Plain.java:" + line(source, "first") + ": error: demo.Plain.fetch: " + message,
                found.get(0).format());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void aMethodReferenceToAwaitIsAnErrorAtItsLine(TestCompiler compiler) {
        String source = HEADER + """
                class Refs {
                    @Async
                    static Coroutine<Integer> sum(java.util.List<Future<Integer>> fs) {
                        int total = fs.stream().map(Aio::await).mapToInt(i -> i).sum(); //@ref
                        return result(total);
                    }
                }
                """.replace("Aio::await", "dev.weft.runtime.Aio::await");
        List<Diagnostic> found = check(compiler, "demo/Refs.java", source);
        assertEquals(List.of(error(line(source, "ref"), "demo.Refs", "sum",
                "a method reference to Aio.await (Aio::await) makes a function that would await outside any @Async "
                        + "method, where nothing can suspend; await each value in the @Async method itself (a loop, "
                        + "or await(gather(...)))")), found);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void awaitInAConstructorOrStaticInitializerSaysWhatToDoInstead(TestCompiler compiler) {
        String source = HEADER + """
                class Inits {
                    static String config = await(later()); //@clinit
                    final String name;
                    Inits(Future<String> f) {
                        name = await(f); //@init
                    }
                    static Future<String> later() {
                        return null;
                    }
                }
                """;
        List<Diagnostic> found = check(compiler, "demo/Inits.java", source);
        assertEquals(2, found.size(), found::toString);
        Diagnostic init = found.stream().filter(d -> d.line() == line(source, "init")).findFirst().orElseThrow();
        assertEquals("await called in a constructor of Inits: a constructor cannot suspend and cannot be @Async; make a "
                + "static @Async factory method that awaits, then calls the constructor with the values", init.message());
        Diagnostic clinit = found.stream().filter(d -> d.line() == line(source, "clinit")).findFirst().orElseThrow();
        assertEquals("await called in a static initializer: class initialization cannot suspend; compute the value "
                + "in an @Async method and await it where it is needed", clinit.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void awaitInsideALambdaInAnAsyncMethodSaysTheLambdaCannotSuspend(TestCompiler compiler) {
        String source = HEADER + """
                class InLambda {
                    @Async
                    static Coroutine<String> outer(Future<String> f) {
                        Supplier<String> s = () -> await(f); //@lambda
                        return result(s.get());
                    }
                }
                """;
        List<Diagnostic> found = check(compiler, "demo/InLambda.java", source);
        assertEquals(List.of(error(line(source, "lambda"), "demo.InLambda", "outer",
                "await inside a lambda in @Async method outer: a lambda cannot suspend; move the await out of the "
                        + "lambda into outer, or make the lambda's work an @Async method and await the coroutine "
                        + "it returns")), found);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void awaitInsideALambdaInALambdaIsTracedToTheAsyncMethod(TestCompiler compiler) {
        String source = HEADER + """
                class Nested {
                    @Async
                    static Coroutine<String> outer(Future<String> f) {
                        Supplier<Supplier<String>> s = () -> () -> await(f); //@inner
                        return result(s.get().get());
                    }
                }
                """;
        List<Diagnostic> found = check(compiler, "demo/Nested.java", source);
        assertEquals(1, found.size(), found::toString);
        assertEquals(line(source, "inner"), found.get(0).line());
        assertEquals("outer", found.get(0).method());
        assertTrue(found.get(0).message().startsWith("await inside a lambda in @Async method outer:"),
                found.get(0).message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void awaitInsideAnAnonymousClassInAnAsyncMethodNamesBoth(TestCompiler compiler) {
        String source = HEADER + """
                class Anon {
                    @Async
                    static Coroutine<String> outer(Future<String> f) {
                        Supplier<String> s = new Supplier<>() {
                            public String get() {
                                return await(f); //@anon
                            }
                        };
                        return result(s.get());
                    }
                }
                """;
        List<Diagnostic> found = check(compiler, "demo/Anon.java", source);
        assertEquals(List.of(error(line(source, "anon"), "demo.Anon$1", "get",
                "await inside anonymous class Anon$1 in @Async method Anon.outer: a method of an anonymous or "
                        + "local class cannot suspend Anon.outer; move the await into Anon.outer, or make this "
                        + "method @Async (returning Coroutine) and await it there")), found);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void asyncMethodThatDoesNotReturnCoroutineIsAnError(TestCompiler compiler) {
        String source = HEADER + """
                class Returns {
                    @Async
                    static String name() {
                        return "x"; //@name
                    }

                    @Async
                    void nothing() {
                        System.out.println(); //@nothing
                    }

                    @Async
                    static int count() {
                        return 1; //@count
                    }
                }
                """;
        List<Diagnostic> found = check(compiler, "demo/Returns.java", source);
        String prefix = "an @Async method must return dev.weft.runtime.Coroutine (or AsyncGenerator, to emit values), but this one returns ";
        assertEquals(List.of(
                error(line(source, "name"), "demo.Returns", "name", prefix
                        + "java.lang.String; change its return type to Coroutine<String> and end it with return result(..)"),
                error(line(source, "nothing"), "demo.Returns", "nothing", prefix
                        + "void; change its return type to Coroutine<Void> and end it with return done()"),
                error(line(source, "count"), "demo.Returns", "count", prefix
                        + "int; change its return type to Coroutine<Integer> and end it with return result(..)")),
                sortedByLine(found));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void asyncOnAnAbstractOrNativeMethodIsAnError(TestCompiler compiler) {
        String source = HEADER + """
                abstract class Places {
                    @Async
                    abstract Coroutine<String> later();

                    @Async
                    native Coroutine<String> elsewhere();
                }
                """;
        List<Diagnostic> found = check(compiler, "demo/Places.java", source);
        assertEquals(List.of(
                error(0, "demo.Places", "later", "@Async cannot be put on an abstract method: it has no body to "
                        + "weave; remove @Async here and put it on each implementation (the method still returns "
                        + "Coroutine)"),
                error(0, "demo.Places", "elsewhere", "@Async cannot be put on a native method: it has no bytecode "
                        + "to weave; remove @Async")), found);
    }

    /** Java rejects @Async on a constructor or initializer (its target is METHOD); other tools may not. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void asyncOnAConstructorOrStaticInitializerWrittenByAnotherToolIsAnError(TestCompiler compiler) {
        String source = HEADER + """
                class Init {
                    static final long START;

                    static {
                        START = System.nanoTime(); //@clinit
                    }

                    Init() {
                        super(); //@init
                    }
                }
                """;
        ClassNode node = read(compiler.compile("demo/Init.java", source).get("demo/Init"));
        for (MethodNode method : node.methods) {
            method.visitAnnotation("Ldev/weft/Async;", false);
        }
        List<Diagnostic> found = new ShapeChecker(CLASSPATH, name -> null).check(node);
        assertEquals(List.of(
                error(line(source, "clinit"), "demo.Init", "<clinit>", "@Async cannot be put on a static "
                        + "initializer: class initialization cannot suspend; move the asynchronous work into an "
                        + "@Async method"),
                error(line(source, "init"), "demo.Init", "<init>", "@Async cannot be put on a constructor: a "
                        + "constructor cannot suspend; remove @Async and move the asynchronous work into an @Async "
                        + "method called after construction")), byMethodName(found, "<clinit>", "<init>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void awaitInsideASynchronizedBlockIsAnErrorButAfterTheBlockIsNot(TestCompiler compiler) {
        String source = HEADER + """
                class Locked {
                    private final Object lock = new Object();

                    @Async
                    Coroutine<String> guarded(Future<String> f) {
                        String a;
                        synchronized (lock) {
                            a = await(f); //@inside
                            if (a.isEmpty()) {
                                throw new IllegalStateException();
                            }
                        }
                        String b = await(f); //@after
                        return result(a + b);
                    }
                }
                """;
        List<Diagnostic> found = check(compiler, "demo/Locked.java", source);
        assertEquals(List.of(error(line(source, "inside"), "demo.Locked", "guarded",
                "await inside a synchronized block: a monitor cannot be held across a suspension; move the await "
                        + "out of the block")), found);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void awaitInsideNestedSynchronizedBlocksInATryIsFound(TestCompiler compiler) {
        String source = HEADER + """
                class DeepLocked {
                    @Async
                    static Coroutine<String> guarded(Object a, Object b, Future<String> f) {
                        try {
                            synchronized (a) {
                                synchronized (b) {
                                    System.out.println();
                                }
                                return result(await(f)); //@nested
                            }
                        } catch (RuntimeException e) {
                            return result(await(f)); //@handler
                        }
                    }
                }
                """;
        List<Diagnostic> found = check(compiler, "demo/DeepLocked.java", source);
        assertEquals(List.of(line(source, "nested")), found.stream().map(Diagnostic::line).toList(), found::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void awaitInASynchronizedAsyncMethodIsAnError(TestCompiler compiler) {
        String source = HEADER + """
                class SyncMethod {
                    @Async
                    synchronized Coroutine<String> guarded(Future<String> f) {
                        return result(await(f)); //@await
                    }
                }
                """;
        List<Diagnostic> found = check(compiler, "demo/SyncMethod.java", source);
        assertEquals(List.of(error(line(source, "await"), "demo.SyncMethod", "guarded",
                "await inside synchronized method guarded: a monitor cannot be held across a suspension; remove "
                        + "synchronized and keep shared state on the event loop thread (or release any lock before "
                        + "the await)")), found);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void everyErrorOfAClassIsReportedNotOnlyTheFirst(TestCompiler compiler) {
        String source = HEADER + """
                class Many {
                    static void a(Future<String> f) {
                        await(f); //@a
                    }

                    @Async
                    static String b() {
                        return ""; //@b
                    }

                    static void c(Future<String> f) {
                        await(f); //@c
                    }
                }
                """;
        List<Diagnostic> found = check(compiler, "demo/Many.java", source);
        assertEquals(List.of(line(source, "a"), line(source, "b"), line(source, "c")),
                found.stream().map(Diagnostic::line).sorted().toList());
        assertTrue(found.stream().allMatch(Diagnostic::isError));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void aCoroutineDroppedWithoutAwaitIsAWarningInAnyMethod(TestCompiler compiler) {
        String source = HEADER + """
                class Dropped {
                    @Async
                    static Coroutine<String> work() {
                        return result("w");
                    }

                    @Async
                    static Coroutine<Void> caller() {
                        work(); //@inAsync
                        await(work());
                        return done();
                    }

                    public static void main(String[] args) {
                        work(); //@inMain
                        createTask(work());
                    }
                }
                """;
        List<Diagnostic> found = check(compiler, "demo/Dropped.java", source);
        String message = "the coroutine returned by Dropped.work is never awaited; await it or wrap it in createTask";
        assertEquals(List.of(
                warning(line(source, "inAsync"), "demo.Dropped", "caller", message),
                warning(line(source, "inMain"), "demo.Dropped", "main", message)), found);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void knownBlockingCallsInAnAsyncMethodAreWarnings(TestCompiler compiler) throws Exception {
        String source = HEADER + """
                class Blocking {
                    @Async
                    static Coroutine<Void> blocks(Object monitor, CompletableFuture<String> cf,
                            java.util.concurrent.Future<String> jf, java.io.InputStream in, java.net.Socket s,
                            java.nio.file.Path p) throws Exception {
                        Thread.sleep(10); //@sleep
                        monitor.wait(); //@wait
                        jf.get(); //@get
                        cf.join(); //@join
                        cf.get(); //@cfget
                        in.read(); //@read
                        s.connect(null); //@connect
                        java.nio.file.Files.readAllBytes(p); //@files
                        new java.io.FileInputStream("x").close(); //@fis
                        await(sleep(1));
                        return done();
                    }

                    static void notAsync() throws Exception {
                        Thread.sleep(10);
                    }
                }
                """;
        List<Diagnostic> found = check(compiler, "demo/Blocking.java", source);
        String loop = " blocks the event loop thread; ";
        String thread = "run it on another thread with await(toThread(..)) instead";
        String future = "await the future instead (await(..) takes a CompletionStage too)";
        assertEquals(List.of(
                warning(line(source, "sleep"), "demo.Blocking", "blocks", "Thread.sleep" + loop + "use await(sleep(..)) instead"),
                warning(line(source, "wait"), "demo.Blocking", "blocks", "Object.wait" + loop + thread),
                warning(line(source, "get"), "demo.Blocking", "blocks", "Future.get" + loop + future),
                warning(line(source, "join"), "demo.Blocking", "blocks", "CompletableFuture.join" + loop + future),
                warning(line(source, "cfget"), "demo.Blocking", "blocks", "CompletableFuture.get" + loop + future),
                warning(line(source, "read"), "demo.Blocking", "blocks", "InputStream.read" + loop + thread),
                warning(line(source, "connect"), "demo.Blocking", "blocks", "Socket.connect" + loop + thread),
                warning(line(source, "files"), "demo.Blocking", "blocks", "Files.readAllBytes" + loop + thread),
                warning(line(source, "fis"), "demo.Blocking", "blocks", "new FileInputStream" + loop + thread)),
                found);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void aCloseOnATypeTheWeaverCannotReadIsAnErrorNamingTheClass(TestCompiler compiler) {
        String source = HEADER + """
                class Gone implements AutoCloseable {
                    public void close() {
                    }
                }

                class Closing {
                    @Async
                    static Coroutine<Void> use(Future<String> f) {
                        Gone g = new Gone();
                        await(f);
                        g.close(); //@close
                        return done();
                    }
                }
                """;
        Map<String, byte[]> classes = new java.util.HashMap<>(compiler.compile("demo/Closing.java", source));
        classes.remove("demo/Gone");
        ShapeChecker checker = new ShapeChecker(ClassHierarchy.ofBytes(classes, CLASSPATH), classes::get);
        assertEquals(List.of(diagnostic(Diagnostic.Kind.ERROR, line(source, "close"), "demo.Closing", "use",
                "cannot tell whether Gone.close() must be awaited: class demo.Gone is not on the weaver's classpath (in "
                        + "an @Async method, close() of an AsyncCloseable is woven as an await of aclose()); add the jar "
                        + "or directory that holds it to the weaver's classpath")),
                checker.check(read(classes.get("demo/Closing"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void closingAnAsyncCloseableInALambdaOrAnonymousClassOfAnAsyncMethodIsAWarningButNotInPlainCode(
            TestCompiler compiler) {
        String source = HEADER + """
                class Closes {
                    @Async
                    static Coroutine<Void> lambda(dev.weft.runtime.TaskGroup tg) {
                        Runnable r = () -> tg.close(); //@lambda
                        r.run();
                        return done();
                    }

                    @Async
                    static Coroutine<Void> anonymous(dev.weft.runtime.TaskGroup tg) {
                        Runnable r = new Runnable() {
                            public void run() {
                                tg.close(); //@anon
                            }
                        };
                        r.run();
                        return done();
                    }

                    static void plain(dev.weft.runtime.TaskGroup tg) {
                        tg.close();
                        Runnable r = () -> tg.close();
                        r.run();
                    }
                }
                """;
        List<Diagnostic> found = sortedByLine(check(compiler, "demo/Closes.java", source));
        assertEquals(List.of(
                warning(line(source, "lambda"), "demo.Closes", "lambda", "TaskGroup.close() inside a lambda in @Async "
                        + "method lambda cannot be awaited, so it does not wait for the AsyncCloseable to close; close it "
                        + "in lambda itself (try-with-resources there awaits the close), or make this code an @Async "
                        + "method that awaits aclose()"),
                warning(line(source, "anon"), "demo.Closes$1", "run", "TaskGroup.close() inside anonymous class "
                        + "Closes$1 in @Async method Closes.anonymous cannot be awaited, so it does not wait for the "
                        + "AsyncCloseable to close; close it in Closes.anonymous itself (try-with-resources there awaits "
                        + "the close), or make this code an @Async method that awaits aclose()")), found);
    }

    @Test
    void aCorrectAsyncClassHasNoFindings() {
        String source = HEADER + """
                class Fine {
                    @Async
                    static Coroutine<String> fetch(Future<String> f, Object lock) {
                        synchronized (lock) {
                            System.out.println("locked, no await");
                        }
                        String a = await(f);
                        Supplier<String> s = () -> a + "!";
                        return result(s.get() + await(f));
                    }
                }
                """;
        for (TestCompiler compiler : compilers().toList()) {
            assertEquals(List.of(), check(compiler, "demo/Fine.java", source), compiler.name());
        }
    }

    static List<Diagnostic> check(TestCompiler compiler, String file, String source) {
        Map<String, byte[]> classes = compiler.compile(file, source);
        ClassHierarchy hierarchy = ClassHierarchy.ofBytes(classes, CLASSPATH);
        ShapeChecker checker = new ShapeChecker(hierarchy, classes::get);
        List<Diagnostic> found = new ArrayList<>();
        for (byte[] bytes : classes.values()) {
            found.addAll(checker.check(read(bytes)));
        }
        return found;
    }

    private static ClassNode read(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES);
        return node;
    }

    /** The line of the source that ends with {@code //@marker}, counting from 1. */
    static int line(String source, String marker) {
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].endsWith("//@" + marker)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no line ends with //@" + marker);
    }

    private static Diagnostic error(int line, String className, String method, String message) {
        return diagnostic(Diagnostic.Kind.ERROR, line, className, method, message);
    }

    private static Diagnostic warning(int line, String className, String method, String message) {
        return diagnostic(Diagnostic.Kind.WARNING, line, className, method, message);
    }

    private static Diagnostic diagnostic(Diagnostic.Kind kind, int line, String className, String method,
            String message) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        int dollar = simple.indexOf('$');
        String file = (dollar > 0 ? simple.substring(0, dollar) : simple) + ".java";
        return new Diagnostic(kind, file, line, className, method, message);
    }

    private static List<Diagnostic> sortedByLine(List<Diagnostic> found) {
        return found.stream().sorted(java.util.Comparator.comparingInt(Diagnostic::line)).toList();
    }

    private static List<Diagnostic> byMethodName(List<Diagnostic> found, String... order) {
        List<String> names = List.of(order);
        return found.stream().sorted(java.util.Comparator.comparingInt(d -> names.indexOf(d.method())))
                .collect(Collectors.toList());
    }
}
