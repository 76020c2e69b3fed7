package dev.weft.weaver.internal.transform;

/**
 * Code the weave cannot rewrite although it is valid bytecode: a shape no Java compiler we know
 * writes, but one could. It is the user's to work around, so {@link AsyncTransformer} reports it
 * as a build error at {@link #line()}, and the other classes are still woven; it is never an
 * internal fault.
 */
final class UnweavableShapeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;

    /**
     * @param line    the source line of the code concerned, or -1 when the class has no line numbers
     * @param message what the code does and what to write instead, as a sentence for the user
     */
    UnweavableShapeException(int line, String message) {
        super(message);
        this.line = line;
    }

    /** The source line of the code concerned, or -1 when the class has no line numbers. */
    int line() {
        return line;
    }
}
