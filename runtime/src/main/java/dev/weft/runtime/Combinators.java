package dev.weft.runtime;

import java.util.AbstractSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.weft.runtime.Future.CANCELLED;
import static dev.weft.runtime.Future.FAILED;
import static dev.weft.runtime.Future.RESULT;

/** The futures behind gather, waitFor, wait, asCompleted and shield; written with callbacks, not coroutines. */
final class Combinators {
    private Combinators() {
    }

    /** Runs {@code action} when {@code f} is done, on the loop, without a public Consumer. */
    static void onDone(Future<?> f, Runnable action) {
        if (f.isDone()) {
            f.loop.schedule(action);
        } else {
            f.addWaiter(action);
            if (f instanceof ParkAware<?> p) {
                p.watched();
            }
        }
    }

    /**
     * The futures that a combinator's future waits for, for {@link TaskInspector}: a gather's
     * children, a waitFor's or a shield's inner future, a wait's futures; empty for any other
     * future. Read from any thread: the lists are never changed after they are made.
     */
    static List<? extends Future<?>> awaited(Future<?> f) {
        if (f instanceof Gather g) {
            return g.children;
        }
        if (f instanceof WaitFor<?> w) {
            return List.of(w.inner);
        }
        if (f instanceof Wait<?> w) {
            return w.futures;
        }
        if (f instanceof Shield<?> s) {
            return List.of(s.inner);
        }
        return List.of();
    }

    static final class Gather extends Future<List<Object>> {
        private final List<Future<?>> children;
        private final boolean returnExceptions;
        private final Object[] results;
        private int remaining;
        private boolean cancelRequested;

        Gather(EventLoop loop, List<Future<?>> children, boolean returnExceptions) {
            super(loop);
            this.children = children;
            this.returnExceptions = returnExceptions;
            this.results = new Object[children.size()];
            this.remaining = children.size();
            if (remaining == 0) {
                complete(RESULT, new ArrayList<>());
                return;
            }
            for (int i = 0; i < children.size(); i++) {
                int index = i;
                onDone(children.get(i), () -> childDone(index));
            }
        }

        private void childDone(int index) {
            Future<?> child = children.get(index);
            remaining--;
            if (isDone()) {
                if (child.state == FAILED) {
                    child.markRetrieved();
                }
                return;
            }
            if (!returnExceptions && child.state == CANCELLED) {
                complete(CANCELLED, child.value);
                copyCancelTrace(child);
                return;
            }
            if (!returnExceptions && child.state == FAILED) {
                complete(FAILED, child.failure());
                inheritTrace(child);
                return;
            }
            results[index] = child.state == RESULT ? child.value : child.failure();
            if (remaining == 0) {
                if (cancelRequested) {
                    // As CPython, the cancellation of the last child (which carries the message that
                    // cancel() gave the children), or a plain one if it finished otherwise.
                    Future<?> last = children.get(children.size() - 1);
                    complete(CANCELLED, last.state == CANCELLED ? last.value : null);
                    copyCancelTrace(last);
                } else {
                    complete(RESULT, resultList());
                }
            }
        }

        /**
         * The results as a new list, one array and one pass: {@code new ArrayList<>(Arrays.asList(results))}
         * copies the array twice (once in {@code toArray}, once more for a list that is not an
         * {@code ArrayList}).
         */
        private List<Object> resultList() {
            List<Object> list = new ArrayList<>(results.length);
            for (Object r : results) {
                list.add(r);
            }
            return list;
        }

        @Override
        public boolean cancel(String message) {
            loop.checkThread("gather.cancel");
            if (isDone()) {
                return false;
            }
            boolean any = false;
            for (Future<?> c : children) {
                any |= c.cancel(message);
            }
            if (any) {
                cancelRequested = true;
            }
            return any;
        }
    }

    static final class WaitFor<T> extends Future<T> {
        private final Future<T> inner;
        private final TimerHandle timer;
        private boolean timedOut;

        WaitFor(EventLoop loop, Future<T> inner, double seconds) {
            super(loop);
            this.inner = inner;
            if (inner.isDone() || Double.isNaN(seconds)) {
                this.timer = null;
            } else if (seconds <= 0) {
                // CPython's "only if ready now": no time left, so a task not done yet is cancelled
                // at once (a coroutine never starts) and waited for, then TimeoutError.
                this.timer = null;
                expire();
            } else {
                this.timer = loop.callLater(seconds, this::expire);
            }
            onDone(inner, this::innerDone);
        }

        private void expire() {
            timedOut = true;
            if (!inner.cancel()) {
                timedOut = inner.isCancelled();
            }
        }

