package dev.weft.runtime.sync;

/** A primitive that {@link Held} releases: a lock, a semaphore or a condition. */
interface Releasable {
    /** Releases one acquisition. */
    void release();
}
