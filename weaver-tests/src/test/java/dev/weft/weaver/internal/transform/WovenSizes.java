package dev.weft.weaver.internal.transform;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.testing.TestCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Test support: the size of each woven {@code @Async} method against the original. The woven size
 * is what one method costs in the class files: the entry method, the resume body and the state
 * machine's {@code resume}, in bytes of code; the original is the method's code as compiled.
 */
final class WovenSizes {
    private static final String RESUME = "resume(Ljava/lang/Object;Ljava/lang/Throwable;)Ljava/lang/Object;";

    /** One method's sizes. */
    record Size(String method, int original, int woven) {
        double ratio() {
            return woven / (double) original;
        }

        @Override
        public String toString() {
            return String.format("%s: %d -> %d bytes, %.2fx", method, original, woven, ratio());
        }
    }

    private WovenSizes() {
    }

    /** Weaves every class of {@code compiled} that has {@code @Async} methods and measures each of them. */
    static List<Size> measure(Map<String, byte[]> compiled) {
        ClassHierarchy hierarchy = ClassHierarchy.ofBytes(compiled, ClassHierarchy.of(TestCompiler.testClasspath()));
        List<Size> sizes = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : compiled.entrySet()) {
            ClassNode host = new ClassNode();
            new ClassReader(entry.getValue()).accept(host, ClassReader.SKIP_CODE);
            List<MethodNode> async = host.methods.stream().filter(WovenSizes::isAsync).toList();
            if (async.isEmpty()) {
                continue;
            }
            Map<String, byte[]> woven = AsyncTransformer.transform(entry.getValue(), hierarchy).classes();
            dump(woven);
            Map<String, Integer> original = CodeSize.of(entry.getValue());
            Map<String, Integer> wovenHost = CodeSize.of(woven.get(host.name));
            int ordinal = 0;
            for (MethodNode method : async) {
                String machine = WeaveSupport.machineName(host.name, method.name, ordinal++);
                int size = wovenHost.get(method.name + method.desc)
                        + wovenHost.get(method.name + ResumeBodyEmitter.descriptor(machine))
                        + CodeSize.of(woven.get(machine)).get(RESUME);
                String name = host.name.substring(host.name.lastIndexOf('/') + 1) + "." + method.name;
                sizes.add(new Size(name, original.get(method.name + method.desc), size));
            }
        }
        return sizes;
    }

    /** Every method of the validation corpus, compiled by javac 17. */
    static List<Size> corpus() {
        try {
            Path root = Path.of(WovenSizes.class.getClassLoader().getResource("validation/targets/").toURI());
            Map<String, String> sources = new LinkedHashMap<>();
            try (Stream<Path> files = Files.list(root)) {
                for (Path file : files.sorted().toList()) {
                    sources.put("validation/targets/" + file.getFileName(), Files.readString(file));
                }
            }
            return measure(TestCompiler.javac17().compile(sources));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the woven classes under {@code -Dweft.dump=dir}, for javap. */
    private static void dump(Map<String, byte[]> classes) {
        String dump = System.getProperty("weft.dump");
        if (dump == null) {
            return;
        }
        try {
            for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
                Path file = Path.of(dump, entry.getKey() + ".class");
                Files.createDirectories(file.getParent());
                Files.write(file, entry.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isAsync(MethodNode method) {
        return (method.access & org.objectweb.asm.Opcodes.ACC_BRIDGE) == 0 && method.invisibleAnnotations != null
                && method.invisibleAnnotations.stream().anyMatch(a -> WeaveSupport.ASYNC_DESC.equals(a.desc));
    }
}
