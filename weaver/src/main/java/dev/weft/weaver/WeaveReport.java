package dev.weft.weaver;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of weaving a directory or a jar: counts for the build's one summary line, every
 * finding, and the files written.
 *
 * <p>When {@link #hasErrors()} is true nothing was written and {@link #writtenFiles()} is empty;
 * so too when a directory woven with {@code failOnWarning} has a warning.
 */
public final class WeaveReport {
    private final int wovenMethods;
    private final int wovenClasses;
    private final int unchangedClasses;
    private final int skippedClasses;
    private final List<Diagnostic> diagnostics;
    private final List<Path> writtenFiles;

    WeaveReport(int wovenMethods, int wovenClasses, int unchangedClasses, int skippedClasses,
            List<Diagnostic> diagnostics, List<Path> writtenFiles) {
        this.wovenMethods = wovenMethods;
        this.wovenClasses = wovenClasses;
        this.unchangedClasses = unchangedClasses;
        this.skippedClasses = skippedClasses;
        this.diagnostics = List.copyOf(diagnostics);
        this.writtenFiles = List.copyOf(writtenFiles);
    }

    /**
     * How many {@code @Async} methods were rewritten.
     *
     * @return the count over every class
     */
    public int wovenMethods() {
        return wovenMethods;
    }

    /**
     * How many classes held at least one woven method (generated classes are not counted).
     *
     * @return the count
     */
    public int wovenClasses() {
        return wovenClasses;
    }

    /**
     * How many classes were read and had nothing to weave, or were woven already, or had errors.
     *
     * @return the count
     */
    public int unchangedClasses() {
        return unchangedClasses;
    }

    /**
     * How many class files were not read at all because the include filter left them out.
     *
     * @return the count
     */
    public int skippedClasses() {
        return skippedClasses;
    }

    /**
     * Every error and warning, class by class.
     *
     * @return the findings
     */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /**
     * Whether any class has a misuse; if so, nothing was written.
     *
     * @return true when a diagnostic is an {@link Diagnostic.Kind#ERROR}
     */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    /**
     * The files written: rewritten and generated class files for a directory, the jar itself for a
     * jar.
     *
     * @return the paths, empty when nothing changed or on error
     */
    public List<Path> writtenFiles() {
        return writtenFiles;
    }

    /**
     * The one summary line a build prints.
     *
     * @return e.g. {@code woven 12 methods in 5 classes (40 unchanged, 0 skipped), 1 warning}
     */
    public String summary() {
        long errors = diagnostics.stream().filter(Diagnostic::isError).count();
        long warnings = diagnostics.size() - errors;
        StringBuilder text = new StringBuilder("woven ").append(wovenMethods).append(wovenMethods == 1 ? " method" : " methods")
                .append(" in ").append(wovenClasses).append(wovenClasses == 1 ? " class" : " classes")
                .append(" (").append(unchangedClasses).append(" unchanged, ").append(skippedClasses).append(" skipped)");
        if (errors > 0) {
            text.append(", ").append(errors).append(errors == 1 ? " error" : " errors");
        }
        if (warnings > 0) {
            text.append(", ").append(warnings).append(warnings == 1 ? " warning" : " warnings");
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return "WeaveReport[" + summary() + "]";
    }
}
