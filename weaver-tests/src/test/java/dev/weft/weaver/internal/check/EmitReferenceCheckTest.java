package dev.weft.weaver.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.testing.TestCompiler;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A method reference to {@code Aio.emit} ({@code Aio::emit}) in an async generator makes a function
 * that emits outside the generator's body, as a lambda that emits does, and as {@code Aio::await}
 * makes one that awaits outside any {@code @Async} method: the build refuses those two at their
 * line, and must refuse this one too, instead of weaving it into code whose first call throws
 * "emit() ran unwoven" at run time.
 */
class EmitReferenceCheckTest {
    static Stream<TestCompiler> compilers() {
        return Stream.of(TestCompiler.javac17(), TestCompiler.ecj());
    }

    private static final String SOURCE = """
            package demo;

            import dev.weft.Async;
            import dev.weft.runtime.AsyncGenerator;
            import static dev.weft.runtime.Aio.*;

            class Refs {
                @Async
                static AsyncGenerator<Integer> all(java.util.List<Integer> items) {
                    items.forEach(dev.weft.runtime.Aio::emit); //@ref
                    return finish();
                }
            }
            """;

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void aMethodReferenceToEmitInAnAsyncGeneratorIsAnErrorAtItsLine(TestCompiler compiler) {
        List<Diagnostic> found = ShapeCheckerTest.check(compiler, "demo/Refs.java", SOURCE);
        List<Diagnostic> errors = found.stream().filter(Diagnostic::isError).toList();
        assertEquals(1, errors.size(), () -> "Aio::emit was not refused: " + found);
        assertEquals(ShapeCheckerTest.line(SOURCE, "ref"), errors.get(0).line(), errors::toString);
        assertTrue(errors.get(0).message().contains("emit"), errors::toString);
    }
}
