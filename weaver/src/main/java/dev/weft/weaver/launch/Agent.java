package dev.weft.weaver.launch;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * The java agent: weaves {@code @Async} classes as they load, for programs that are run without a
 * woven build (an IDE's own compiler, a script, a quick experiment).
 *
 * <pre>{@code
 * java -javaagent:weft-cli-<version>.jar -cp app.jar com.example.Main
 * java -javaagent:weft-cli-<version>.jar=verbose ...   # also names each class woven
 * }</pre>
 *
 * <p>Type questions are answered from the class files the defining loader exposes as resources,
 * never by loading a class. An {@code @Async} class with a mistake is reported on standard error as
 * {@code File.java:line: error: ...} and left unwoven, so its awaits throw
 * {@link IllegalStateException} naming the method.
 *
 * <p>How the generated state machine classes are defined: each must live in the host's class loader
 * and package, because it calls the host's package-private resume method, and it must exist before
 * the host first runs. The host itself is not defined yet while it is being transformed, so no
 * {@link MethodHandles.Lookup} on it exists; a lookup on some other class of the package may not
 * exist either, and appending a jar to the system class loader's search path would miss every
 * other loader (test frameworks, application servers). So the agent uses the one API that works
 * for any loader: at start-up it opens {@code java.lang} to itself through
 * {@link Instrumentation#redefineModule}, the supported way for an agent to gain that access
 * without a command-line flag, and then calls {@code ClassLoader.defineClass} on the host's loader,
 * with the host's protection domain, from inside the host's transformation. The generated classes
 * only reference the host symbolically, so defining them first never loads the host early.
 */
public final class Agent {
    private Agent() {
    }

    /**
     * Installs the transformer; the JVM calls this before {@code main}.
     *
     * @param options         {@code verbose} to name each woven class on standard error, or null
     * @param instrumentation the JVM's instrumentation
     */
    public static void premain(String options, Instrumentation instrumentation) {
        boolean verbose = options != null && Set.of(options.split(",")).contains("verbose");
        MethodHandle defineClass = openDefineClass(instrumentation);
        instrumentation.addTransformer(new AgentTransformer(defineClass, verbose, System.err), false);
    }

    /**
     * Gives this agent access to {@code ClassLoader.defineClass(String, byte[], int, int,
     * ProtectionDomain)}.
     *
     * @param instrumentation the JVM's instrumentation
     * @return a handle taking (loader, binary name, bytes, offset, length, protection domain)
     */
    static MethodHandle openDefineClass(Instrumentation instrumentation) {
        Module javaBase = Object.class.getModule();
        instrumentation.redefineModule(javaBase, Set.of(), Map.of(),
                Map.of("java.lang", Set.of(Agent.class.getModule())), Set.of(), Map.of());
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(ClassLoader.class, MethodHandles.lookup());
            return lookup.findVirtual(ClassLoader.class, "defineClass", MethodType.methodType(Class.class,
                    String.class, byte[].class, int.class, int.class, ProtectionDomain.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the Weft agent cannot reach ClassLoader.defineClass on this JVM ("
                    + Runtime.version() + "): " + e, e);
        }
    }
}
