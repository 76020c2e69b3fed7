package dev.weft.runtime;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Every event loop of the JVM that is not closed, held weakly, for the inspection of a live process
 * from outside ({@code ps}/{@code pstree} on Weft's command line). A loop costs one entry when it is
 * made and nothing afterwards: no task, step or await touches this list. Entries of loops that were
 * closed or collected are swept out when the list has doubled since the last sweep, so a program
 * that makes a loop per job keeps it short.
 */
final class LoopRegistry {
    private static final List<Entry> LOOPS = new ArrayList<>();
    /** The loops made so far; also each loop's number, from 1. Guarded by {@link #LOOPS}. */
    private static int made;
    /** Past this size the next add sweeps. Guarded by {@link #LOOPS}. */
    private static int sweepAt = 16;

    private LoopRegistry() {
    }

    /** A loop, weakly, with its number. */
    static final class Entry extends WeakReference<EventLoop> {
        final int number;

        Entry(EventLoop loop, int number) {
            super(loop);
            this.number = number;
        }
    }

    /** Called once by each loop's constructor. */
    static void add(EventLoop loop) {
        synchronized (LOOPS) {
            if (LOOPS.size() >= sweepAt) {
                LOOPS.removeIf(e -> {
                    EventLoop l = e.get();
                    return l == null || l.isClosed();
                });
                sweepAt = Math.max(16, 2 * LOOPS.size());
            }
            LOOPS.add(new Entry(loop, ++made));
        }
    }

    /** The entries now, in the order the loops were made; some may have been closed or collected since. */
    static List<Entry> entries() {
        synchronized (LOOPS) {
            return new ArrayList<>(LOOPS);
        }
    }

    /** How many loops the JVM has made: 0 when it never used Weft's runtime. */
    static int made() {
        synchronized (LOOPS) {
            return made;
        }
    }
}
