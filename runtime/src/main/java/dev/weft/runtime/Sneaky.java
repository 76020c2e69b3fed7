package dev.weft.runtime;

/** Throws any throwable, a checked one too, without wrapping it: await throws what failed. */
final class Sneaky {
    private Sneaky() {
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E raise(Throwable t) throws E {
        throw (E) t;
    }
}
