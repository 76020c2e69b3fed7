package dev.weft.weaver.testing;

import java.util.Map;

/**
 * Defines classes from class file bytes held in memory (woven classes, mostly), and asks its parent
 * for every other class. Being a fresh loader, it makes the JVM verify each class it defines, the
 * StackMapTable frames included, when the class is linked.
 *
 * <pre>{@code
 * ClassLoader loader = new ByteArrayClassLoader("weft-test", woven, MyTest.class.getClassLoader());
 * Class<?> fetch = loader.loadClass("demo.Fetch");
 * }</pre>
 */
public final class ByteArrayClassLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    /**
     * A loader over some classes.
     *
     * @param name    the loader's name, as stack traces and {@code VerifyError}s show it
     * @param classes internal name ({@code demo/Fetch}) to class file bytes; read as it is, never copied
     * @param parent  where every other class comes from
     */
    public ByteArrayClassLoader(String name, Map<String, byte[]> classes, ClassLoader parent) {
        super(name, parent);
        this.classes = classes;
    }

    /**
     * Defines a class held in memory; the parent was asked first.
     *
     * @param name the binary name ({@code demo.Fetch})
     * @return the class
     * @throws ClassNotFoundException when the map does not hold it
     */
    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name.replace('.', '/'));
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }
}
