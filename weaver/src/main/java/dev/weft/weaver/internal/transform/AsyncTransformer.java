package dev.weft.weaver.internal.transform;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.WeaveException;
import dev.weft.weaver.internal.AsyncMethods;
import dev.weft.weaver.internal.WeaveSupport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

/**
 * The weave of one class: turns each {@code @Async} method into a lazy entry method, a resume body
 * and a state machine class. The class streams through ASM's visitors; only the {@code @Async}
 * methods are read into trees, with their frames expanded, and pass through the stages:
 * {@link ReturnHoister}, {@link AsyncCloseRewriter}, {@link AwaitSiteFinder}, {@link AwaitLines},
 * {@link UninitializedNewLifter},
 * {@link FrameReader},
 * {@link LivenessAnalyzer}, {@link SpillPlanner}, {@link ResumeBodyEmitter} (with
 * {@link SlotShifter} and {@link AwaitRewriter}), {@link EntryMethodEmitter} and
 * {@link StateMachineEmitter}. Every frame is written by the weave; ASM computes none, and no class
 * is ever loaded.
 *
 * <p>Only called on classes that passed the shape checks and are not woven yet.
 */
public final class AsyncTransformer {
    /**
     * The woven classes.
     *
     * @param classes      internal name to class file: the host first, then each state machine;
     *                     empty when a method could not be woven
     * @param wovenMethods how many {@code @Async} methods were woven
     * @param diagnostics  what the weave itself found: a warning for a return it left awaited at the
     *                     end of the method, an error for code it cannot rewrite (then nothing is woven)
     */
    public record Result(Map<String, byte[]> classes, int wovenMethods, List<Diagnostic> diagnostics) {
    }

    private AsyncTransformer() {
    }

    /**
     * Weaves every {@code @Async} method of a class.
     *
     * @param classFile the class as compiled
     * @param hierarchy the build's classpath; the weave takes every type from javac's own frames, and
     *                  asks the hierarchy only which {@code close()} calls are of an
     *                  {@code AsyncCloseable} ({@link AsyncCloseRewriter})
     * @return the host and the state machines, with what the weave found
     * @throws WeaveException when a method cannot be woven for a reason that is not the user's (a
     *                        shape the checks should have refused)
     */
    public static Result transform(byte[] classFile, ClassHierarchy hierarchy) {
        ClassReader reader = new ClassReader(classFile);
        AsyncMethodCollector collector = new AsyncMethodCollector();
        reader.accept(collector, ClassReader.EXPAND_FRAMES);
        Map<String, byte[]> machines = new LinkedHashMap<>();
        Map<String, WovenMethod> woven = new LinkedHashMap<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        int ordinal = 0;
        for (MethodNode method : collector.methods) {
            String machine = WeaveSupport.machineName(collector.name, method.name, ordinal++);
            String key = method.name + method.desc;
            List<ReturnHoister.Warning> warnings = new ArrayList<>();
            try {
                WovenMethod result = MethodWeave.weave(collector.name, collector.isInterface, machine, method,
                        hierarchy, warnings);
                woven.put(key, result);
                machines.put(machine, StateMachineEmitter.emit(collector.version, collector.sourceFile, collector.name,
                        collector.isInterface, machine, method.name, result.fields(), result.lines()));
            } catch (UnweavableShapeException e) {
                diagnostics.add(collector.diagnostic(Diagnostic.Kind.ERROR, e.line(), method.name, e.getMessage()));
            } catch (RuntimeException e) {
                throw new WeaveException(collector.sourceName() + ": cannot weave " + collector.name.replace('/', '.') + "."
                        + key + ": " + e.getMessage(), e);
            }
            warnings.forEach(w -> diagnostics.add(collector.diagnostic(Diagnostic.Kind.WARNING, w.line(), method.name,
                    w.message())));
        }
        if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
            return new Result(Map.of(), 0, diagnostics);
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new HostWeaver(writer, woven), 0);
        Map<String, byte[]> classes = new LinkedHashMap<>();
        classes.put(collector.name, writer.toByteArray());
        classes.putAll(machines);
        return new Result(classes, woven.size(), diagnostics);
    }

    /** Reads the {@code @Async} methods of a class into trees, frames expanded. */
    private static final class AsyncMethodCollector extends ClassVisitor {
        final java.util.List<MethodNode> methods = new java.util.ArrayList<>();
        String name;
        int version;
        boolean isInterface;
        String sourceFile;

        AsyncMethodCollector() {
            super(WeaveSupport.ASM_API);
        }

        String sourceName() {
            return sourceFile != null ? sourceFile : name + ".class";
        }

        /** A finding about one method, named as the shape checks name theirs. */
        Diagnostic diagnostic(Diagnostic.Kind kind, int line, String method, String message) {
            String simple = name.substring(name.lastIndexOf('/') + 1);
            String file = sourceFile != null ? sourceFile : simple.split("\\$", 2)[0] + ".java";
            return new Diagnostic(kind, file, Math.max(line, 0), name.replace('/', '.'), method, message);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            this.name = name;
            this.version = version;
            this.isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
        }

        @Override
        public void visitSource(String source, String debug) {
            this.sourceFile = source;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodNode method = new MethodNode(WeaveSupport.ASM_API, access, name, descriptor, signature, exceptions);
            return new MethodVisitor(WeaveSupport.ASM_API, method) {
                @Override
                public void visitEnd() {
                    super.visitEnd();
                    if (AsyncMethods.isAsync(method)) {
                        methods.add(method);
                    }
                }
            };
        }
    }

    /** Streams the host through, swapping each woven method for its entry and resume body. */
    private static final class HostWeaver extends ClassVisitor {
        private final Map<String, WovenMethod> woven;

        HostWeaver(ClassVisitor writer, Map<String, WovenMethod> woven) {
            super(WeaveSupport.ASM_API, writer);
            this.woven = woven;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor target = super.visitMethod(access, name, descriptor, signature, exceptions);
            WovenMethod method = woven.get(name + descriptor);
            if (method == null) {
                return target;
            }
            int argumentSlots = LocalVariableScopes.argumentSlots(access, descriptor);
            return new EntryMethodEmitter(target, method.machine(), method.parameters(), method.firstLine(),
                    argumentSlots, WeaveSupport.returnsGenerator(descriptor));
        }

        @Override
        public void visitEnd() {
            for (WovenMethod method : woven.values()) {
                method.resumeBody().accept(cv);
            }
            AnnotationVisitor marker = super.visitAnnotation(WeaveSupport.WOVEN_MARKER_DESC, false);
            marker.visit(WeaveSupport.MARKER_PROTOCOL, WeaveSupport.PROTOCOL);
            marker.visit(WeaveSupport.MARKER_WEAVER, WeaveSupport.weaverVersion());
            marker.visitEnd();
            super.visitEnd();
        }
    }
}
