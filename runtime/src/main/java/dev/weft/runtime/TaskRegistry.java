package dev.weft.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tasks of one loop that are not done: an intrusive doubly linked list through the tasks' own
 * {@code prevLive}/{@code nextLive} fields, so that adding and removing a task allocates nothing
 * and costs O(1). Confined to the loop's thread, like the loop.
 */
final class TaskRegistry {
    private Task<?> head;
    private int count;
    private int ids;

    /** The number of the next task, for its default name {@code Task-N}. */
    int nextId() {
        return ++ids;
    }

    void add(Task<?> t) {
        t.nextLive = head;
        if (head != null) {
            head.prevLive = t;
        }
        head = t;
        count++;
    }

    void remove(Task<?> t) {
        Task<?> p = t.prevLive;
        Task<?> n = t.nextLive;
        if (p != null) {
            p.nextLive = n;
        } else if (head == t) {
            head = n;
        }
        if (n != null) {
            n.prevLive = p;
        }
        t.prevLive = null;
        t.nextLive = null;
        count--;
    }

    Set<Task<?>> all() {
        Set<Task<?>> all = new LinkedHashSet<>();
        for (Task<?> t = head; t != null; t = t.nextLive) {
            all.add(t);
        }
        return all;
    }

    /**
     * The live tasks, oldest first. From another thread the links may change under the walk: the
     * list is then a best-effort snapshot, cut short where a task just finished, never longer than
     * the count allows.
     */
    List<Task<?>> snapshot() {
        List<Task<?>> list = new ArrayList<>();
        int bound = Math.max(count, 0) + 1024;
        for (Task<?> t = head; t != null && list.size() < bound; t = t.nextLive) {
            list.add(t);
        }
        Collections.reverse(list);
        return list;
    }

    int size() {
        return count;
    }

    /** Reports each task still pending, which nothing can finish once the loop is closed. */
    void reportPending(EventLoop loop) {
        for (Task<?> t = head; t != null; t = t.nextLive) {
            loop.callExceptionHandler(new ExceptionContext("Task was destroyed but it is pending: task " + t.getName()
                    + " never finished; cancel it (Aio.run does) or await it before closing the loop", null, t, null, t));
        }
    }
}
