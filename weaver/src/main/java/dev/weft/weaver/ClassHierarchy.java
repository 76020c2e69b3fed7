package dev.weft.weaver;

import dev.weft.weaver.internal.io.ClassSource;
import java.io.Closeable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Answers the type questions of the weave (superclass, interfaces, assignability, common
 * superclass) by reading class file headers from the build's classpath. It never loads a class, so
 * weaving cannot run user code or depend on what the weaver's own class loader happens to see.
 *
 * <p>Classes come from directories and jars in classpath order; the JDK's own classes come from
 * the running JDK's {@code jrt:} file system. Answers are cached, and the instance is safe to share
 * between threads.
 *
 * <pre>{@code
 * ClassHierarchy hierarchy = ClassHierarchy.of(List.of(Path.of("target/classes"), guavaJar));
 * hierarchy.commonSuperClass("java/lang/Integer", "java/lang/Long"); // "java/lang/Number"
 * }</pre>
 *
 * <p>Names are internal names ({@code java/lang/String}); array types are descriptors
 * ({@code [Ljava/lang/String;}). A class that cannot be found is a {@link WeaveException} whose
 * message names the class and the classpath searched.
 *
 * <p>A jar on the classpath is opened at its first read and kept open; {@link #close()} releases
 * it, so whoever makes a hierarchy over jars closes it when the weave is over:
 *
 * <pre>{@code
 * try (ClassHierarchy hierarchy = ClassHierarchy.of(classpath)) {
 *     new Weaver(hierarchy).weaveDirectory(classes, file -> true);
 * }
 * }</pre>
 */
public final class ClassHierarchy implements Closeable {
    private static final String OBJECT = "java/lang/Object";

    private final ClassSource source;
    private final ClassHierarchy parent;
    private final Map<String, Header> headers = new ConcurrentHashMap<>();

    private ClassHierarchy(ClassSource source, ClassHierarchy parent) {
        this.source = source;
        this.parent = parent;
    }

    /**
     * A hierarchy over a classpath, searched in order, then the JDK.
     *
     * @param classpath directories and jars; entries that do not exist are skipped, as {@code java}
     *                  skips them
     * @return the hierarchy
     */
    public static ClassHierarchy of(List<Path> classpath) {
        Objects.requireNonNull(classpath, "classpath");
        return new ClassHierarchy(ClassSource.ofClasspath(classpath), null);
    }

    /**
     * A hierarchy that looks at in-memory class files first, then at a parent. Used to weave a
     * directory (whose classes are read into memory before anything is written) and by tests.
     * Closing it leaves the parent open: the parent belongs to whoever made it.
     *
     * @param classes internal name to class file bytes
     * @param parent  where to look for every other class; null for the JDK alone
     * @return the hierarchy
     */
    public static ClassHierarchy ofBytes(Map<String, byte[]> classes, ClassHierarchy parent) {
        Objects.requireNonNull(classes, "classes");
        ClassHierarchy base = parent != null ? parent : of(List.of());
        return new ClassHierarchy(ClassSource.ofBytes(classes), base);
    }

    /**
     * The direct superclass.
     *
     * @param internalName a class or interface
     * @return the superclass's internal name; null for {@code java/lang/Object}; an interface answers
     *         {@code java/lang/Object}, as its class file records
     */
    public String superName(String internalName) {
        if (internalName.startsWith("[")) {
            return OBJECT;
        }
        return header(internalName).superName;
    }

    /**
     * The interfaces a class or interface declares directly (not the inherited ones).
     *
     * @param internalName a class or interface
     * @return internal names, in declaration order
     */
    public List<String> interfaces(String internalName) {
        if (internalName.startsWith("[")) {
            return List.of("java/lang/Cloneable", "java/io/Serializable");
        }
        return header(internalName).interfaces;
    }

    /**
     * Whether a name denotes an interface (annotation types included).
     *
     * @param internalName a class or interface
     * @return true for an interface
     */
    public boolean isInterface(String internalName) {
        return !internalName.startsWith("[") && (header(internalName).access & Opcodes.ACC_INTERFACE) != 0;
    }

    /**
     * Whether a value of type {@code from} can be stored where {@code to} is expected, with the
     * rules of the JVM's type checker (an interface target accepts only implementing classes;
     * arrays are covariant, and are {@code Object}, {@code Cloneable} and {@code Serializable}).
     *
     * @param toInternalName   the expected type
     * @param fromInternalName the actual type
     * @return true when every {@code from} is a {@code to}
     */
    public boolean isAssignable(String toInternalName, String fromInternalName) {
        if (toInternalName.equals(fromInternalName) || OBJECT.equals(toInternalName)) {
            return true;
        }
        if (fromInternalName.startsWith("[")) {
            if (toInternalName.startsWith("[")) {
                return isArrayAssignable(toInternalName.substring(1), fromInternalName.substring(1));
            }
            return "java/lang/Cloneable".equals(toInternalName) || "java/io/Serializable".equals(toInternalName);
        }
        if (toInternalName.startsWith("[")) {
            return false;
        }
        return isSubtype(fromInternalName, toInternalName, new HashSet<>());
    }

    /**
     * The most specific common superclass of two classes, as
     * {@code ClassWriter.getCommonSuperClass} computes it but without loading either class: when
     * one is assignable to the other, that one; when either is an interface, {@code Object};
     * otherwise the first superclass of {@code a} that {@code b} is assignable to.
     *
     * @param a a class or interface
     * @param b a class or interface
     * @return the internal name of the common superclass
     */
    public String commonSuperClass(String a, String b) {
        if (isAssignable(a, b)) {
            return a;
        }
        if (isAssignable(b, a)) {
            return b;
        }
        if (a.startsWith("[") || b.startsWith("[") || isInterface(a) || isInterface(b)) {
            return OBJECT;
        }
        String candidate = a;
        do {
            candidate = superName(candidate);
        } while (candidate != null && !isAssignable(candidate, b));
        return candidate != null ? candidate : OBJECT;
    }

    private boolean isArrayAssignable(String toComponent, String fromComponent) {
        boolean toReference = toComponent.startsWith("L") || toComponent.startsWith("[");
        boolean fromReference = fromComponent.startsWith("L") || fromComponent.startsWith("[");
        if (!toReference || !fromReference) {
            return toComponent.equals(fromComponent);
        }
        return isAssignable(componentName(toComponent), componentName(fromComponent));
    }

    private static String componentName(String descriptor) {
        return descriptor.startsWith("L") ? descriptor.substring(1, descriptor.length() - 1) : descriptor;
    }

    private boolean isSubtype(String type, String target, Set<String> seen) {
        if (type == null || !seen.add(type)) {
            return false;
        }
        if (type.equals(target)) {
            return true;
        }
        Header header = header(type);
        for (String implemented : header.interfaces) {
            if (isSubtype(implemented, target, seen)) {
                return true;
            }
        }
        return isSubtype(header.superName, target, seen);
    }

    /**
     * The class file of a class, for the checks that read an enclosing class's annotations.
     *
     * @return the bytes, or null when no level of this hierarchy holds the class
     */
    byte[] classFile(String internalName) {
        for (ClassHierarchy level = this; level != null; level = level.parent) {
            byte[] bytes = level.source.read(internalName);
            if (bytes != null) {
                return bytes;
            }
        }
        return null;
    }

    private Header header(String internalName) {
        Header known = headers.get(internalName);
        if (known != null) {
            return known;
        }
        byte[] bytes = source.read(internalName);
        Header found;
        if (bytes != null) {
            found = Header.read(internalName, bytes);
        } else if (parent != null) {
            found = parent.header(internalName);
        } else {
            throw new WeaveException("class " + internalName.replace('/', '.')
                    + " is not on the classpath the weaver searched (" + describe()
                    + "); add the jar or directory that holds it to the weaver's classpath");
        }
        headers.putIfAbsent(internalName, found);
        return found;
    }

    private String describe() {
        List<String> parts = new ArrayList<>();
        for (ClassHierarchy level = this; level != null; level = level.parent) {
            parts.add(level.source.describe());
        }
        return String.join(", ", parts);
    }

    /**
     * Closes the jars this hierarchy's own classpath opened; not its parent's. Answers already given
     * stay cached, and a later question that needs a jar opens it again.
     *
     * @throws UncheckedIOException when a jar cannot be closed
     */
    @Override
    public void close() {
        source.close();
    }

    @Override
    public String toString() {
        return "ClassHierarchy[" + describe() + "]";
    }

    /** What the weave needs of a class file: its kind, superclass and interfaces. */
    private record Header(int access, String superName, List<String> interfaces) {
        static Header read(String internalName, byte[] bytes) {
            try {
                ClassReader reader = new ClassReader(bytes);
                return new Header(reader.getAccess(), reader.getSuperName(), List.of(reader.getInterfaces()));
            } catch (RuntimeException e) {
                throw new WeaveException("cannot read the class file of " + internalName.replace('/', '.')
                        + ": it is truncated or not a class file (" + e + ")", e);
            }
        }
    }
}
