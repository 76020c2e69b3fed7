package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.testing.ByteArrayClassLoader;
import dev.weft.weaver.testing.TestCompiler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the validation corpus through the transformer alone (no shape checks, no facade): each
 * target compiled by javac 17 and by ECJ, woven, verified, loaded and run on the loop, slow and
 * fast, on a virtual clock, and its output compared with the expected output written in the
 * target. ECJ 3.33 compiles {@code IntSwitchTarget} into a class that does not verify even unwoven
 * (no checkcast after an await that is a switch expression's arm), so that pair is left out.
 */
class CorpusThroughTransformerTest {
    private static final String DIR = "validation/targets/";

    @TestFactory
    Stream<DynamicTest> everyTargetRunsAsCompiledWhenWoven() throws IOException, URISyntaxException {
        Path root = Path.of(getClass().getClassLoader().getResource(DIR).toURI());
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(root)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("Target.java")).sorted().forEach(names::add);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (TestCompiler compiler : List.of(TestCompiler.javac17(), TestCompiler.ecj())) {
            for (String name : names) {
                if (compiler.name().equals("ecj") && name.equals("IntSwitchTarget.java")) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(name + " by " + compiler.name(), () -> run(compiler, root, name)));
            }
        }
        return tests.stream();
    }

    private static void run(TestCompiler compiler, Path root, String file) throws Exception {
        String source = Files.readString(root.resolve(file));
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put(DIR + file, source);
        sources.put(DIR + "Sources.java", Files.readString(root.resolve("Sources.java")));
        Map<String, byte[]> compiled = compiler.compile(sources);
        ClassHierarchy hierarchy = ClassHierarchy.ofBytes(compiled, ClassHierarchy.of(TestCompiler.testClasspath()));
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> entry : compiled.entrySet()) {
            if (new String(entry.getValue(), StandardCharsets.ISO_8859_1).contains("Ldev/weft/Async;")) {
                classes.putAll(AsyncTransformer.transform(entry.getValue(), hierarchy).classes());
            } else {
                classes.put(entry.getKey(), entry.getValue());
            }
        }
        String dump = System.getProperty("weft.dump");
        if (dump != null) {
            for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
                Path out = Path.of(dump, compiler.name(), entry.getKey() + ".class");
                Files.createDirectories(out.getParent());
                Files.write(out, entry.getValue());
            }
        }
        String expected = source.substring(source.indexOf("/* Expected output:") + "/* Expected output:".length(),
                source.lastIndexOf("*/")).strip();
        for (boolean fast : new boolean[] {false, true}) {
            ClassLoader loader = new ByteArrayClassLoader("weft-test", classes,
                    CorpusThroughTransformerTest.class.getClassLoader());
            for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
                Woven.verify(entry.getKey(), entry.getValue(), loader);
            }
            loader.loadClass("validation.targets.Sources").getField("fast").setBoolean(null, fast);
            Class<?> target = loader.loadClass("validation.targets." + file.replace(".java", ""));
            PrintStream saved = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                Object coroutine = target.getMethod("main").invoke(null);
                dev.weft.runtime.Aio.run((dev.weft.runtime.Coroutine<?>) coroutine, dev.weft.runtime.Clock.virtual());
            } finally {
                System.setOut(saved);
            }
            assertEquals(expected, out.toString(StandardCharsets.UTF_8).strip().replace("\r", ""), file + (fast ? " fast" : " slow"));
        }
    }
}
