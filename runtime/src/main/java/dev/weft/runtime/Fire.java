package dev.weft.runtime;

/** A future that completes itself from the ready queue: a due sleep, or sleep(0) one iteration on. */
interface Fire {
    /** Completes the future unless something else completed it first; on the loop's thread. */
    void fire();
}
