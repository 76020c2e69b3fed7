package dev.weft.weaver.launch;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.WeaveResult;
import dev.weft.weaver.Weaver;
import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Weaves each class that mentions {@code @Async} or {@code Aio} as it is defined, and defines the
 * state machine classes the weave generates in the same loader.
 */
final class AgentTransformer implements ClassFileTransformer {
    private static final byte[] ASYNC = "Ldev/weft/Async;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AIO = "dev/weft/runtime/Aio".getBytes(StandardCharsets.US_ASCII);

    private final MethodHandle defineClass;
    private final boolean verbose;
    private final PrintStream err;
    /**
     * One weaver per loader, since each loader sees its own classes; weak so loaders can go. Their
     * hierarchies read through the loader's resources and open no jar themselves, so there is
     * nothing to close when a loader goes.
     */
    private final Map<ClassLoader, Weaver> weavers = Collections.synchronizedMap(new WeakHashMap<>());

    AgentTransformer(MethodHandle defineClass, boolean verbose, PrintStream err) {
        this.defineClass = defineClass;
        this.verbose = verbose;
        this.err = err;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader == null || className == null || classBeingRedefined != null || isPlatformOrOwn(className)
                || !(contains(classfileBuffer, ASYNC) || contains(classfileBuffer, AIO))) {
            return null;
        }
        try {
            return weave(loader, className, protectionDomain, classfileBuffer);
        } catch (Throwable e) {
            // The JVM drops an exception thrown from a transformer without a word; say it here.
            err.println("weft agent: cannot weave " + className.replace('/', '.') + ": " + e
                    + "; the class is left unwoven and its awaits will throw IllegalStateException");
            return null;
        }
    }

    private byte[] weave(ClassLoader loader, String className, ProtectionDomain domain, byte[] bytes) throws Throwable {
        Weaver weaver = weavers.computeIfAbsent(loader,
                l -> new Weaver(ClassHierarchy.ofBytes(new LoaderClassFiles(l), null)));
        WeaveResult result = weaver.weave(bytes);
        for (Diagnostic diagnostic : result.diagnostics()) {
            err.println(diagnostic.format());
        }
        if (result.hasErrors()) {
            err.println("weft agent: " + className.replace('/', '.') + " is left unwoven because of the errors above;"
                    + " its awaits will throw IllegalStateException");
            return null;
        }
        if (!result.changed()) {
            return null;
        }
        byte[] host = null;
        for (Map.Entry<String, byte[]> generated : result.classes().entrySet()) {
            if (generated.getKey().equals(className)) {
                host = generated.getValue();
            } else {
                byte[] classFile = generated.getValue();
                defineClass.invoke(loader, generated.getKey().replace('/', '.'), classFile, 0, classFile.length, domain);
            }
        }
        if (host == null) {
            throw new IllegalStateException("the weave of " + className + " returned no host class");
        }
        if (verbose) {
            err.println("weft agent: woven " + className.replace('/', '.') + " (" + result.wovenMethods() + " methods)");
        }
        return host;
    }

    /** The JDK's classes never use Weft, and the weaver must not weave itself while it loads. */
    private static boolean isPlatformOrOwn(String className) {
        return className.startsWith("java/") || className.startsWith("javax/") || className.startsWith("jdk/")
                || className.startsWith("sun/") || className.startsWith("com/sun/")
                || className.startsWith("dev/weft/weaver/");
    }

    /** A byte search is far cheaper than parsing every class the JVM loads. */
    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
