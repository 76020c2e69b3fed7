package dev.weft.weaver.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aReplacedFileKeepsItsPermissionsAndANewFileGetsTheDefaultOnes() throws IOException {
        Path baseline = Files.createFile(dir.resolve("made-the-usual-way"));
        Path existing = Files.write(dir.resolve("a.class"), new byte[] {1});
        Set<PosixFilePermission> odd = PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(existing, odd);
        Map<Path, byte[]> files = new LinkedHashMap<>();
        files.put(existing, new byte[] {2});
        files.put(dir.resolve("b.class"), new byte[] {3});

        AtomicFiles.writeAll(files);

        assertEquals(odd, Files.getPosixFilePermissions(existing));
        assertEquals(Files.getPosixFilePermissions(baseline), Files.getPosixFilePermissions(dir.resolve("b.class")));
    }

    @Test
    void everyFileIsWrittenAndNoTemporaryFileIsLeft() throws IOException {
        Files.write(dir.resolve("a.class"), new byte[] {1});
        Map<Path, byte[]> files = new LinkedHashMap<>();
        files.put(dir.resolve("a.class"), new byte[] {2, 2});
        files.put(dir.resolve("p/b.class"), new byte[] {3});

        List<Path> written = AtomicFiles.writeAll(files);

        assertEquals(List.copyOf(files.keySet()), written);
        assertArrayEquals(new byte[] {2, 2}, Files.readAllBytes(dir.resolve("a.class")));
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(dir.resolve("p/b.class")));
        assertEquals(List.of(dir.resolve("a.class"), dir.resolve("p")), list(dir));
    }

    @Test
    void whenOneFileCannotBeWrittenNoTargetIsTouchedAndTemporaryFilesAreRemoved() throws IOException {
        Files.write(dir.resolve("a.class"), new byte[] {1});
        Files.write(dir.resolve("blocker"), new byte[] {9});
        Map<Path, byte[]> files = new LinkedHashMap<>();
        files.put(dir.resolve("a.class"), new byte[] {2});
        files.put(dir.resolve("blocker/b.class"), new byte[] {3});

        assertThrows(IOException.class, () -> AtomicFiles.writeAll(files));

        assertArrayEquals(new byte[] {1}, Files.readAllBytes(dir.resolve("a.class")));
        assertEquals(List.of(dir.resolve("a.class"), dir.resolve("blocker")), list(dir));
    }

    @Test
    void aFailedReplaceLeavesTheTargetAsItWas() throws IOException {
        Path jar = Files.write(dir.resolve("app.jar"), new byte[] {7, 7});

        assertThrows(IOException.class, () -> AtomicFiles.replace(jar, out -> {
            out.write(1);
            throw new IOException("disk full");
        }));

        assertArrayEquals(new byte[] {7, 7}, Files.readAllBytes(jar));
        assertEquals(List.of(jar), list(dir));
    }

    @Test
    void replaceSwapsInTheNewContent() throws IOException {
        Path jar = Files.write(dir.resolve("app.jar"), new byte[] {7, 7});
        AtomicFiles.replace(jar, out -> out.write(new byte[] {8}));
        assertArrayEquals(new byte[] {8}, Files.readAllBytes(jar));
        assertEquals(List.of(jar), list(dir));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
