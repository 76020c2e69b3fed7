package dev.weft.runtime.sync;

/** Rethrows a throwable caught as such, without wrapping it. */
final class Raise {
    private Raise() {
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
