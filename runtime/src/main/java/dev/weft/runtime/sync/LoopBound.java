package dev.weft.runtime.sync;

import dev.weft.runtime.Aio;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Task;

/**
 * What every primitive of this package shares: CPython's {@code mixins._LoopBoundMixin}, and the
 * thread check that the loop's own methods make.
 *
 * <p>A primitive remembers the thread of its first mutating call; when a loop ran on that thread,
 * a mutating call from any other thread fails at once from then on (one comparison on the path
 * that passes). A primitive used first outside any loop (a queue filled before {@code Aio.run},
 * say) is not checked until it is used on a loop's thread. It binds to an {@link EventLoop} when
 * it first has to wait, as CPython does, and refuses to wait on any other loop afterwards.
 */
abstract class LoopBound {
    /** The loop whose futures the waiters are; null until something had to wait. */
    private EventLoop loop;
    /** The thread of the first mutating call; null before. */
    private Thread thread;
    /** True while {@link #thread} ran no loop when it was recorded, so that it proves nothing. */
    private boolean provisional;

    LoopBound() {
    }

    /**
     * Fails unless the caller runs on the thread that uses this primitive.
     *
     * @param what the method, for the message, as {@code Lock.release}
     */
    final void checkThread(String what) {
        if (thread != Thread.currentThread()) {
            checkThreadSlowly(what);
        }
    }

    private void checkThreadSlowly(String what) {
        Thread me = Thread.currentThread();
        EventLoop running = runningLoopOrNull();
        if (thread == null || provisional || (running != null && running == loop)) {
            // First use, a use outside any loop before, or the bound loop now runs on this thread.
            thread = me;
            provisional = running == null;
            return;
        }
        throw new IllegalStateException(what + " called from thread " + me.getName() + " but " + this
                + " is used by the event loop on thread " + thread.getName()
                + ": use callSoonThreadsafe to hand work to that loop");
    }

    private static EventLoop runningLoopOrNull() {
        Task<?> task = Aio.currentTask();
        if (task != null) {
            return task.getLoop();
        }
        try {
            return Aio.getRunningLoop();
        } catch (IllegalStateException noLoop) {
            return null;
        }
    }

    /**
     * The running loop, which this primitive binds to on first use: CPython's {@code _get_loop}.
     *
     * @return the running loop
     * @throws IllegalStateException outside a running loop, or in a loop other than the bound one
     */
    final EventLoop loop() {
        EventLoop running = Aio.getRunningLoop();
        if (loop == null) {
            loop = running;
            thread = Thread.currentThread();
            provisional = false;
        } else if (loop != running) {
            throw new IllegalStateException(this + " is bound to a different event loop");
        }
        return running;
    }
}
