package dev.weft.maven;

import dev.weft.weaver.WeaveReport;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The weave of a classes directory, as a goal asks for it: {@code Weaver.weaveDirectory} with the
 * goal's {@code failOnWarning}. The goals see the weaver through this one call only, so that a run
 * weaves each class once and decides on that weave's report.
 */
@FunctionalInterface
interface DirectoryWeaver {
    /**
     * Weaves the included class files of a directory in place.
     *
     * @param classes       the classes directory
     * @param include       which class files to read
     * @param failOnWarning whether a warning keeps every file as it was
     * @return the weaver's report
     */
    WeaveReport weave(Path classes, Predicate<Path> include, boolean failOnWarning);
}
