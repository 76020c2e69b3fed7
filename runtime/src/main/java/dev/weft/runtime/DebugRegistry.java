package dev.weft.runtime;

import dev.weft.runtime.kernel.Unrecorded;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debug mode's record of coroutines made on one loop's thread and not started yet, with where
 * they were made, for the report at close; and the count, for the whole JVM, of loops that are
 * running in debug mode, which a coroutine's constructor reads.
 *
 * <p>A coroutine is only recorded by a loop running on the thread that makes it, so a loop counts
 * only while it runs: from the start of {@link EventLoop#runForever()} to its end, or from
 * {@link EventLoop#setDebug(boolean)} during a run. A debug loop that stops, or is dropped without
 * being closed, therefore leaves nothing switched on for the rest of the JVM.
 */
final class DebugRegistry {
    /** Loops running in debug mode: while none is, a coroutine's constructor records nothing. */
    static final AtomicInteger DEBUG_LOOPS = new AtomicInteger();
    /** Past this many records, those already started are swept out, at each doubling. */
    private static final int SWEEP_FROM = 1024;

    private final List<Unawaited> unawaited = new ArrayList<>();
    /** The bodies of the async generators made while in debug mode, with where. */
    private final List<Unawaited> generators = new ArrayList<>();
    /** Whether this loop is in {@link #DEBUG_LOOPS}; guarded by this object. */
    private boolean counted;

    private record Unawaited(Coroutine<?> coroutine, Throwable site) {
    }

    /**
     * Brings the loop's place in the count in line with whether it runs in debug mode now. Called
     * by the loop when it starts and stops running and when debug mode changes, maybe from another
     * thread: the lock makes the last call win, so that the count cannot keep a stopped loop.
     */
    synchronized void update(EventLoop loop) {
        boolean count = loop.isDebug() && loop.isRunning();
        if (count != counted) {
            counted = count;
            DEBUG_LOOPS.addAndGet(count ? 1 : -1);
        }
    }

    /** Called by {@link Coroutine}'s constructor while some loop runs in debug mode. */
    static void created(Coroutine<?> coroutine) {
        if (coroutine instanceof Unrecorded) {
            return;
        }
        EventLoop loop = EventLoop.runningOrNull();
        if (loop != null && loop.isDebug()) {
            loop.debugRegistry().record(coroutine);
        }
    }

    private void record(Coroutine<?> coroutine) {
        List<Unawaited> list = unawaited;
        if (list.size() >= SWEEP_FROM && Integer.bitCount(list.size()) == 1) {
            list.removeIf(u -> u.coroutine().owner != null);
        }
        list.add(new Unawaited(coroutine, new Throwable("coroutine created here")));
    }

    /** Called by {@link Generator}'s constructor: its body is reported if it is dropped unfinished. */
    static void generatorMade(Coroutine<?> body) {
        EventLoop loop = EventLoop.runningOrNull();
        if (loop != null && loop.isDebug()) {
            List<Unawaited> list = loop.debugRegistry().generators;
            if (list.size() >= SWEEP_FROM && Integer.bitCount(list.size()) == 1) {
                list.removeIf(u -> u.coroutine().owner == Coroutine.FINISHED);
            }
            list.add(new Unawaited(body, new Throwable("async generator created here")));
        }
    }

    /**
     * Reports the coroutines that nothing ever started, and the async generators never iterated or
     * left unfinished: nothing can await or close them after close.
     */
    void reportUnawaited(EventLoop loop) {
        java.util.Set<Coroutine<?>> bodies = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Unawaited g : generators) {
            bodies.add(g.coroutine());
            Object owner = g.coroutine().owner;
            if (owner == null) {
                loop.callExceptionHandler(new ExceptionContext("async generator " + g.coroutine().describe()
                        + " was never iterated: await its hasNext(), or do not call it", g.site(), null, null, null));
            } else if (owner != Coroutine.FINISHED) {
                loop.callExceptionHandler(new ExceptionContext("async generator " + g.coroutine().describe()
                        + " was dropped unfinished, so its finally blocks never ran: close it (await(g.aclose()), or "
                        + "try-with-resources in an @Async method) when you stop early", g.site(), null, null, null));
            }
        }
        generators.clear();
        for (Unawaited u : unawaited) {
            if (u.coroutine().owner == null && !bodies.contains(u.coroutine())) {
                loop.callExceptionHandler(new ExceptionContext("coroutine " + u.coroutine().describe() + " was never "
                        + "awaited: await it, or wrap it in createTask", u.site(), null, null, null));
            }
        }
        unawaited.clear();
    }
}
