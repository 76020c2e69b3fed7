package dev.weft.runtime;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * Weft's JFR events, and the code that fills them. Every method here is called only while
 * {@link Jfr#on} is true, so that this class and its events load only once a recording runs; each
 * asks its event type whether the recordings enable it, the {@code new}-then-{@code isEnabled()}
 * pattern whose event the JIT's escape analysis removes when they do not.
 *
 * <p>All four are off by default ({@code @Enabled(false)}): a recording that does not name them, a
 * profile running in production say, neither records them nor times a callback for them. The
 * loop is identified by its identity hash code, the same number for every event of one loop.
 */
final class JfrEvents {
    private static final String CATEGORY = "Weft";

    private JfrEvents() {
    }

    /** Makes the event types known to JFR, so a recording's metadata lists them from its start. */
    static void register() {
        FlightRecorder.register(TaskCreated.class);
        FlightRecorder.register(TaskFinished.class);
        FlightRecorder.register(SlowCallback.class);
        FlightRecorder.register(LoopStall.class);
    }

    @Name("dev.weft.TaskCreated")
    @Label("Task Created")
    @Description("A task was made on an event loop; the stack trace is where")
    @Category(CATEGORY)
    @Enabled(false)
    static final class TaskCreated extends Event {
        @Label("Loop")
        @Description("The event loop's identity hash code")
        int loop;
        @Label("Task Id")
        @Description("The task's number on its loop, the N of its default name Task-N")
        int taskId;
        @Label("Task Name")
        String taskName;
        @Label("Coroutine")
        @Description("The coroutine the task drives: the @Async method's class and name")
        String coroutine;
        @Label("Parent Task Id")
        @Description("The id of the task that was running when this one was made; 0 outside a task")
        int parentTaskId;
    }

    @Name("dev.weft.TaskFinished")
    @Label("Task Finished")
    @Description("A task returned, failed or was cancelled")
    @Category(CATEGORY)
    @Enabled(false)
    @StackTrace(false)
    static final class TaskFinished extends Event {
        @Label("Loop")
        @Description("The event loop's identity hash code")
        int loop;
        @Label("Task Id")
        int taskId;
        @Label("Task Name")
        String taskName;
        @Label("Outcome")
        @Description("result, failed or cancelled")
        String outcome;
        @Label("Exception Class")
        @Description("The class of the failure, for a task that failed")
        Class<?> exceptionClass;
        @Label("Message")
        @Description("The failure's message, or the cancel message")
        String message;
    }

    @Name("dev.weft.SlowCallback")
    @Label("Slow Callback")
    @Description("A callback or task step that ran longer than the threshold, which blocks the loop meanwhile")
    @Category(CATEGORY)
    @Enabled(false)
    @StackTrace(false)
    @Threshold("100 ms")
    static final class SlowCallback extends Event {
        @Label("Loop")
        @Description("The event loop's identity hash code")
        int loop;
        @Label("Callback")
        @Description("The callback, or the step of a task as the task stood after it")
        String callback;
        @Label("Task Id")
        @Description("The task whose step it was; 0 for a plain callback")
        int taskId;
        @Label("Task Name")
        String taskName;
    }

    @Name("dev.weft.LoopStall")
    @Label("Loop Stall")
    @Description("A loop iteration that ran callbacks longer than the threshold between two polls, "
            + "so that I/O, timers and new work waited that long")
    @Category(CATEGORY)
    @Enabled(false)
    @StackTrace(false)
    @Threshold("100 ms")
    static final class LoopStall extends Event {
        @Label("Loop")
        @Description("The event loop's identity hash code")
        int loop;
        @Label("Callbacks")
        @Description("The callbacks and task steps the iteration ran")
        int callbacks;
        @Label("Ready After")
        @Description("The callbacks scheduled during the iteration, which wait for the next one")
        int readyAfter;
    }

    static void taskCreated(Task<?> task) {
        TaskCreated e = new TaskCreated();
        if (e.isEnabled()) {
            e.loop = System.identityHashCode(task.loop);
            e.taskId = task.id();
            e.taskName = task.getName();
            Coroutine<?> c = task.getCoroutine();
            e.coroutine = c == null ? null : c.describe();
            Task<?> parent = task.loop.currentTask();
            e.parentTaskId = parent == null ? 0 : parent.id();
            e.commit();
        }
    }

    static void taskFinished(Task<?> task) {
        TaskFinished e = new TaskFinished();
        if (e.isEnabled()) {
            e.loop = System.identityHashCode(task.loop);
            e.taskId = task.id();
            e.taskName = task.getName();
            Object v = task.value;
            switch (task.state) {
                case Future.RESULT -> e.outcome = "result";
                case Future.FAILED -> {
                    e.outcome = "failed";
                    e.exceptionClass = v.getClass();
                    e.message = text(() -> ((Throwable) v).getMessage());
                }
                default -> {
                    e.outcome = "cancelled";
                    e.message = (String) v;
                }
            }
            e.commit();
        }
    }

    /** The longest text an event field takes from user code. */
    private static final int MAX_TEXT = 256;

    /**
     * A text that user code makes (a message, a callback's {@code toString}), for an event: cut to
     * {@value #MAX_TEXT} characters, and never a failure, so that recording cannot change what
     * the program does.
     */
    static String text(java.util.function.Supplier<String> user) {
        String s;
        try {
            s = user.get();
        } catch (Throwable t) {
            return "<" + t.getClass().getName() + " while describing it>";
        }
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "...";
    }

    /** Runs one entry of the ready queue, timed when slow callbacks are recorded. */
    static void run(EventLoop loop, Object entry) {
        SlowCallback e = new SlowCallback();
        if (!e.isEnabled()) {
            loop.runEntry(entry);
            return;
        }
        e.begin();
        loop.runEntry(entry);
        e.end();
        if (e.shouldCommit()) {
            e.loop = System.identityHashCode(loop);
            if (entry instanceof Task<?> t) {
                // The task's name and method only: its toString would show its value, user code.
                e.callback = "step of task " + t.getName() + text(() -> t.waitingAt());
                e.taskId = t.id();
                e.taskName = t.getName();
            } else {
                e.callback = text(() -> String.valueOf(entry));
            }
            e.commit();
        }
    }

    /**
     * Starts timing an iteration, after the poll.
     *
     * @return the stall event to end, or null when stalls are not recorded
     */
    static Object iterationStarted() {
        LoopStall e = new LoopStall();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    /** Ends the iteration {@link #iterationStarted()} timed: it is recorded if over the threshold. */
    static void iterationEnded(Object stall, EventLoop loop, int callbacks, int readyAfter) {
        LoopStall e = (LoopStall) stall;
        e.end();
        if (e.shouldCommit()) {
            e.loop = System.identityHashCode(loop);
            e.callbacks = callbacks;
            e.readyAfter = readyAfter;
            e.commit();
        }
    }
}
