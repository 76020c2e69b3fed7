package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.testing.HandWrittenClasses;
import dev.weft.weaver.testing.TestCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * {@code docs/limitations.md} quotes "the exact errors" of the weaver: each row of its two tables is
 * compiled here as the misuse it names, woven, and its quoted message compared with the message the
 * checks really produce. The sources name their methods {@code X}, their classes {@code C} and
 * {@code Outer} and their types {@code T}, as the doc's placeholders do, so most messages compare
 * letter for letter.
 */
class LimitationsDocTest {
    private static final Path DOC = Path.of("").toAbsolutePath().getParent().resolve("docs/limitations.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @TempDir
    Path dir;

    @Test
    void everyQuotedErrorIsTheMessageTheChecksProduce() throws IOException {
        Map<String, List<String>> rows = table("| misuse | message |");
        Map<String, List<String>> produced = new LinkedHashMap<>();
        produced.put("`await` in a method that is not `@Async`", messages("""
                class C { static Object X(Future<String> f) { return await(f); } }
                """));
        produced.put("`await` inside a lambda written in an `@Async` method", messages("""
                class C {
                    @Async static Coroutine<Void> X(Future<String> f) {
                        Supplier<Object> s = () -> await(f);
                        return done();
                    }
                }
                """));
        produced.put("`await` inside a lambda written in a method that is not `@Async`", messages("""
                class C { static Supplier<Object> X(Future<String> f) { return () -> await(f); } }
                """));
        produced.put("`await` in a method of an anonymous or local class written in an `@Async` method", messages("""
                class Outer {
                    @Async static Coroutine<Void> X(Future<String> f) {
                        Supplier<Object> s = new Supplier<>() { public Object get() { return await(f); } };
                        class Helper { Object get() { return await(f); } }
                        return done();
                    }
                }
                """));
        produced.put("a method reference to `Aio.await` (`Aio::await`), in any method", messages("""
                class C { static Function<Future<String>, Object> X() { return Aio::await; } }
                """));
        produced.put("`await` in a constructor", messages("""
                class C { C(Future<String> f) { await(f); } }
                """));
        produced.put("`await` in a static initializer (a static field's initializer included)", messages("""
                class C {
                    static final Object VALUE = await(make());
                    static Future<String> make() { return null; }
                }
                """));
        produced.put("an `@Async` method that does not return `dev.weft.runtime.Coroutine`", messages("""
                class T { }
                class C {
                    @Async static T X() { return null; }
                    @Async static void Y() { }
                }
                """));
        produced.put("`emit` in an `@Async` method that returns `Coroutine`", messages("""
                class C {
                    @Async static Coroutine<Void> X() {
                        emit(1);
                        return done();
                    }
                }
                """));
        produced.put("`emit` in a method that is not `@Async`", messages("""
                class C { static void X() { emit(1); } }
                """));
        produced.put("`emit` inside a lambda written in an async generator", messages("""
                class C {
                    @Async static AsyncGenerator<Integer> X() {
                        Runnable r = () -> emit(1);
                        return finish();
                    }
                }
                """));
        produced.put("`emit` inside a `synchronized (...) { }` block in an async generator", messages("""
                class C {
                    @Async AsyncGenerator<Integer> X() {
                        synchronized (this) { emit(1); }
                        return finish();
                    }
                }
                """));
        produced.put("a method reference to `Aio.emit` or `Aio.finish` (`Aio::emit`), in any method", messages("""
                class C {
                    @Async static AsyncGenerator<Integer> X(java.util.List<Integer> items) {
                        items.forEach(Aio::emit);
                        return finish();
                    }
                    static Supplier<AsyncGenerator<Integer>> Y() { return Aio::finish; }
                }
                """));
        produced.put("an async generator that returns something other than `finish()`", messages("""
                class C {
                    @Async static AsyncGenerator<Integer> X() {
                        emit(1);
                        return null;
                    }
                }
                """));
        produced.put("`@Async` on an abstract method (interface methods included)", messages("""
                abstract class C { @Async abstract Coroutine<Void> X(); }
                """));
        produced.put("`@Async` on a native method", messages("""
                class C { @Async native Coroutine<Void> X(); }
                """));
        produced.put("`@Async` on a constructor", messagesAnnotating("<init>", """
                class C { C() { } }
                """));
        produced.put("`@Async` on a static initializer", messagesAnnotating("<clinit>", """
                class C { static int n; static { n = 1; } }
                """));
        produced.put("`await` in a `synchronized` method", messages("""
                class C {
                    @Async synchronized Coroutine<Void> X(Future<String> f) {
                        await(f);
                        return done();
                    }
                }
                """));
        produced.put("`await` inside a `synchronized (...) { }` block", messages("""
                class C {
                    @Async Coroutine<Void> X(Future<String> f) {
                        synchronized (this) { await(f); }
                        return done();
                    }
                }
                """));
        produced.put("an `@Async` method whose woven form is over the JVM's 65,535 bytes of code for one method",
                messages(huge()));
        produced.put("an `await` in the arguments of a constructor call whose new object is stored in a local or "
                + "copied before the constructor runs (bytecode that javac and ECJ do not write, but other tools may)",
                new Weaver(WeaverTest.CLASSPATH).weave(HandWrittenClasses.uninitializedObjectInALocal()).diagnostics()
                        .stream().map(Diagnostic::message).toList());
        produced.put("`close()` in an `@Async` method on a type whose class file is not on the weaver's classpath "
                + "(whether it implements `AsyncCloseable` decides whether the close is awaited)", closeOfAnUnknownType());
        produced.put("a class of a signed jar would change (jar weaving only)", signedJarMessages());

        assertEquals(rows.keySet(), produced.keySet(), "a row for each case and a case for each row");
        rows.forEach((misuse, quoted) -> assertQuoted(misuse, quoted, produced.get(misuse)));
    }

    @Test
    void everyQuotedWarningIsTheMessageTheChecksProduce() throws IOException {
        Map<String, List<String>> rows = table("| likely mistake | message |");
        Map<String, List<String>> produced = new LinkedHashMap<>();
        produced.put("a call returning `Coroutine` whose value is dropped, in any method", messages("""
                class C {
                    @Async static Coroutine<Void> m() { return done(); }
                    static void X() { m(); }
                }
                """));
        produced.put("`Thread.sleep` in an `@Async` method", messages("""
                class C {
                    @Async static Coroutine<Void> X() throws Exception {
                        Thread.sleep(1);
                        return done();
                    }
                }
                """));
        produced.put("`Future.get` (any `java.util.concurrent.Future`, `CompletableFuture.get` included) or "
                + "`CompletableFuture.join` / `ForkJoinTask.join` in an `@Async` method", replaced("C.m",
                "CompletableFuture.join", messages("""
                class C {
                    @Async static Coroutine<Void> X(CompletableFuture<String> f) {
                        f.join();
                        return done();
                    }
                }
                """)));
        produced.put("other known blocking calls in an `@Async` method", replaced("C.m", "InputStream.read", messages("""
                class C {
                    @Async static Coroutine<Void> X(InputStream in) throws Exception {
                        in.read();
                        new FileInputStream("data.txt").close();
                        return done();
                    }
                }
                """)));
        produced.put("a coroutine returned inside a `synchronized` block", messages("""
                class C {
                    @Async static Coroutine<String> fetch() { return result("x"); }
                    @Async static Coroutine<String> X(Object lock) {
                        synchronized (lock) {
                            return fetch();
                        }
                    }
                }
                """));
        produced.put("`close()` of an `AsyncCloseable` in a lambda or a method of an anonymous or local class written "
                + "in an `@Async` method", messages("""
                class Outer {
                    @Async static Coroutine<Void> X(T t) {
                        Runnable lambda = () -> t.close();
                        new Runnable() {
                            public void run() { t.close(); }
                        }.run();
                        class Helper {
                            void shut() { t.close(); }
                        }
                        new Helper().shut();
                        lambda.run();
                        return done();
                    }
                }
                final class T implements dev.weft.runtime.AsyncCloseable {
                    public dev.weft.runtime.Awaitable<Void> aclose() { return done(); }
                    public void close() { }
                }
                """));
        String cannotFollow = """
                class C {
                    @Async static Coroutine<String> fetch() { return result("x"); }
                    @Async static Coroutine<String> X() {
                        Coroutine<String> c;
                        try {
                            return c = fetch();
                        } catch (IllegalStateException e) {
                            return result("caught");
                        }
                    }
                    @Async static Coroutine<String> Y() {
                        try {
                            return fetch();
                        } finally {
                            System.out.println("finally");
                        }
                    }
                }
                """;
        List<String> lateReturns = new ArrayList<>(messages(withTemporaryReadTwice(compile(cannotFollow), "Y")));
        lateReturns.addAll(messages(withoutDebugInformation(compile(cannotFollow))));
        produced.put("a coroutine returned inside a `try` that the weaver cannot follow back to where the return "
                + "statement computes it (see [Returning a coroutine from inside a try](#returning-a-coroutine-from-"
                + "inside-a-try))", lateReturns);

        assertEquals(rows.keySet(), produced.keySet(), "a row for each case and a case for each row");
        rows.forEach((misuse, quoted) -> assertQuoted(misuse, quoted, produced.get(misuse)));
    }

    @Test
    void theExampleFindingIsWhatTheWeaverPrints() throws IOException {
        String example = quotedStartingWith("Fetch.java:12: ");
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Fetch.java", """
                package demo;

                import static dev.weft.runtime.Aio.*;

                import dev.weft.Async;
                import dev.weft.runtime.Coroutine;
                import dev.weft.runtime.Future;

                class Fetch {
                    @Async Coroutine<Void> fetchData(Future<String> f) {
                        synchronized (this) {
                            await(f);
                        }
                        return done();
                    }
                }
                """);

        List<Diagnostic> found = weave(classes).get(0).diagnostics();

        assertEquals(List.of(example), found.stream().map(Diagnostic::format).toList());
    }

    @Test
    void theQuotedFaultsAreTheWeaversMessages() throws IOException {
        String missing = quotedStartingWith("class com.example.Missing ");
        // The doc's classpath, as a build passes it: relative, classes first.
        Files.createDirectories(Path.of("target/classes"));
        ClassHierarchy classpath = ClassHierarchy.of(List.of(Path.of("target/classes"), Path.of("target/test-classes")));
        WeaveException notFound = assertThrows(WeaveException.class, () -> classpath.superName("com/example/Missing"));
        assertTrue(pattern(missing.replace("the JDK 17", "the JDK N"), Map.of("N", "\\d+"), true)
                .matcher(notFound.getMessage()).matches(), notFound.getMessage() + "\n is not\n" + missing);

        String unreadable = quotedStartingWith("cannot read a class file of 3 bytes");
        WeaveException truncated = assertThrows(WeaveException.class,
                () -> new Weaver(WeaverTest.CLASSPATH).weave(new byte[3]));
        assertTrue(pattern(unreadable, Map.of(), true).matcher(truncated.getMessage()).matches(),
                truncated.getMessage() + "\n is not\n" + unreadable);
    }

    /**
     * The first quoted text of a row is the message, matched whole; the later ones (a variant for
     * {@code void}, for a local class, for a constructor) are parts of other messages of the case.
     */
    private static void assertQuoted(String misuse, List<String> quoted, List<String> produced) {
        Map<String, String> placeholders = Map.of("N", "\\d+");
        Pattern message = pattern(quoted.get(0), placeholders, false);
        if (produced.stream().noneMatch(m -> message.matcher(m).matches())) {
            fail("the doc's message for " + misuse + "\n  " + quoted.get(0) + "\nis none of what the checks say:\n  "
                    + String.join("\n  ", produced));
        }
        for (String variant : quoted.subList(1, quoted.size())) {
            Pattern part = pattern(variant, placeholders, true);
            if (produced.stream().noneMatch(m -> part.matcher(m).find())) {
                fail("the doc's variant for " + misuse + "\n  " + variant + "\nis in none of:\n  "
                        + String.join("\n  ", produced));
            }
        }
    }

    /**
     * The quoted text as a pattern, each placeholder standing for its pattern; with {@code elided},
     * {@code ...} stands for anything (in a message it can be the user's {@code gather(...)}).
     */
    private static Pattern pattern(String quoted, Map<String, String> placeholders, boolean elided) {
        StringBuilder regex = new StringBuilder();
        Matcher parts = Pattern.compile("\\.\\.\\.|\\b(" + String.join("|", placeholders.isEmpty() ? List.of("(?!)")
                : placeholders.keySet()) + ")\\b").matcher(quoted);
        int at = 0;
        while (parts.find()) {
            regex.append(Pattern.quote(quoted.substring(at, parts.start())));
            String part = parts.group();
            regex.append(!part.equals("...") ? placeholders.get(part) : elided ? ".*" : Pattern.quote(part));
            at = parts.end();
        }
        regex.append(Pattern.quote(quoted.substring(at)));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** A table of the doc: its first column to the quoted texts of its second. */
    private static Map<String, List<String>> table(String header) throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int start = lines.indexOf(header);
        assertTrue(start >= 0, "docs/limitations.md has a table " + header);
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(start + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.substring(1, line.length() - 1).split(" \\| ", 2);
            List<String> quoted = new ArrayList<>();
            Matcher code = CODE.matcher(cells[1]);
            while (code.find()) {
                quoted.add(code.group(1));
            }
            rows.put(cells[0].strip(), quoted);
        }
        return rows;
    }

    /** The error for a {@code close()} on {@code com.example.T}, woven without T's class file on the classpath. */
    private static List<String> closeOfAnUnknownType() {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("com/example/T.java", """
                package com.example;
                public class T implements AutoCloseable {
                    public void close() { }
                }
                """);
        sources.put("com/example/User.java", """
                package com.example;
                import static dev.weft.runtime.Aio.*;
                import dev.weft.Async;
                import dev.weft.runtime.Coroutine;
                class User {
                    @Async static Coroutine<Void> X(T t) {
                        t.close();
                        return done();
                    }
                }
                """);
        Map<String, byte[]> user = new LinkedHashMap<>(TestCompiler.javac17().compile(sources));
        user.remove("com/example/T");
        Weaver weaver = new Weaver(ClassHierarchy.ofBytes(user, WeaverTest.CLASSPATH));
        return user.values().stream().flatMap(bytes -> weaver.weave(bytes).diagnostics().stream())
                .map(Diagnostic::message).toList();
    }

    /**
     * The classes with method {@code name}'s returned value read once more from its temporary right after it
     * is stored there: bytecode that neither compiler writes, which the weave cannot follow back.
     */
    private static Map<String, byte[]> withTemporaryReadTwice(Map<String, byte[]> classes, String name) {
        Map<String, byte[]> changed = new LinkedHashMap<>();
        classes.forEach((className, bytes) -> {
            ClassNode node = new ClassNode();
            new ClassReader(bytes).accept(node, 0);
            for (MethodNode m : node.methods) {
                if (!m.name.equals(name)) {
                    continue;
                }
                for (org.objectweb.asm.tree.AbstractInsnNode insn : m.instructions) {
                    if (insn.getOpcode() == org.objectweb.asm.Opcodes.ASTORE) {
                        int slot = ((org.objectweb.asm.tree.VarInsnNode) insn).var;
                        m.instructions.insert(insn, new org.objectweb.asm.tree.InsnNode(org.objectweb.asm.Opcodes.POP));
                        m.instructions.insert(insn, new org.objectweb.asm.tree.VarInsnNode(org.objectweb.asm.Opcodes.ALOAD, slot));
                        m.maxStack = Math.max(m.maxStack, 1);
                        break;
                    }
                }
            }
            ClassWriter writer = new ClassWriter(0);
            node.accept(writer);
            changed.put(className, writer.toByteArray());
        });
        return changed;
    }

    /** The classes without local variable names and line numbers, as {@code javac -g:none} would leave them. */
    private static Map<String, byte[]> withoutDebugInformation(Map<String, byte[]> classes) {
        Map<String, byte[]> stripped = new LinkedHashMap<>();
        classes.forEach((name, bytes) -> {
            ClassWriter writer = new ClassWriter(0);
            new ClassReader(bytes).accept(writer, ClassReader.SKIP_DEBUG);
            stripped.put(name, writer.toByteArray());
        });
        return stripped;
    }

    private static String quotedStartingWith(String prefix) throws IOException {
        // Fenced code blocks hold backticks of their own: only the prose quotes messages.
        Matcher code = CODE.matcher(Files.readString(DOC).replaceAll("(?s)```.*?```", ""));
        while (code.find()) {
            if (code.group(1).startsWith(prefix)) {
                return code.group(1);
            }
        }
        throw new AssertionError("docs/limitations.md quotes nothing that starts with " + prefix);
    }

    /** Compiles classes of the default package, with what the sources above use imported, and weaves each. */
    private static List<String> messages(String body) {
        return messages(compile(body));
    }

    private static List<String> messages(Map<String, byte[]> classes) {
        return weave(classes).stream().flatMap(r -> r.diagnostics().stream()).map(Diagnostic::message).toList();
    }

    private static List<WeaveResult> weave(Map<String, byte[]> classes) {
        Weaver weaver = new Weaver(ClassHierarchy.ofBytes(classes, WeaverTest.CLASSPATH));
        return classes.values().stream().map(weaver::weave).toList();
    }

    private static Map<String, byte[]> compile(String body) {
        String source = """
                import static dev.weft.runtime.Aio.*;

                import dev.weft.Async;
                import dev.weft.runtime.Aio;
                import dev.weft.runtime.AsyncGenerator;
                import dev.weft.runtime.Coroutine;
                import dev.weft.runtime.Future;
                import java.io.FileInputStream;
                import java.io.InputStream;
                import java.util.concurrent.CompletableFuture;
                import java.util.function.Function;
                import java.util.function.Supplier;

                """ + body;
        Matcher first = Pattern.compile("class (\\w+)").matcher(body);
        assertTrue(first.find());
        return TestCompiler.javac17().compile(first.group(1) + ".java", source);
    }

    /** Java rejects {@code @Async} on a constructor or initializer; another tool could write it. */
    private static List<String> messagesAnnotating(String method, String body) {
        Map<String, byte[]> classes = new TreeMap<>(compile(body));
        classes.replaceAll((name, bytes) -> {
            ClassNode node = new ClassNode();
            new ClassReader(bytes).accept(node, 0);
            for (MethodNode m : node.methods) {
                if (m.name.equals(method)) {
                    m.invisibleAnnotations = List.of(new AnnotationNode(WeaveSupport.ASYNC_DESC));
                }
            }
            ClassWriter writer = new ClassWriter(0);
            node.accept(writer);
            return writer.toByteArray();
        });
        return messages(classes);
    }

    private static List<String> replaced(String placeholder, String actual, List<String> messages) {
        return messages.stream().map(m -> m.replace(actual, placeholder)).toList();
    }

    private static String huge() {
        return "class C {\n    @Async static Coroutine<Integer> X(Future<Integer> f) {\n" + WeaverTest.tooLargeOnceWoven()
                + "        return result(v0 + v59);\n    }\n}\n";
    }

    private List<String> signedJarMessages() throws IOException {
        Path jar = dir.resolve("signed.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/SIGNER.SF"));
            out.write("Signature-Version: 1.0\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (Map.Entry<String, byte[]> entry : compile("""
                    class C { @Async static Coroutine<Void> X() { return done(); } }
                    """).entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey() + ".class"));
                out.write(entry.getValue());
            }
        }
        return new Weaver(WeaverTest.CLASSPATH).weaveJar(jar).diagnostics().stream().map(Diagnostic::message).toList();
    }
}
