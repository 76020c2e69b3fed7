package dev.weft.runtime;

/** An entry of the loop's timer heap: a {@link TimerHandle} or a sleeping future. */
interface Timed {
    /** Due time on the loop's clock, in nanoseconds. */
    long dueNanos();

    /** Insertion order, so that timers due at the same time run first-in first-out. */
    long seq();

    /** Position in the heap, -1 when not in it. */
    int heapIndex();

    /** Set by the heap as the entry moves. */
    void heapIndex(int index);

    /** Runs the timer's action; called on the loop's thread once it is due. */
    void expire();
}
