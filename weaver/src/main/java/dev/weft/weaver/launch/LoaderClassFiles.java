package dev.weft.weaver.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * The class files a class loader can see, read as resources ({@code com/example/Fetch.class}) so
 * that answering a type question never loads or initializes a class. It is a read-only view for
 * {@link dev.weft.weaver.ClassHierarchy#ofBytes}, which only ever looks classes up by name: it
 * cannot be listed.
 */
final class LoaderClassFiles extends AbstractMap<String, byte[]> {
    /** Weak, because the weaver that holds this view must not keep a discarded loader alive. */
    private final WeakReference<ClassLoader> loader;

    LoaderClassFiles(ClassLoader loader) {
        this.loader = new WeakReference<>(loader);
    }

    @Override
    public byte[] get(Object internalName) {
        ClassLoader classLoader = loader.get();
        if (classLoader == null || !(internalName instanceof String name)) {
            return null;
        }
        try (InputStream in = classLoader.getResourceAsStream(name + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ".class through " + classLoader, e);
        }
    }

    @Override
    public boolean containsKey(Object internalName) {
        return get(internalName) != null;
    }

    @Override
    public Set<Map.Entry<String, byte[]>> entrySet() {
        return Set.of();
    }

    @Override
    public String toString() {
        ClassLoader classLoader = loader.get();
        return "the class files of " + (classLoader == null ? "a discarded class loader" : classLoader.getName() != null ? classLoader.getName() : classLoader.toString());
    }
}
