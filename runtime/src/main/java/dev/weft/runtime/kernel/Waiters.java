package dev.weft.runtime.kernel;

import dev.weft.runtime.Future;

/** The futures a transport or server hands to those waiting for it to drain or close. */
public final class Waiters {
    private Waiters() {
    }

    /**
     * Completes every waiter not done yet: with {@code null}, or with {@code failure} when one is
     * given (the connection was lost with it).
     *
     * @param waiters the waiters, or null for none
     * @param failure the failure to complete them with, or null
     */
    public static void settle(Iterable<Future<Void>> waiters, Exception failure) {
        if (waiters == null) {
            return;
        }
        for (Future<Void> w : waiters) {
            if (!w.isDone()) {
                if (failure == null) {
                    w.setResult(null);
                } else {
                    w.setException(failure);
                }
            }
        }
    }
}
