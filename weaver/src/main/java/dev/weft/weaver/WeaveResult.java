package dev.weft.weaver;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of weaving one class file: the classes to write, if any, and what the weaver found.
 *
 * <pre>{@code
 * WeaveResult result = weaver.weave(bytes);
 * result.diagnostics().forEach(d -> log(d.format()));
 * if (result.changed()) {
 *     result.classes().forEach(this::write);
 * }
 * }</pre>
 */
public final class WeaveResult {
    private final String className;
    private final Map<String, byte[]> classes;
    private final List<Diagnostic> diagnostics;
    private final int wovenMethods;

    private WeaveResult(String className, Map<String, byte[]> classes, List<Diagnostic> diagnostics, int wovenMethods) {
        this.className = className;
        this.classes = classes;
        this.diagnostics = diagnostics;
        this.wovenMethods = wovenMethods;
    }

    static WeaveResult unchanged(String className, List<Diagnostic> diagnostics) {
        return new WeaveResult(className, Map.of(), List.copyOf(diagnostics), 0);
    }

    static WeaveResult woven(String className, Map<String, byte[]> classes, List<Diagnostic> diagnostics,
            int wovenMethods) {
        return new WeaveResult(className, Collections.unmodifiableMap(new LinkedHashMap<>(classes)),
                List.copyOf(diagnostics), wovenMethods);
    }

    /**
     * The class this result is about.
     *
     * @return its internal name ({@code com/example/Fetch}), or null when the class file's header
     *         could not be read
     */
    public String className() {
        return className;
    }

    /**
     * Whether there is anything to write. False when the class had nothing to weave, was woven
     * already, or has errors; the original file must then stay as it is.
     *
     * @return true when {@link #classes()} holds the rewritten class
     */
    public boolean changed() {
        return !classes.isEmpty();
    }

    /**
     * The classes to write: the rewritten class first, then one generated state-machine class per
     * woven method.
     *
     * @return internal name to class file bytes, in that order; empty when unchanged or failed
     */
    public Map<String, byte[]> classes() {
        return classes;
    }

    /**
     * Every error and warning found in the class, in method order.
     *
     * @return the findings, possibly empty
     */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /**
     * Whether the class has a misuse that keeps it from being woven.
     *
     * @return true when a diagnostic is an {@link Diagnostic.Kind#ERROR}
     */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    /**
     * How many {@code @Async} methods were rewritten into state machines.
     *
     * @return the count, 0 when unchanged
     */
    public int wovenMethods() {
        return wovenMethods;
    }

    @Override
    public String toString() {
        return "WeaveResult[" + className + (changed() ? ", woven " + wovenMethods + " methods" : ", unchanged")
                + ", " + diagnostics.size() + " diagnostics]";
    }
}
