package dev.weft.weaver.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds the class files of a directory. */
public final class ClassFiles {
    private ClassFiles() {
    }

    /**
     * Every {@code .class} file under a directory, in a stable order.
     *
     * @param root the directory
     * @return the files, as {@code root.resolve(relative)}, sorted by path
     * @throws IOException when the directory cannot be walked
     */
    public static List<Path> under(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".class") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        }
    }
}
