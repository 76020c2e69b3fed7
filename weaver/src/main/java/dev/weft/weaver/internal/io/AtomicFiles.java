package dev.weft.weaver.internal.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes files so that a reader never sees half of one: each file is written to a temporary file
 * in its own folder (same file system, so the move is a rename) and then moved over the target.
 */
public final class AtomicFiles {
    private static final String TEMP_PREFIX = ".weft-";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Writes the content of one file to a stream. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param out the temporary file's stream
         * @throws IOException when writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes several files: all temporary files first, then every move. When a temporary file
     * cannot be written, the ones already written are deleted and no target is touched.
     *
     * @param files target path to bytes, written in this order
     * @return the targets written
     * @throws IOException when a file cannot be written or moved
     */
    public static List<Path> writeAll(Map<Path, byte[]> files) throws IOException {
        Map<Path, Path> temporaries = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, byte[]> file : files.entrySet()) {
                Path target = file.getKey().toAbsolutePath();
                Files.createDirectories(target.getParent());
                Path temporary = temporaryFor(target);
                temporaries.put(file.getKey(), temporary);
                Files.write(temporary, file.getValue());
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temporaries.values(), e);
            throw e;
        }
        List<Path> written = new ArrayList<>();
        try {
            for (Map.Entry<Path, Path> move : temporaries.entrySet()) {
                moveAtomically(move.getValue(), move.getKey());
                written.add(move.getKey());
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temporaries.values(), e);
            throw e;
        }
        return written;
    }

    /**
     * Replaces one file by new content, written beside it first.
     *
     * @param target  the file to replace (or create)
     * @param content writes the new content
     * @throws IOException when the content cannot be written or moved; the target is then untouched
     */
    public static void replace(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temporary = temporaryFor(absolute);
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                content.writeTo(out);
            }
            moveAtomically(temporary, target);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(List.of(temporary), e);
            throw e;
        }
    }

    /**
     * A new empty file beside {@code target}. Not {@code Files.createTempFile}, which makes files
     * readable by their owner only: a class file must come out readable as the compiler wrote it,
     * so the file is made with the process's default permissions and then given the target's own,
     * when there is a target.
     */
    private static Path temporaryFor(Path target) throws IOException {
        for (;;) {
            Path temporary = target.resolveSibling(TEMP_PREFIX + Long.toUnsignedString(RANDOM.nextLong(), 36)
                    + TEMP_SUFFIX);
            try {
                Files.createFile(temporary);
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            PosixFileAttributeView posix = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            if (posix != null && Files.exists(target)) {
                Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(target));
            }
            return temporary;
        }
    }

    private static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // Some file systems cannot rename over a file; replacing is the closest they offer.
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Iterable<Path> temporaries, Exception cause) {
        for (Path temporary : temporaries) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
