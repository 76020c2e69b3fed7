package dev.weft.runtime;

import dev.weft.runtime.internal.LoopInfo;
import dev.weft.runtime.internal.TaskInfo;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes the snapshot that {@code ps} and {@code pstree} print: every open loop, its pending tasks,
 * and which task waits for which, read from whatever thread asks (a JMX thread of the inspected JVM).
 *
 * <p>Nothing is locked and no loop is stopped or woken, so a loop that is stuck in a callback is read
 * as it is, which is when one wants to look. The reads are those of {@link EventLoop#dumpTasks()}: a
 * task that moves meanwhile may be read torn, and a task whose fields cannot be read coherently is
 * shown with what could be read, never failing the whole snapshot.
 *
 * <p>"Waits for", as CPython 3.14's {@code awaited_by}: a task parked on another task awaits it; one
 * parked on a {@code gather}, {@code waitFor}, {@code wait} or {@code shield} awaits the tasks those
 * wait for, through any nesting; and the task running a {@link TaskGroup} block awaits each child of
 * the group for as long as the child runs, wherever the block is.
 */
final class TaskInspector {
    /** How deep combinators are followed inside each other; only a torn read could go deeper. */
    private static final int MAX_NESTING = 64;

    private TaskInspector() {
    }

    static LoopInfo[] loops() {
        List<LoopInfo> loops = new ArrayList<>();
        for (LoopRegistry.Entry e : LoopRegistry.entries()) {
            EventLoop loop = e.get();
            if (loop != null && !loop.isClosed()) {
                loops.add(loop(e.number, loop));
            }
        }
        return loops.toArray(new LoopInfo[0]);
    }

    private static LoopInfo loop(int number, EventLoop loop) {
        Thread thread = loop.thread();
        List<Task<?>> live;
        try {
            live = new ArrayList<>(loop.tasks.snapshot());
            // A task that finished since the list was read is no longer pending.
            live.removeIf(Task::isDone);
        } catch (RuntimeException torn) {
            live = List.of();
        }
        Map<Task<?>, Set<Integer>> awaitedBy = new IdentityHashMap<>();
        for (Task<?> t : live) {
            try {
                Set<Task<?>> awaited = new LinkedHashSet<>();
                collect(t.waitingOn, awaited, 0);
                for (Task<?> a : awaited) {
                    if (a != t && a.loop == loop) {
                        awaitedBy.computeIfAbsent(a, k -> new LinkedHashSet<>()).add(t.id());
                    }
                }
                Task<?> parent = groupParent(t);
                if (parent != null && parent != t && parent.loop == loop) {
                    awaitedBy.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(parent.id());
                }
            } catch (RuntimeException torn) {
                // The task moved under the read: its edges are left out of this snapshot.
            }
        }
        TaskInfo[] tasks = new TaskInfo[live.size()];
        for (int i = 0; i < tasks.length; i++) {
            Task<?> t = live.get(i);
            int[] awaiters = awaitedBy.getOrDefault(t, Set.of()).stream().mapToInt(Integer::intValue).toArray();
            String state;
            StackTraceElement[] stack;
            try {
                state = state(t);
                stack = t.getStack();
            } catch (RuntimeException torn) {
                state = "unreadable";
                stack = new StackTraceElement[0];
            }
            tasks[i] = new TaskInfo(t.id(), t.getName(), state, stack, awaiters);
        }
        return new LoopInfo(number, thread == null ? "" : thread.getName(), tasks);
    }

    /**
     * The dump's state without its {@code pending, } prefix (every listed task is pending), read
     * without running user code: a future is named by its kind and state, never by its
     * {@code toString}, which would show its value (a user's {@code toString} may block on a lock
     * the stuck loop holds).
     */
    private static String state(Task<?> t) {
        Future<?> w = t.waitingOn;
        if (w == null || w instanceof Task<?>) {
            String s = t.stateForDump();
            return s.startsWith("pending, ") ? s.substring("pending, ".length()) : s;
        }
        String done = w.isDone() ? "done" : "pending";
        return w instanceof SleepFuture sleep ? "awaits sleep until " + sleep.dueNanos() / 1e9 + " [" + done + "]"
                : "awaits Future[" + done + "]";
    }

    private static void collect(Future<?> f, Set<Task<?>> into, int depth) {
        if (f == null || depth > MAX_NESTING) {
            return;
        }
        if (f instanceof Task<?> t) {
            into.add(t);
            return;
        }
        for (Future<?> inner : Combinators.awaited(f)) {
            collect(inner, into, depth + 1);
        }
    }

    /** The task running the block of the group that made {@code child}, found by its done callback. */
    private static Task<?> groupParent(Task<?> child) {
        Object w = child.waiters;
        if (w instanceof Object[] many) {
            for (Object o : many) {
                Task<?> parent = groupParentOf(o);
                if (parent != null) {
                    return parent;
                }
            }
            return null;
        }
        return groupParentOf(w);
    }

    private static Task<?> groupParentOf(Object waiter) {
        return waiter instanceof Future.DoneCallback<?> d && d.callback instanceof TaskGroup.ChildDone c ? c.parent() : null;
    }
}
