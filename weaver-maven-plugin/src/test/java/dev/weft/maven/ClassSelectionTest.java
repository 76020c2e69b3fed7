package dev.weft.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassSelectionTest {
    @TempDir
    Path classes;

    private Path write(String relativePath, int size) throws Exception {
        Path file = classes.resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[size]);
        return file;
    }

    @Test
    void firstBuildReadsEverySelectedClassFile() throws Exception {
        write("com/example/A.class", 10);
        write("com/example/B.class", 11);
        write("com/example/skip/C.class", 12);
        write("com/example/readme.txt", 3);

        ClassSelection selection = ClassSelection.scan(classes,
                AntPatterns.of(null, List.of("**/skip/**")), WeaveState.empty("1"));

        assertEquals(Set.of("com/example/A.class", "com/example/B.class"), selection.toWeave());
        assertEquals(0, selection.unchanged());
        assertEquals(1, selection.excluded());
    }

    @Test
    void secondBuildWithNothingChangedReadsNothing() throws Exception {
        write("com/example/A.class", 10);
        write("com/example/A$weft$run.class", 20);
        AntPatterns all = AntPatterns.of(null, null);
        WeaveState afterWeave = ClassSelection.recordAfterWeave(classes, all, "1");

        ClassSelection again = ClassSelection.scan(classes, all, afterWeave);

        assertEquals(Set.of(), again.toWeave());
        assertEquals(2, again.unchanged());
    }

    @Test
    void recompiledClassFileIsReadAgain() throws Exception {
        Path a = write("A.class", 10);
        write("B.class", 10);
        Files.setLastModifiedTime(a, FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
        AntPatterns all = AntPatterns.of(null, null);
        WeaveState afterWeave = ClassSelection.recordAfterWeave(classes, all, "1");

        Files.write(a, new byte[10]);
        Files.setLastModifiedTime(a, FileTime.from(Instant.parse("2024-01-02T00:00:00Z")));
        write("C.class", 5);
        ClassSelection next = ClassSelection.scan(classes, all, afterWeave);

        assertEquals(Set.of("A.class", "C.class"), next.toWeave());
        assertEquals(1, next.unchanged());
    }

    @Test
    void excludedFilesAreNotRecordedSoWideningTheIncludesReadsThem() throws Exception {
        write("a/A.class", 1);
        write("b/B.class", 1);
        WeaveState onlyA = ClassSelection.recordAfterWeave(classes, AntPatterns.of(List.of("a/**"), null), "1");

        ClassSelection widened = ClassSelection.scan(classes, AntPatterns.of(null, null), onlyA);

        assertEquals(Set.of("b/B.class"), widened.toWeave());
        assertEquals(1, widened.unchanged());
    }

    @Test
    void relativePathUsesForwardSlashesForAbsoluteAndRelativeFiles() {
        Path dir = Path.of("target", "classes");
        assertEquals("com/example/A.class", ClassSelection.relative(dir, dir.resolve("com/example/A.class")));
        assertEquals("com/example/A.class", ClassSelection.relative(dir, dir.toAbsolutePath().resolve("com/example/A.class")));
        assertEquals("com/example/A.class", ClassSelection.relative(dir, Path.of("com", "example", "A.class")));
    }
}
