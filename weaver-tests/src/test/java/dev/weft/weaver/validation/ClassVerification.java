package dev.weft.weaver.validation;

import dev.weft.weaver.ClassHierarchy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.SimpleVerifier;
import org.objectweb.asm.util.CheckClassAdapter;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

/**
 * What {@link CheckClassAdapter#verify} checks, with its type questions answered by a
 * {@link ClassHierarchy} instead of a class loader: the structural checks of
 * {@link CheckClassAdapter}, then a data-flow analysis of every method with ASM's
 * {@link SimpleVerifier}.
 *
 * <p>ASM's own {@code verify} loads every type it meets through a class loader. That cannot work
 * for the classes javac 25 writes (version 69) on the JDK 17 that runs the build, and it would
 * define the woven classes before the load stage that is meant to find their {@code VerifyError}s.
 */
final class ClassVerification {
    private ClassVerification() {
    }

    /**
     * Verifies one class.
     *
     * @param classFile the class bytes
     * @param hierarchy a hierarchy that knows the class itself and everything it names
     * @return one line per problem, naming the method and the instruction; empty when the class is sound
     */
    static List<String> verify(byte[] classFile, ClassHierarchy hierarchy) {
        List<String> problems = new ArrayList<>();
        ClassNode node = new ClassNode();
        try {
            new ClassReader(classFile).accept(new CheckClassAdapter(Opcodes.ASM9, node, false) { }, ClassReader.SKIP_DEBUG);
        } catch (RuntimeException e) {
            problems.add("malformed class: " + e);
            return problems;
        }
        for (MethodNode method : node.methods) {
            if (method.instructions.size() == 0) {
                continue;
            }
            Analyzer<BasicValue> analyzer = new Analyzer<>(new HierarchyVerifier(node, hierarchy));
            try {
                analyzer.analyze(node.name, method);
            } catch (AnalyzerException e) {
                int index = e.node == null ? -1 : method.instructions.indexOf(e.node);
                problems.add(method.name + method.desc + ": " + e.getMessage() + "\n" + around(method, index));
            } catch (RuntimeException e) {
                problems.add(method.name + method.desc + ": " + e);
            }
        }
        return problems;
    }

    /** The instructions around {@code index}, the failing one marked, for a reader of the failure. */
    static String around(MethodNode method, int index) {
        Textifier text = new Textifier();
        TraceMethodVisitor trace = new TraceMethodVisitor(text);
        StringBuilder out = new StringBuilder();
        int from = Math.max(0, index - 12);
        int to = Math.min(method.instructions.size(), index + 4);
        for (int i = from; i < to; i++) {
            method.instructions.get(i).accept(trace);
            String line = text.getText().isEmpty() ? "" : String.valueOf(text.getText().get(text.getText().size() - 1));
            text.getText().clear();
            out.append(i == index ? "  >>" : "    ").append(String.format("%5d", i)).append(line.stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** Verifies every class of a map, prefixing each problem with the class name. */
    static List<String> verifyAll(Map<String, byte[]> classes, ClassHierarchy hierarchy) {
        List<String> problems = new ArrayList<>();
        classes.forEach((name, bytes) -> verify(bytes, hierarchy).forEach(p -> problems.add(name + "." + p)));
        return problems;
    }

    /** ASM's {@link SimpleVerifier}, asking the hierarchy instead of loading classes. */
    private static final class HierarchyVerifier extends SimpleVerifier {
        private static final Type NULL_TYPE = Type.getObjectType("null");
        private final ClassHierarchy hierarchy;

        HierarchyVerifier(ClassNode node, ClassHierarchy hierarchy) {
            super(Opcodes.ASM9, Type.getObjectType(node.name),
                    node.superName == null ? null : Type.getObjectType(node.superName),
                    node.interfaces.stream().map(Type::getObjectType).toList(),
                    (node.access & Opcodes.ACC_INTERFACE) != 0);
            this.hierarchy = hierarchy;
        }

        @Override
        protected boolean isInterface(Type type) {
            return type.getSort() == Type.OBJECT && hierarchy.isInterface(type.getInternalName());
        }

        @Override
        protected Type getSuperClass(Type type) {
            if (type.getSort() == Type.ARRAY) {
                return Type.getObjectType("java/lang/Object");
            }
            String superName = hierarchy.superName(type.getInternalName());
            return superName == null ? null : Type.getObjectType(superName);
        }

        @Override
        protected boolean isAssignableFrom(Type type1, Type type2) {
            if (type1.equals(type2) || type2.equals(NULL_TYPE)) {
                return true;
            }
            if (!isReference(type1) || !isReference(type2)) {
                return false;
            }
            return hierarchy.isAssignable(type1.getInternalName(), type2.getInternalName());
        }

        @Override
        protected boolean isSubTypeOf(BasicValue value, BasicValue expected) {
            Type expectedType = expected.getType();
            Type type = value.getType();
            if (expectedType != null && type != null && isReference(expectedType) && isReference(type)) {
                // The JVM's type checker treats every interface type as Object, and so do merged frames.
                return isAssignableFrom(expectedType, type) || isInterface(expectedType);
            }
            return super.isSubTypeOf(value, expected);
        }

        @Override
        protected Class<?> getClass(Type type) {
            throw new AssertionError("the verifier tried to load " + type.getClassName()
                    + "; every type question must go to the ClassHierarchy");
        }

        private static boolean isReference(Type t) {
            return t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY;
        }
    }
}
