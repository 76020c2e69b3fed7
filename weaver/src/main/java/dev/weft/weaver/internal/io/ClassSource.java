package dev.weft.weaver.internal.io;

import dev.weft.weaver.WeaveException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;

/**
 * Where class file bytes come from, by internal name: a directory, a jar, the JDK's runtime image,
 * an in-memory map, or a classpath made of these. Reading never loads a class.
 *
 * <p>A jar keeps its file open from the first read until {@link #close()}, since a weave reads many
 * classes from it; closing a source closes every jar it opened.
 */
public interface ClassSource extends Closeable {

    /**
     * The bytes of a class file.
     *
     * @param internalName the class's internal name
     * @return the bytes, or null when this source does not hold the class
     */
    byte[] read(String internalName);

    /**
     * A short description for error messages.
     *
     * @return what this source searches, e.g. {@code target/classes, guava.jar, the JDK}
     */
    String describe();

    /**
     * Releases the files this source holds open. Only a jar holds any; the others have nothing to
     * release.
     *
     * @throws UncheckedIOException when a jar cannot be closed
     */
    @Override
    default void close() {
    }

    /**
     * Directories and jars in order, then the running JDK's classes. Entries that do not exist
     * are left out, as the {@code java} launcher ignores them.
     *
     * @param classpath the entries
     * @return the source
     */
    static ClassSource ofClasspath(List<Path> classpath) {
        List<ClassSource> sources = new ArrayList<>();
        for (Path entry : classpath) {
            if (Files.isDirectory(entry)) {
                sources.add(new DirectorySource(entry));
            } else if (Files.isRegularFile(entry)) {
                sources.add(new JarSource(entry));
            }
        }
        sources.add(JdkSource.INSTANCE);
        return new CompositeSource(List.copyOf(sources));
    }

    /**
     * Class files held in memory.
     *
     * @param classes internal name to bytes; read as it is, never copied
     * @return the source
     */
    static ClassSource ofBytes(Map<String, byte[]> classes) {
        return new ClassSource() {
            @Override
            public byte[] read(String internalName) {
                return classes.get(internalName);
            }

            @Override
            public String describe() {
                return classes.size() + " classes in memory";
            }
        };
    }

    /** A classpath: the first source that holds a class wins. */
    record CompositeSource(List<ClassSource> sources) implements ClassSource {
        @Override
        public byte[] read(String internalName) {
            for (ClassSource source : sources) {
                byte[] bytes = source.read(internalName);
                if (bytes != null) {
                    return bytes;
                }
            }
            return null;
        }

        @Override
        public String describe() {
            return sources.stream().map(ClassSource::describe).collect(Collectors.joining(", "));
        }

        /** Closes every source, even when one fails, and reports the first failure. */
        @Override
        public void close() {
            UncheckedIOException failure = null;
            for (ClassSource source : sources) {
                try {
                    source.close();
                } catch (UncheckedIOException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** A directory of class files laid out by package. */
    record DirectorySource(Path root) implements ClassSource {
        @Override
        public byte[] read(String internalName) {
            try {
                return Files.readAllBytes(root.resolve(internalName + ".class"));
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + internalName + ".class under " + root, e);
            }
        }

        @Override
        public String describe() {
            return root.toString();
        }
    }

    /**
     * A jar, opened on first use and kept open until {@link #close()}, read as the running JDK reads
     * multi-release jars. A read after the close opens the jar again, so a hierarchy closed early
     * still answers; it only holds the file again until the next close.
     */
    final class JarSource implements ClassSource {
        private final Path jar;
        private JarFile file;

        JarSource(Path jar) {
            this.jar = jar;
        }

        @Override
        public synchronized byte[] read(String internalName) {
            try {
                if (file == null) {
                    file = new JarFile(jar.toFile(), false, ZipFile.OPEN_READ, Runtime.version());
                }
                ZipEntry entry = file.getJarEntry(internalName + ".class");
                if (entry == null) {
                    return null;
                }
                try (InputStream in = file.getInputStream(entry)) {
                    return in.readAllBytes();
                }
            } catch (IOException e) {
                throw new WeaveException("cannot read " + internalName.replace('/', '.') + " from " + jar
                        + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String describe() {
            return jar.toString();
        }

        @Override
        public synchronized void close() {
            if (file == null) {
                return;
            }
            try {
                file.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + jar, e);
            } finally {
                file = null;
            }
        }
    }

    /** The classes of the JDK the weaver runs on, from its {@code jrt:} file system. */
    final class JdkSource implements ClassSource {
        static final JdkSource INSTANCE = new JdkSource();

        private final FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));

        private JdkSource() {
        }

        @Override
        public byte[] read(String internalName) {
            int slash = internalName.lastIndexOf('/');
            if (slash < 0) {
                return null;
            }
            Path packageDir = jrt.getPath("/packages", internalName.substring(0, slash).replace('/', '.'));
            if (!Files.isDirectory(packageDir)) {
                return null;
            }
            try (Stream<Path> modules = Files.list(packageDir)) {
                for (Path module : (Iterable<Path>) modules::iterator) {
                    Path classFile = jrt.getPath("/modules", module.getFileName().toString(), internalName + ".class");
                    if (Files.isRegularFile(classFile)) {
                        return Files.readAllBytes(classFile);
                    }
                }
                return null;
            } catch (IOException e) {
                throw new WeaveException("cannot read " + internalName.replace('/', '.')
                        + " from the JDK's runtime image: " + e.getMessage(), e);
            }
        }

        @Override
        public String describe() {
            return "the JDK " + Runtime.version().feature();
        }
    }
}
