package dev.weft.weaver;

import dev.weft.weaver.internal.AsyncMethods;
import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.internal.check.ShapeChecker;
import dev.weft.weaver.internal.io.AtomicFiles;
import dev.weft.weaver.internal.io.ClassFiles;
import dev.weft.weaver.internal.io.JarContents;
import dev.weft.weaver.internal.transform.AsyncTransformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Weaves {@code @Async} methods into state machines: one class file, a directory of classes, or a
 * jar.
 *
 * <pre>{@code
 * Weaver weaver = new Weaver(ClassHierarchy.of(classpath));
 * WeaveReport report = weaver.weaveDirectory(Path.of("target/classes"), file -> true);
 * report.diagnostics().forEach(d -> System.err.println(d.format()));
 * if (report.hasErrors()) {
 *     // nothing was written
 * }
 * }</pre>
 *
 * <p>A class is left exactly as it was, byte for byte, when it has no {@code @Async} method and no
 * {@code await} call, or when it carries the woven marker (weaving is idempotent). A user's
 * mistake is never an exception: it comes back as a {@link Diagnostic}, and a class with an error
 * is not rewritten. An internal fault is a {@link WeaveException} naming the class; an I/O failure
 * of a directory or jar is an {@link UncheckedIOException}.
 *
 * <p>Directories and jars are woven transactionally: every class is woven in memory first, and
 * nothing is written when any class has an error.
 */
public final class Weaver {
    /** Every class that can hold {@code @Async}, {@code await} or a coroutine call names one of these. */
    private static final byte[] WEFT_PACKAGE = "dev/weft/".getBytes(StandardCharsets.US_ASCII);
    private static final String RETURNS_COROUTINE = ")" + WeaveSupport.COROUTINE_DESC;

    private final ClassHierarchy hierarchy;
    private final ShapeChecker checker;

    /**
     * Creates a weaver.
     *
     * @param hierarchy the classpath the woven classes are compiled against, for the type questions
     *                  of the weave
     */
    public Weaver(ClassHierarchy hierarchy) {
        this.hierarchy = Objects.requireNonNull(hierarchy, "hierarchy");
        this.checker = new ShapeChecker(hierarchy, hierarchy::classFile);
    }

