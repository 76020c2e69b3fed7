package dev.weft.runtime;

/**
 * A callback scheduled with {@link EventLoop#callSoon(Runnable)} (or one of its relatives), which
 * can be cancelled until it runs.
 */
public class Handle {
    final EventLoop loop;
    final Runnable callback;
    boolean cancelled;

    Handle(EventLoop loop, Runnable callback) {
        this.loop = loop;
        this.callback = callback;
    }

    /**
     * Cancels the callback if it has not run yet; cancelling twice does nothing.
     */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Whether {@link #cancel()} was called.
     *
     * @return true once cancelled
     */
    public boolean isCancelled() {
        return cancelled;
    }

    void run() {
        if (!cancelled) {
            callback.run();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + callback + (cancelled ? ", cancelled]" : "]");
    }
}
