package dev.weft.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Async stack traces: the await chain a failure passes through, written into its stack trace.
 *
 * <p>A failure made in one coroutine and delivered to another by the runtime (a task's failure to
 * the task awaiting it, a frame's failure to the frame that awaits it once the task was resumed
 * from the loop, a done future's failure at an await) would show only the frames that were on the
 * Java stack where it was made: the loop's, never the awaits it travels up through. At each such
 * delivery, on the failure path only, the runtime appends to the failure's stack trace a boundary
 * element {@code weft.async.task(NAME)} and then one element per coroutine of the task's await
 * chain, from the frame that receives the failure out to the task's root, each naming the user's
 * class, method, file and the line of its {@code await} (the weaver's line table, or the real
 * frame for a coroutine that runs on the Java stack). Crossing into another task appends another
 * boundary and that task's chain. The elements are plain {@code StackTraceElement}s, so Java's own
 * printing, loggers and IDEs show them.
 *
 * <p>A future hands every awaiter the trace it had when it was first delivered, plus that
 * awaiter's own chain, as CPython's {@code Future.result()} re-raises with the traceback it
 * stored: two tasks awaiting one failed task do not see each other's chains.
 *
 * <p>Nothing here runs unless something fails: every call site sits behind a null or state test
 * that the path without failure takes anyway.
 */
final class AsyncTrace {
    /** The class named by the boundary element, which marks where the real stack ends. */
    static final String BOUNDARY_CLASS = "weft.async";
    /** The method named by the boundary element; its file is the task's name. */
    static final String BOUNDARY_METHOD = "task";
    /** The most chain elements written for one task, against a torn or runaway chain. */
    private static final int MAX_CHAIN = 1024;

    private AsyncTrace() {
    }

    /**
     * Writes task {@code task}'s await chain from the suspended frame {@code frame} into
     * {@code failure}'s trace, after {@code base} (its trace as its source first handed it out),
     * and notes that this failure now carries the chain of this task.
     *
     * @param failure the failure about to be thrown at {@code frame}'s await
     * @param base    the trace to extend, or null for the failure's current one
     * @return {@code failure}, for the caller's convenience
     */
    static Throwable delivered(Throwable failure, Coroutine<?> frame, Task<?> task, StackTraceElement[] base) {
        List<StackTraceElement> chain = new ArrayList<>();
        suspendedChain(frame, chain);
        write(failure, task, base, chain);
        return failure;
    }

    /**
     * As {@link #delivered}, for a failure thrown at once by an await of the running frame
     * {@code self} (a done future's, a completed stage's): the frames that run on the Java stack,
     * from {@code self} out to the one the task resumed, are read from the Java stack, which knows
     * their lines; the suspended rest from the line tables.
     */
    static Throwable thrownAt(Throwable failure, Coroutine<?> self, StackTraceElement[] base) {
        if (!(self.owner instanceof Task<?> task)) {
            return failure;
        }
        List<StackTraceElement> chain = new ArrayList<>();
        // The running frames: self and the frames that started it inline, out to the task's
        // innermost, which the drive loop resumed. Their state-machine classes name them on the stack.
        Coroutine<?> outermostRunning = task.innermost;
        List<StackTraceElement> running = StackWalker.getInstance().walk(AsyncTrace::bodies);
        chain.addAll(running);
        Coroutine<?> rest = outermostRunning == null ? null : outermostRunning.caller;
        if (outermostRunning == null || !onChain(self, outermostRunning)) {
            // Not the shape the drive loop makes (a frame started from a callback): the tables only.
            chain.clear();
            rest = self;
        }
        suspendedChain(rest, chain);
        write(failure, task, base, chain);
        return failure;
    }

    private static boolean onChain(Coroutine<?> from, Coroutine<?> target) {
        int n = 0;
        for (Coroutine<?> c = from; c != null && n++ < MAX_CHAIN; c = c.caller) {
            if (c == target) {
                return true;
            }
        }
        return false;
    }

    /**
     * The woven bodies on the Java stack, innermost first, out to the task's drive loop: a state
     * machine's {@code resume} calls the method body the weaver kept in the user's class, so the
     * frame just inside each {@code resume} is the user's method at its real line.
     */
    private static List<StackTraceElement> bodies(Stream<StackWalker.StackFrame> frames) {
        List<StackTraceElement> bodies = new ArrayList<>();
        StackWalker.StackFrame[] inside = {null};
        frames.takeWhile(f -> !f.getClassName().equals(Task.class.getName())).forEach(f -> {
            StackWalker.StackFrame body = inside[0];
            if (body != null && f.getMethodName().equals("resume") && f.getClassName().contains(Coroutine.WOVEN_INFIX)
                    && !body.getClassName().contains(Coroutine.WOVEN_INFIX)) {
                // Without the module and loader prefix, as the chain's other elements are written.
                bodies.add(new StackTraceElement(body.getClassName(), body.getMethodName(), body.getFileName(),
                        body.getLineNumber()));
            }
            inside[0] = f;
        });
        return bodies;
    }

    private static void suspendedChain(Coroutine<?> from, List<StackTraceElement> chain) {
        int n = 0;
        for (Coroutine<?> c = from; c != null && n++ < MAX_CHAIN; c = c.caller) {
            if (!c.isRuntimeGlue()) {
                chain.add(c.stackElement());
            }
        }
    }

    private static void write(Throwable failure, Task<?> task, StackTraceElement[] base, List<StackTraceElement> chain) {
        StackTraceElement[] own = base != null ? base : failure.getStackTrace();
        StackTraceElement[] trace = Arrays.copyOf(own, own.length + 1 + chain.size());
        trace[own.length] = new StackTraceElement(BOUNDARY_CLASS, BOUNDARY_METHOD, task.getName(), -1);
        for (int i = 0; i < chain.size(); i++) {
            trace[own.length + 1 + i] = chain.get(i);
        }
        failure.setStackTrace(trace);
        EventLoop loop = task.loop;
        loop.chainedFailure = failure;
        loop.chainedTask = task;
    }

    /**
     * Whether {@code failure} already carries task {@code task}'s chain, written when it was
     * delivered into one of the task's frames and rethrown since through the frames it names.
     */
    static boolean carries(Throwable failure, Task<?> task) {
        EventLoop loop = task.loop;
        return loop.chainedFailure == failure && loop.chainedTask == task;
    }
}
