package dev.weft.runtime.kernel;

/**
 * Throws any throwable, a checked one too, without wrapping it, so that an await throws what
 * failed: the runtime's one sneaky throw.
 *
 * <pre>{@code
 * } catch (Throwable t) {
 *     throw Sneaky.raise(t);
 * }
 * }</pre>
 */
public final class Sneaky {
    private Sneaky() {
    }

    /**
     * Throws {@code t} as it is. The return type only lets a caller write {@code throw}, so that
     * javac knows the statement does not complete.
     *
     * @param <E> the type javac takes the throw for; inferred as {@code RuntimeException}
     * @param t   what to throw
     * @return never
     * @throws E always: {@code t} itself
     */
    @SuppressWarnings("unchecked")
    public static <E extends Throwable> RuntimeException raise(Throwable t) throws E {
        throw (E) t;
    }
}
