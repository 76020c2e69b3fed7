package dev.weft.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeaveStateTest {
    @TempDir
    Path dir;

    @Test
    void missingRecordIsEmpty() throws Exception {
        WeaveState state = WeaveState.load(dir.resolve("weft/weave-state.properties"), "1.0");
        assertEquals(0, state.size());
    }

    @Test
    void savedRecordReadsBackWithTheSameStamps() throws Exception {
        Path file = dir.resolve("weft/weave-state.properties");
        WeaveState state = WeaveState.empty("1.0");
        state.record("com/example/Fetch.class", "120:99");
        state.record("com/example/Odd name=1:x#!.class", "7:1");
        state.save(file);

        WeaveState read = WeaveState.load(file, "1.0");
        assertEquals(2, read.size());
        assertTrue(read.isUnchanged("com/example/Fetch.class", "120:99"));
        assertTrue(read.isUnchanged("com/example/Odd name=1:x#!.class", "7:1"));
        assertFalse(read.isUnchanged("com/example/Fetch.class", "121:99"));
        assertFalse(read.isUnchanged("com/example/Other.class", "120:99"));
    }

    @Test
    void recordOfAnotherWeaverVersionIsForgotten() throws Exception {
        Path file = dir.resolve("state.properties");
        WeaveState state = WeaveState.empty("1.0");
        state.record("A.class", "1:1");
        state.save(file);
        assertEquals(0, WeaveState.load(file, "1.1").size());
    }

    @Test
    void saveLeavesNoTemporaryFileBehind() throws Exception {
        Path file = dir.resolve("state.properties");
        WeaveState.empty("1.0").save(file);
        WeaveState.empty("1.0").save(file);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void stampChangesWhenTheFileIsRewrittenWithTheSameSize() throws Exception {
        Path classFile = dir.resolve("A.class");
        Files.write(classFile, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(classFile, FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
        String before = WeaveState.stampOf(classFile);
        Files.write(classFile, new byte[] {4, 5, 6});
        Files.setLastModifiedTime(classFile, FileTime.from(Instant.parse("2024-01-01T00:00:01Z")));
        String after = WeaveState.stampOf(classFile);
        assertTrue(before.startsWith("3:"));
        assertFalse(before.equals(after));
    }
}
