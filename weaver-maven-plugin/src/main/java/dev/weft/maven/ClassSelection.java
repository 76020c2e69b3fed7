package dev.weft.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which class files of a directory a run must read: those the includes and excludes select, less
 * those the staleness record shows unchanged since the last weave.
 *
 * @param toWeave   paths (below the directory, with {@code /}) to hand to the weaver, in a stable order
 * @param unchanged how many selected class files were skipped as unchanged
 * @param excluded  how many class files the includes and excludes left out
 */
record ClassSelection(Set<String> toWeave, int unchanged, int excluded) {

    /**
     * Scans a classes directory.
     *
     * @param classesDirectory the directory; it must exist
     * @param patterns         the includes and excludes
     * @param state            the record of the last weave
     * @return the selection
     * @throws IOException when the directory cannot be walked or a file's attributes read
     */
    static ClassSelection scan(Path classesDirectory, AntPatterns patterns, WeaveState state) throws IOException {
        Set<String> toWeave = new LinkedHashSet<>();
        int unchanged = 0;
        int excluded = 0;
        for (Map.Entry<String, Path> file : classFiles(classesDirectory).entrySet()) {
            if (!patterns.matches(file.getKey())) {
                excluded++;
            } else if (state.isUnchanged(file.getKey(), WeaveState.stampOf(file.getValue()))) {
                unchanged++;
            } else {
                toWeave.add(file.getKey());
            }
        }
        return new ClassSelection(Collections.unmodifiableSet(toWeave), unchanged, excluded);
    }

    /**
     * Records, after a successful weave, every selected class file of the directory as it is now,
     * generated state machine classes included. Files that were deleted drop out of the record.
     *
     * @param classesDirectory the directory
     * @param patterns         the includes and excludes
     * @param weaverVersion    the running weaver's version
     * @return the new record
     * @throws IOException when the directory cannot be walked
     */
    static WeaveState recordAfterWeave(Path classesDirectory, AntPatterns patterns, String weaverVersion)
            throws IOException {
        WeaveState state = WeaveState.empty(weaverVersion);
        for (Map.Entry<String, Path> file : classFiles(classesDirectory).entrySet()) {
            if (patterns.matches(file.getKey())) {
                state.record(file.getKey(), WeaveState.stampOf(file.getValue()));
            }
        }
        return state;
    }

    /**
     * The class files below a directory, by relative path with {@code /}, in sorted order.
     *
     * @param classesDirectory the directory
     * @return relative path to file
     * @throws IOException when the directory cannot be walked
     */
    static Map<String, Path> classFiles(Path classesDirectory) throws IOException {
        try (Stream<Path> walk = Files.walk(classesDirectory)) {
            List<Path> files = walk.filter(p -> p.getFileName().toString().endsWith(".class"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .collect(Collectors.toList());
            Map<String, Path> byPath = new LinkedHashMap<>();
            for (Path file : files) {
                byPath.put(relative(classesDirectory, file), file);
            }
            return byPath;
        }
    }

    /**
     * A file's path below a directory, with {@code /} on every platform.
     *
     * @param directory the directory
     * @param file      a file below it: absolute, relative to the working directory with the
     *                  directory as its prefix, or already relative to the directory
     * @return the relative path
     */
    static String relative(Path directory, Path file) {
        Path rel = file;
        if (file.isAbsolute() || file.startsWith(directory)) {
            rel = directory.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
        }
        return rel.toString().replace('\\', '/');
    }
}
