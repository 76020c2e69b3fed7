package dev.weft.runtime;

/**
 * Thrown at the {@code emit} where a generator waits when it is closed early
 * ({@link AsyncGenerator#aclose()}): Python's {@code GeneratorExit}. An {@link Error}, so that
 * {@code catch (Exception e)} in the generator does not swallow it; let it pass (a {@code finally}
 * block runs on the way), and do not {@code emit} again.
 */
public class GeneratorExit extends Error {
    private static final long serialVersionUID = 1L;

    /** A generator exit with no message. */
    public GeneratorExit() {
        super("the async generator was closed", null, false, false);
    }
}