    /**
     * Weaves one class file.
     *
     * @param classFile the class file's bytes
     * @return the rewritten class and its generated classes, or unchanged, with every error and
     *         warning found
     * @throws WeaveException when the bytes are not a class file, or on a fault of the weave itself
     */
    public WeaveResult weave(byte[] classFile) {
        Objects.requireNonNull(classFile, "classFile");
        ClassReader reader = reader(classFile);
        String name = reader.getClassName();
        if (indexOf(classFile, WEFT_PACKAGE) < 0) {
            return WeaveResult.unchanged(name, List.of());
        }
        Scan scan = new Scan();
        try {
            reader.accept(scan, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
        } catch (RuntimeException e) {
            throw new WeaveException("cannot read the class file of " + name.replace('/', '.') + ": " + e, e);
        }
        if (scan.woven && !scan.wovenHere()) {
            return WeaveResult.unchanged(name, List.of(wovenElsewhere(reader, scan)));
        }
        if (scan.woven || !(scan.async || scan.await || scan.callsCoroutine || scan.closesInMethod())) {
            return WeaveResult.unchanged(name, List.of());
        }
        ClassNode node = new ClassNode();
        try {
            reader.accept(node, ClassReader.SKIP_FRAMES);
        } catch (RuntimeException e) {
            throw new WeaveException("cannot read the class file of " + name.replace('/', '.') + ": " + e, e);
        }
        List<Diagnostic> diagnostics = checker.check(node);
        boolean failed = diagnostics.stream().anyMatch(Diagnostic::isError);
        if (failed || !scan.async) {
            return WeaveResult.unchanged(name, diagnostics);
        }
        AsyncTransformer.Result transformed;
        try {
            transformed = AsyncTransformer.transform(classFile, hierarchy);
        } catch (WeaveException | MethodTooLargeException e) {
            MethodTooLargeException tooLarge = tooLarge(e);
            if (tooLarge == null) {
                throw e;
            }
            List<Diagnostic> withError = new ArrayList<>(diagnostics);
            withError.add(tooLargeError(node, tooLarge));
            return WeaveResult.unchanged(name, withError);
        } catch (RuntimeException | LinkageError e) {
            throw new WeaveException("internal fault while weaving " + name.replace('/', '.') + ": " + e
                    + "; this is a bug in the weaver, please report it with the class file", e);
        }
        List<Diagnostic> all = new ArrayList<>(diagnostics);
        all.addAll(transformed.diagnostics());
        if (transformed.wovenMethods() == 0 || transformed.classes().isEmpty()) {
            return WeaveResult.unchanged(name, all);
        }
        return WeaveResult.woven(name, transformed.classes(), all, transformed.wovenMethods());
    }

    /**
     * A class whose marker names another weaver or protocol was woven by another build: weaving it again
     * would stack a second state machine on the first, and keeping it would run old woven code against
     * this runtime, so it is an error that says how to get fresh class files.
     */
    private static Diagnostic wovenElsewhere(ClassReader reader, Scan scan) {
        String[] source = {reader.getClassName().substring(reader.getClassName().lastIndexOf('/') + 1) + ".class"};
        reader.accept(new ClassVisitor(WeaveSupport.ASM_API) {
            @Override
            public void visitSource(String file, String debug) {
                if (file != null) {
                    source[0] = file;
                }
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
        String theirs = scan.wovenBy == null ? "a weaver older than 0.1.0 (its marker carries no versions)"
                : "weaver " + scan.wovenBy + " (protocol " + scan.wovenProtocol + ")";
        return new Diagnostic(Diagnostic.Kind.ERROR, source[0], 0, reader.getClassName().replace('/', '.'), null,
                "this class file was woven by " + theirs + ", and this is weaver " + WeaveSupport.weaverVersion()
                + " (protocol " + WeaveSupport.PROTOCOL + "); its original bytes are gone, so it cannot be woven "
                + "again: rebuild it from source (mvn clean, then build)");
    }

    private static MethodTooLargeException tooLarge(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof MethodTooLargeException m) {
                return m;
            }
        }
        return null;
    }

    /**
     * The JVM's 64 KiB limit on one method's code is the user's to fix (the woven method is larger
     * than the original, by the saves and restores around each await), so it is a build error at
     * the method's first line, not an internal fault.
     */
    private static Diagnostic tooLargeError(ClassNode node, MethodTooLargeException e) {
        int line = 0;
        for (MethodNode m : node.methods) {
            if (m.name.equals(e.getMethodName()) && AsyncMethods.isAsync(m)) {
                line = AsyncMethods.firstLine(m);
                break;
            }
        }
        return new Diagnostic(Diagnostic.Kind.ERROR, node.sourceFile, line, node.name.replace('/', '.'),
                e.getMethodName(), "woven, this @Async method needs " + e.getCodeSize() + " bytes of bytecode, over "
                + "the JVM's limit of 65535 for one method (each await adds code to save and restore the values "
                + "live across it); split it into smaller @Async methods and await them");
    }

    /**
     * Weaves the class files of a directory in place. Every included class is woven in memory
     * first; when any has an error nothing is written. Otherwise each rewritten or generated class
     * file is written to a temporary file in its folder and moved over the target atomically.
     *
     * @param classesDir the root of a class output directory ({@code target/classes})
     * @param include    which class files to weave, given {@code classesDir.resolve(relativePath)};
     *                   the others are counted as skipped and not read
     * @return what was woven, found and written
     * @throws UncheckedIOException when a file cannot be read or written
     * @throws WeaveException       on a fault of the weave itself (nothing is written then)
     */
    public WeaveReport weaveDirectory(Path classesDir, Predicate<Path> include) {
        return weaveDirectory(classesDir, include, false);
    }

    /**
     * Weaves the class files of a directory in place, as {@link #weaveDirectory(Path, Predicate)}
     * does, and with {@code failOnWarning} writes nothing when any class has a warning either. Each
     * class is woven once; what is written is decided on that one weave's findings. A warning must
     * stop the writing, not only fail the build afterwards: a woven class carries the woven marker,
     * so the next weave would pass it without a word.
     *
     * @param classesDir    the root of a class output directory ({@code target/classes})
     * @param include       which class files to weave, as for {@link #weaveDirectory(Path, Predicate)}
     * @param failOnWarning whether a warning keeps every file as it was, as an error does
     * @return what was woven, found and written; with {@code failOnWarning} and a warning, the
     *         warnings, no file written and every class counted unchanged
     * @throws UncheckedIOException when a file cannot be read or written
     * @throws WeaveException       on a fault of the weave itself (nothing is written then)
     */
    public WeaveReport weaveDirectory(Path classesDir, Predicate<Path> include, boolean failOnWarning) {
        Objects.requireNonNull(include, "include");
        try {
            List<Path> included = new ArrayList<>();
            int skipped = 0;
            for (Path file : ClassFiles.under(classesDir)) {
                if (include.test(file)) {
                    included.add(file);
                } else {
                    skipped++;
                }
            }
            Map<String, byte[]> read = new LinkedHashMap<>();
            for (Path file : included) {
                byte[] bytes = Files.readAllBytes(file);
                read.put(reader(bytes).getClassName(), bytes);
            }
            Outcome outcome = weaveAll(read);
            if (failOnWarning && !outcome.diagnostics.isEmpty()) {
                return outcome.notWritten(skipped);
            }
            if (outcome.hasErrors() || outcome.toWrite.isEmpty()) {
                return outcome.report(skipped, List.of());
            }
            Map<Path, byte[]> files = new LinkedHashMap<>();
            outcome.toWrite.forEach((internalName, bytes) -> files.put(classesDir.resolve(internalName + ".class"), bytes));
            return outcome.report(skipped, AtomicFiles.writeAll(files));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot weave the classes in " + classesDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Weaves the classes of a jar. The new jar is written beside the old one and moved over it
     * atomically; on any error, or when no class changes, the jar is left untouched. Other entries
     * are copied as they are, in their order. A signed jar whose classes would change is an error,
     * since weaving would break its signature.
     *
     * @param jar the jar to rewrite
     * @return what was woven and found; {@link WeaveReport#writtenFiles()} holds the jar when it was
     *         rewritten
     * @throws UncheckedIOException when the jar cannot be read or written
     * @throws WeaveException       on a fault of the weave itself (the jar is untouched then)
     */
    public WeaveReport weaveJar(Path jar) {
        try {
            List<JarContents.Entry> entries = JarContents.read(jar);
            Map<String, byte[]> base = new HashMap<>();
            for (JarContents.Entry entry : entries) {
                if (entry.isClass() && entry.versionPrefix().isEmpty()) {
                    base.put(entry.internalName(), entry.bytes());
                }
            }
            Weaver inJar = new Weaver(ClassHierarchy.ofBytes(base, hierarchy));
            List<Diagnostic> diagnostics = new ArrayList<>();
            Map<JarContents.Entry, WeaveResult> changed = new LinkedHashMap<>();
            int unchanged = 0;
            int methods = 0;
            for (JarContents.Entry entry : entries) {
                if (!entry.isClass()) {
                    continue;
                }
                WeaveResult result = inJar.weave(entry.bytes());
                diagnostics.addAll(result.diagnostics());
                if (result.changed()) {
                    changed.put(entry, result);
                    methods += result.wovenMethods();
                } else {
                    unchanged++;
                }
            }
            if (!changed.isEmpty() && entries.stream().anyMatch(JarContents.Entry::isSignature)) {
                for (WeaveResult result : changed.values()) {
                    String binary = result.className().replace('/', '.');
                    diagnostics.add(new Diagnostic(Diagnostic.Kind.ERROR, jar.getFileName().toString(), 0, binary, null,
                            "the jar is signed, and weaving this class would break its signature; weave the classes "
                                    + "before the jar is signed"));
                }
            }
            boolean failed = diagnostics.stream().anyMatch(Diagnostic::isError);
            if (failed || changed.isEmpty()) {
                int notWritten = failed ? unchanged + changed.size() : unchanged;
                return new WeaveReport(failed ? 0 : methods, 0, notWritten, 0, diagnostics, List.of());
            }
            List<JarContents.Entry> rewritten = new ArrayList<>();
            for (JarContents.Entry entry : entries) {
                WeaveResult result = changed.get(entry);
                if (result == null) {
                    rewritten.add(entry);
                    continue;
                }
                for (Map.Entry<String, byte[]> woven : result.classes().entrySet()) {
                    boolean host = woven.getKey().equals(result.className());
                    String name = entry.versionPrefix() + woven.getKey() + ".class";
                    rewritten.add(new JarContents.Entry(name, woven.getValue(), host ? entry.template() : null));
                }
            }
            AtomicFiles.replace(jar, out -> JarContents.write(rewritten, out));
            return new WeaveReport(methods, changed.size(), unchanged, 0, diagnostics, List.of(jar));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot weave the jar " + jar + ": " + e.getMessage(), e);
        }
    }

    /** Weaves classes read into memory, against a hierarchy that sees them before the classpath. */
    private Outcome weaveAll(Map<String, byte[]> classes) {
        Weaver inMemory = new Weaver(ClassHierarchy.ofBytes(classes, hierarchy));
        Outcome outcome = new Outcome();
        for (byte[] bytes : classes.values()) {
            WeaveResult result = inMemory.weave(bytes);
            outcome.diagnostics.addAll(result.diagnostics());
            if (result.changed()) {
                outcome.wovenClasses++;
                outcome.wovenMethods += result.wovenMethods();
                outcome.toWrite.putAll(result.classes());
            } else {
                outcome.unchangedClasses++;
            }
        }
        return outcome;
    }

    /** The in-memory result of weaving a set of classes, before anything is written. */
    private static final class Outcome {
        final List<Diagnostic> diagnostics = new ArrayList<>();
        final Map<String, byte[]> toWrite = new LinkedHashMap<>();
        int wovenClasses;
        int wovenMethods;
        int unchangedClasses;

        boolean hasErrors() {
            return diagnostics.stream().anyMatch(Diagnostic::isError);
        }

        WeaveReport report(int skipped, List<Path> written) {
            if (hasErrors()) {
                return notWritten(skipped);
            }
            return new WeaveReport(wovenMethods, wovenClasses, unchangedClasses, skipped, diagnostics, written);
        }

        /** Nothing was written, so every class read stays as it was. */
        WeaveReport notWritten(int skipped) {
            return new WeaveReport(0, 0, unchangedClasses + wovenClasses, skipped, diagnostics, List.of());
        }
    }

    /** What decides whether a class needs the shape checks and the transformer at all. */
    private static final class Scan extends ClassVisitor {
        boolean woven;
        /** The marker's weaver version; null for a marker without one. */
        String wovenBy;
        int wovenProtocol;
        boolean async;
        boolean await;
        boolean callsCoroutine;
        /** Whether the class is written inside a method (anonymous or local), which might be {@code @Async}. */
        boolean inMethod;
        boolean closes;

        Scan() {
            super(WeaveSupport.ASM_API);
        }

        /** A close in an anonymous or local class may be an AsyncCloseable's that an @Async method cannot await. */
        boolean closesInMethod() {
            return inMethod && closes;
        }

        @Override
        public void visitOuterClass(String owner, String name, String descriptor) {
            inMethod |= name != null;
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            if (WeaveSupport.LEGACY_MARKER_DESC.equals(descriptor)) {
                woven = true;
                return null;
            }
            if (WeaveSupport.WOVEN_MARKER_DESC.equals(descriptor)) {
                woven = true;
                return new AnnotationVisitor(WeaveSupport.ASM_API) {
                    @Override
                    public void visit(String element, Object value) {
                        if (WeaveSupport.MARKER_WEAVER.equals(element)) {
                            wovenBy = (String) value;
                        } else if (WeaveSupport.MARKER_PROTOCOL.equals(element)) {
                            wovenProtocol = (Integer) value;
                        }
                    }
                };
            }
            return null;
        }

        /** Whether the marker says this very weaver wrote the class. */
        boolean wovenHere() {
            return WeaveSupport.weaverVersion().equals(wovenBy) && wovenProtocol == WeaveSupport.PROTOCOL;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            return new MethodVisitor(WeaveSupport.ASM_API) {
                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    if (WeaveSupport.ASYNC_DESC.equals(annotation)) {
                        async = true;
                    }
                    return null;
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                    if (WeaveSupport.isSuspension(owner, method, desc)) {
                        // emit and finish are suspension points too, errors outside an async generator.
                        await = true;
                    } else if (desc.endsWith(RETURNS_COROUTINE)) {
                        callsCoroutine = true;
                    } else if (WeaveSupport.isCloseCall(opcode, owner, method, desc)) {
                        closes = true;
                    }
                }

                /** {@code Aio::await} (or {@code Aio::emit}, {@code Aio::finish}) calls nothing here, but is an error in any method, so the class needs the checks. */
                @Override
                public void visitInvokeDynamicInsn(String method, String desc, Handle bootstrap, Object... arguments) {
                    if (WeaveSupport.handleTo(arguments, WeaveSupport::isSuspension) != null) {
                        await = true;
                    }
                }
            };
        }
    }

    private static ClassReader reader(byte[] classFile) {
        try {
            ClassReader reader = new ClassReader(classFile);
            reader.getClassName();
            return reader;
        } catch (RuntimeException e) {
            throw new WeaveException("cannot read a class file of " + classFile.length
                    + " bytes: it is truncated or not a class file (" + e + ")", e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
