package dev.weft.runtime.kernel;

/** What a {@link Poller} runs, on the loop's thread, when a registered channel is ready. */
@FunctionalInterface
public interface IoCallback {
    /**
     * Called on the loop's thread for a ready registration.
     *
     * @param key      the registration
     * @param readyOps the operations the channel is ready for, among those it is registered for
     */
    void ready(PollKey key, int readyOps);
}
