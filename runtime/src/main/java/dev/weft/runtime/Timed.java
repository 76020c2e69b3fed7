package dev.weft.runtime;

/** An entry of the loop's timer heap: a {@link TimerHandle}'s entry or a sleeping future. */
interface Timed {
    /** Due time on the loop's clock, in nanoseconds. */
    long dueNanos();

    /** Insertion order, so that timers due at the same time run first in, first out. */
    int seq();

    /** Position in the heap, or -1: only entries removed eagerly on cancel need to know it. */
    int heapIndex();

    /** Set by the heap as the entry moves; -1 when it leaves the heap. */
    void heapIndex(int index);

    /** True once the entry need not fire any more and only waits to be dropped. */
    boolean isGarbage();

    /** Runs the timer's action; called on the loop's thread once it is due. */
    void expire();
}