        @SuppressWarnings("unchecked")
        private void innerDone() {
            if (timer != null) {
                timer.cancel();
            }
            if (isDone()) {
                if (inner.state == FAILED) {
                    inner.markRetrieved();
                }
                return;
            }
            if (timedOut && inner.state == CANCELLED) {
                // As CPython 3.12's "raise TimeoutError from exc_val": the cause is the inner
                // cancellation, whose trace shows where the inner task was when time ran out.
                TimeoutError timeout = new TimeoutError("waitFor timed out waiting for " + inner);
                timeout.initCause(inner.newCancelledError());
                complete(FAILED, timeout);
            } else if (inner.state == RESULT) {
                complete(RESULT, (T) inner.value);
            } else if (inner.state == FAILED) {
                complete(FAILED, inner.failure());
                inheritTrace(inner);
            } else {
                complete(CANCELLED, inner.value);
                copyCancelTrace(inner);
            }
        }

        @Override
        public boolean cancel(String message) {
            loop.checkThread("waitFor.cancel");
            if (isDone()) {
                return false;
            }
            if (!inner.cancel(message)) {
                // The inner future is done but its callback has not run yet: cancel this one now,
                // else the task awaiting it would think its cancellation was delivered.
                if (timer != null) {
                    timer.cancel();
                }
                return super.cancel(message);
            }
            return true;
        }
    }

    static final class Wait<T> extends Future<Aio.WaitResult<T>> {
        private final List<Future<T>> futures;
        /** The callback registered on each future, removed from those still pending at the end. */
        private final List<Runnable> callbacks;
        private final Aio.ReturnWhen returnWhen;
        private final TimerHandle timer;
        private int remaining;

        Wait(EventLoop loop, List<Future<T>> futures, double timeout, Aio.ReturnWhen returnWhen) {
            super(loop);
            this.futures = futures;
            this.returnWhen = returnWhen;
            this.remaining = futures.size();
            if (futures.isEmpty()) {
                throw new IllegalArgumentException("wait() needs at least one awaitable");
            }
            this.timer = timeout >= 0 ? loop.callLater(timeout, this::finish) : null;
            this.callbacks = new ArrayList<>(futures.size());
            for (Future<T> f : futures) {
                Runnable callback = () -> childDone(f);
                callbacks.add(callback);
                onDone(f, callback);
            }
        }

        private void childDone(Future<T> f) {
            remaining--;
            if (isDone()) {
                return;
            }
            boolean now = remaining == 0
                    || returnWhen == Aio.ReturnWhen.FIRST_COMPLETED
                    || (returnWhen == Aio.ReturnWhen.FIRST_EXCEPTION && f.state == FAILED);
            if (now) {
                finish();
            }
        }

        private void finish() {
            if (isDone()) {
                return;
            }
            release();
            Split<T> split = new Split<>(futures);
            // Scheduled ahead of the waiters that complete() schedules: the split is made right
            // before the waiting task resumes, as CPython splits after its `await waiter`, so a
            // future done in between counts as done.
            loop.schedule(split);
            complete(RESULT, new Aio.WaitResult<>(split.new Half(true), split.new Half(false)));
        }

        /**
         * Cancels the timer and takes this wait's callbacks off the futures still pending, as
         * CPython's {@code _wait} does in its {@code finally}: a long-lived future waited on in a
         * loop must not collect one callback per call.
         */
        private void release() {
            if (timer != null) {
                timer.cancel();
            }
            for (int i = 0; i < futures.size(); i++) {
                Future<T> f = futures.get(i);
                if (!f.isDone()) {
                    f.removeWaiter(callbacks.get(i));
                }
            }
        }

        @Override
        public boolean cancel(String message) {
            boolean cancelled = super.cancel(message);
            if (cancelled) {
                release();
            }
            return cancelled;
        }
    }

    /**
     * The done and pending sets of a wait, made from its futures when it runs on the loop (just
     * before the waiting task resumes) or when one of them is first read, whichever comes first.
     */
    static final class Split<T> implements Runnable {
        private List<Future<T>> futures;
        private Set<Future<T>> done;
        private Set<Future<T>> pending;

        Split(List<Future<T>> futures) {
            this.futures = futures;
        }

        @Override
        public void run() {
            if (futures == null) {
                return;
            }
            done = new LinkedHashSet<>();
            pending = new LinkedHashSet<>();
            for (Future<T> f : futures) {
                (f.isDone() ? done : pending).add(f);
            }
            futures = null;
        }

        /** One of the two sets, as an ordinary mutable set once split. */
        final class Half extends AbstractSet<Future<T>> {
            private final boolean isDone;

            Half(boolean isDone) {
                this.isDone = isDone;
            }

            private Set<Future<T>> set() {
                run();
                return isDone ? done : pending;
            }

            @Override
            public Iterator<Future<T>> iterator() {
                return set().iterator();
            }

            @Override
            public int size() {
                return set().size();
            }

            @Override
            public boolean contains(Object o) {
                return set().contains(o);
            }

            @Override
            public boolean add(Future<T> f) {
                return set().add(f);
            }

            @Override
            public boolean remove(Object o) {
                return set().remove(o);
            }
        }
    }

