package dev.weft.runtime;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * The failures of one loop's futures that nobody has retrieved yet, so that none is lost: each is
 * reported when its future is garbage collected unretrieved, as Python does, or at the latest when
 * the loop closes. Confined to the loop's thread.
 */
final class LostFailures {
    private final EventLoop loop;
    private final ReferenceQueue<Future<?>> collected = new ReferenceQueue<>();
    private Unobserved head;
    private int count;

    LostFailures(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * A failure nobody has retrieved yet. It refers to its future weakly, and the future holds it
     * in its waiters field until someone retrieves the failure.
     */
    static final class Unobserved extends WeakReference<Future<?>> {
        final Throwable failure;
        final String name;
        /** The failure's trace when the future failed, for its awaiters' async traces; see {@link AsyncTrace}. */
        StackTraceElement[] trace;
        Unobserved prev;
        Unobserved next;
        boolean linked;

        Unobserved(Future<?> f, ReferenceQueue<Future<?>> queue) {
            super(f, queue);
            this.failure = (Throwable) f.value;
            this.name = f instanceof Task<?> t ? t.getName() : null;
            this.trace = AsyncTrace.snapshot(failure);
        }
    }

    /** Starts tracking the failure of {@code f}, which has just failed. */
    Unobserved track(Future<?> f) {
        Unobserved u = new Unobserved(f, collected);
        u.next = head;
        if (head != null) {
            head.prev = u;
        }
        head = u;
        u.linked = true;
        count++;
        return u;
    }

    /** Someone retrieved the failure: it is no longer reported. */
    void observed(Unobserved u) {
        unlink(u);
        u.clear();
    }

    /** Whether any failure is tracked: the loop looks for collected futures only then. */
    boolean any() {
        return count > 0;
    }

    private void unlink(Unobserved u) {
        if (!u.linked) {
            return;
        }
        if (u.prev != null) {
            u.prev.next = u.next;
        } else {
            head = u.next;
        }
        if (u.next != null) {
            u.next.prev = u.prev;
        }
        u.prev = null;
        u.next = null;
        u.linked = false;
        count--;
    }

    /** Reports the failures whose futures were collected without anyone retrieving them. */
    void reportCollected() {
        Reference<? extends Future<?>> r;
        while ((r = collected.poll()) != null) {
            Unobserved u = (Unobserved) r;
            if (u.linked) {
                unlink(u);
                report(u, null);
            }
        }
    }

    /** Reports every failure not retrieved so far, then forgets them; the loop's close calls it. */
    void reportAll() {
        reportCollected();
        while (head != null) {
            Unobserved u = head;
            Future<?> f = u.get();
            unlink(u);
            u.clear();
            if (f != null) {
                f.retrieved = true;
                if (f.waiters == u) {
                    f.waiters = null;
                }
            }
            report(u, f);
        }
    }

    private void report(Unobserved u, Future<?> f) {
        String msg = u.name != null ? "Task exception was never retrieved: task " + u.name + " failed with "
                + u.failure + " and nobody awaited it" : "Future exception was never retrieved: " + u.failure;
        loop.callExceptionHandler(new ExceptionContext(msg, u.failure, f instanceof Task<?> t ? t : null, null, f));
    }
}
