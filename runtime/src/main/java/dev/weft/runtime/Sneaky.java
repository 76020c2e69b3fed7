package dev.weft.runtime;

/**
 * {@link dev.weft.runtime.kernel.Sneaky#raise}, under the name that {@link Future} calls from this
 * package; the rest of the runtime calls the kernel's directly.
 */
final class Sneaky {
    private Sneaky() {
    }

    static <E extends Throwable> E raise(Throwable t) throws E {
        throw dev.weft.runtime.kernel.Sneaky.<E>raise(t);
    }
}