    /**
     * {@code asyncio.as_completed}: the outcomes queue up in the order the awaitables finish, and
     * each slot takes the next one when it is first awaited (by a task, a done callback, gather,
     * wait), so the slot awaited first gets the first outcome whatever its place in the list, as
     * CPython's coroutines each take the next from a queue. A slot awaited when an outcome is
     * queued already completes at once.
     */
    static final class AsCompleted<T> {
        /** Stands for the deadline in the queue of outcomes. */
        private static final Future<?> TIMED_OUT = new Future<>(null);

        private final int count;
        private final double timeout;
        private final ArrayDeque<Future<?>> outcomes = new ArrayDeque<>();
        private final ArrayDeque<Slot> claimants = new ArrayDeque<>();
        /** The awaitables not finished yet; none once the deadline passed. */
        private int todo;
        /** How many were not finished at the deadline. */
        private int late;
        private TimerHandle timer;

        AsCompleted(int count, double timeout) {
            this.count = count;
            this.todo = count;
            this.timeout = timeout;
        }

        static <T> List<Future<T>> start(EventLoop loop, List<Future<T>> futures, double timeout) {
            AsCompleted<T> ac = new AsCompleted<>(futures.size(), timeout);
            List<Future<T>> slots = new ArrayList<>(futures.size());
            for (int i = 0; i < futures.size(); i++) {
                slots.add(ac.new Slot(loop));
            }
            for (Future<T> f : futures) {
                onDone(f, () -> ac.finished(f));
            }
            if (timeout >= 0 && ac.todo > 0) {
                ac.timer = loop.callLater(timeout, ac::expire);
            }
            return slots;
        }

        private void finished(Future<T> f) {
            if (todo == 0) {
                // After the deadline: nobody will take it.
                if (f.state == FAILED) {
                    f.markRetrieved();
                }
                return;
            }
            if (--todo == 0 && timer != null) {
                timer.cancel();
            }
            offer(f);
        }

        private void expire() {
            // As asyncio.as_completed: what has not finished by the deadline raises TimeoutError.
            late = todo;
            todo = 0;
            for (int i = 0; i < late; i++) {
                offer(TIMED_OUT);
            }
        }

        private void offer(Future<?> outcome) {
            Slot s = claimants.poll();
            if (s != null) {
                s.fill(outcome);
            } else {
                outcomes.add(outcome);
            }
        }

        /** A future of {@code asCompleted}'s list: pending until awaited, then the next outcome. */
        final class Slot extends ParkAware<T> {
            private boolean claimed;

            Slot(EventLoop loop) {
                super(loop);
            }

            @Override
            void park(Task<?> task) {
                addWaiter(task);
                watched();
            }

            @Override
            void watched() {
                if (claimed) {
                    return;
                }
                claimed = true;
                Future<?> outcome = outcomes.poll();
                if (outcome != null) {
                    fill(outcome);
                } else {
                    claimants.add(this);
                }
            }

            @SuppressWarnings("unchecked")
            void fill(Future<?> outcome) {
                if (outcome == TIMED_OUT) {
                    complete(FAILED, new TimeoutError("asCompleted: " + late + " of " + count
                            + " awaitables not done within " + timeout + " s"));
                } else {
                    copy((Future<T>) outcome, this);
                }
            }

            @Override
            public boolean cancel(String message) {
                boolean cancelled = super.cancel(message);
                if (cancelled) {
                    claimants.remove(this);
                }
                return cancelled;
            }
        }
    }

    @SuppressWarnings("unchecked")
    static <T> void copy(Future<T> from, Future<T> to) {
        if (to.isDone()) {
            return;
        }
        switch (from.state) {
            case RESULT -> to.complete(RESULT, from.value);
            case FAILED -> {
                to.complete(FAILED, from.failure());
                to.inheritTrace(from);
            }
            default -> {
                to.complete(CANCELLED, from.value);
                to.copyCancelTrace(from);
            }
        }
    }

    static <T> Future<T> shield(EventLoop loop, Future<T> inner) {
        if (inner.isDone()) {
            return inner;
        }
        return new Shield<>(loop, inner);
    }

    /**
     * The outer future of {@code shield}: follows the inner one unless cancelled itself. Once it is
     * cancelled it lets go of the inner future (CPython's {@code _outer_done_callback}), so a
     * failure of the inner task afterwards is reported as never retrieved, as in CPython.
     */
    static final class Shield<T> extends Future<T> {
        private final Future<T> inner;
        private final Runnable follow;

        Shield(EventLoop loop, Future<T> inner) {
            super(loop);
            this.inner = inner;
            this.follow = () -> copy(inner, this);
            inner.addWaiter(follow);
        }

        @Override
        public boolean cancel(String message) {
            boolean cancelled = super.cancel(message);
            if (cancelled && !inner.isDone()) {
                inner.removeWaiter(follow);
            }
            return cancelled;
        }
    }
}
