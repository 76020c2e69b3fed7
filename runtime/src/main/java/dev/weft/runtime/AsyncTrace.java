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
 * <p>A future hands every awaiter the trace the failure had when the future failed, plus that
 * awaiter's own chain, as CPython's {@code Future.result()} re-raises with the traceback it
 * stored: two tasks awaiting one failed task do not see each other's chains.
 *
 * <p>Nothing here runs unless something fails: every call site sits behind a null or state test
 * that the path without failure takes anyway. Nothing here may fail either: a failure whose trace
 * cannot be read or written (a mock, a frozen trace, no memory left) is delivered as it is.
 */
final class AsyncTrace {
    /** The class named by the boundary element, which marks where the real stack ends. */
    static final String BOUNDARY_CLASS = "weft.async";
    /** The method named by the boundary element; its file is the task's name. */
    static final String BOUNDARY_METHOD = "task";
    /** The method of the element that stands for the frames left out of a chain too long to write. */
    static final String OMITTED_METHOD = "omitted";
    /** The most chain elements written for one task: its innermost and outermost halves are kept. */
    static final int MAX_CHAIN = 1024;
    /**
     * The longest trace extended: a failure past it (one instance thrown again and again, each
     * time through new awaits) is delivered without a new chain, so it grows no further.
     */
    static final int MAX_TRACE = 4096;

    private AsyncTrace() {
    }

    /**
     * Writes task {@code task}'s await chain from the suspended frame {@code frame}, which is
     * about to receive {@code failure} at its await, after {@code base} (the trace the failure had
     * when its future failed), or after its current trace when {@code base} is null.
     */
    static void delivered(Throwable failure, Coroutine<?> frame, Task<?> task, StackTraceElement[] base) {
        try {
            StackTraceElement[] own = base != null ? base : failure.getStackTrace();
            if (own != null) {
                write(failure, task, own, suspendedChain(frame));
            }
            holds(task.loop, failure, frame);
        } catch (Throwable unwritable) {
            // The failure is delivered as it is: a trace is never a reason to lose it.
        }
    }

    /**
     * For the drive loop: {@code frame}, resumed from the loop, threw {@code failure}, which its
     * caller {@code caller} is about to receive at its await. The caller is on no Java stack, so
     * the chain from it is written, unless the failure already carries it: it came into
     * {@code frame} with this task's chain and goes straight on out (the loop remembers which
     * frame holds the failure it last wrote), or the chain it carries last already names the
     * caller. A frame that throws a failure made elsewhere (a stored one, a {@code result()}) is
     * not in the failure's real frames, so the chain then starts at the frame itself.
     */
    static void rethrown(Throwable failure, Coroutine<?> frame, Coroutine<?> caller, Task<?> task) {
        EventLoop loop = task.loop;
        if (loop.chainedFailure == failure && loop.chainedHolder == frame) {
            loop.chainedHolder = caller;
            return;
        }
        try {
            StackTraceElement[] own = failure.getStackTrace();
            if (own == null) {
                return;
            }
            // The drive loop has unlinked the frame from its caller already: the chain goes on from the caller.
            boolean fromFrame = !hasResumeOf(own, frame) && !frame.isRuntimeGlue();
            Coroutine<?> first = fromFrame ? frame : firstShown(caller);
            if (first != null && !lastChainHolds(own, first.stackElement())) {
                List<StackTraceElement> chain = new ArrayList<>();
                if (fromFrame) {
                    chain.add(frame.stackElement());
                }
                chain.addAll(suspendedChain(caller));
                write(failure, task, own, chain);
            }
            holds(loop, failure, caller);
        } catch (Throwable unwritable) {
            // Delivered as it is.
        }
    }

    /**
     * As {@link #delivered}, for a failure thrown at once by an await of the running frame
     * {@code self} (a done future's, a completed stage's): the frames that run on the Java stack,
     * from {@code self} out to the one the task resumed, are read from the Java stack, which knows
     * their lines; the suspended rest from the line tables.
     *
     * @param base the trace to extend; null for the failure's real frames (the part before its
     *             first boundary), for a failure from outside the loop that others await too
     * @return {@code failure}, for the caller's {@code throw}
     */
    static Throwable thrownAt(Throwable failure, Coroutine<?> self, StackTraceElement[] base) {
        if (!(self.owner instanceof Task<?> task)) {
            return failure;
        }
        try {
            StackTraceElement[] own = base != null ? base : realPart(failure.getStackTrace());
            if (own == null) {
                return failure;
            }
            List<StackTraceElement> chain = new ArrayList<>();
            // The running frames: self and the frames that started it inline, out to the task's
            // innermost, which the drive loop resumed.
            Coroutine<?> outermostRunning = task.innermost;
            Coroutine<?> rest;
            Coroutine<?> holder;
            if (outermostRunning != null && onChain(self, outermostRunning)) {
                chain.addAll(StackWalker.getInstance().walk(AsyncTrace::bodies));
                rest = outermostRunning.caller;
                // Unwinding on the Java stack, it leaves the running frames from the outermost.
                holder = outermostRunning;
            } else {
                // Not the shape the drive loop makes (a frame started from a callback): the tables only.
                rest = self;
                holder = self;
            }
            chain.addAll(suspendedChain(rest));
            write(failure, task, own, chain);
            holds(task.loop, failure, holder);
        } catch (Throwable unwritable) {
            // Delivered as it is.
        }
        return failure;
    }

    /**
     * The trace of a failure as its future fails, kept for every awaiter: null when it cannot be
     * read, which leaves each awaiter the failure's trace as it finds it.
     */
    static StackTraceElement[] snapshot(Throwable failure) {
        try {
            return failure.getStackTrace();
        } catch (Throwable unreadable) {
            return null;
        }
    }

    /** The frames before the first boundary: where the failure was made. */
    static StackTraceElement[] realPart(StackTraceElement[] trace) {
        if (trace == null) {
            return null;
        }
        for (int i = 0; i < trace.length; i++) {
            if (isBoundary(trace[i])) {
                return Arrays.copyOf(trace, i);
            }
        }
        return trace;
    }

    /** The loop forgets a failure it remembered, once its task is done with it. */
    static void forget(EventLoop loop, Throwable failure) {
        if (loop.chainedFailure == failure) {
            loop.chainedFailure = null;
            loop.chainedHolder = null;
        }
    }

    private static void holds(EventLoop loop, Throwable failure, Coroutine<?> holder) {
        loop.chainedFailure = failure;
        loop.chainedHolder = holder;
    }

    private static boolean isBoundary(StackTraceElement e) {
        return e != null && BOUNDARY_CLASS.equals(e.getClassName()) && BOUNDARY_METHOD.equals(e.getMethodName());
    }

    /** Whether the real frames show {@code frame}'s state machine running: it made the failure, or was on the stack. */
    private static boolean hasResumeOf(StackTraceElement[] trace, Coroutine<?> frame) {
        String name = frame.getClass().getName();
        for (StackTraceElement e : trace) {
            if (isBoundary(e)) {
                return false;
            }
            if (e != null && name.equals(e.getClassName()) && "resume".equals(e.getMethodName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the chain after the last boundary names {@code element}'s method, at any line: the
     * failure came into that frame with this chain written (and the frame may have awaited
     * something else since, in a {@code finally}, before it threw the failure on).
     */
    private static boolean lastChainHolds(StackTraceElement[] trace, StackTraceElement element) {
        // The real frames are no chain: a recursive or overloaded method's frame there says nothing
        // of the awaits above it.
        for (int i = trace.length - 1; i >= 0; i--) {
            StackTraceElement e = trace[i];
            if (isBoundary(e)) {
                return false;
            }
            if (e == element || e != null && e.getMethodName().equals(element.getMethodName())
                    && e.getClassName().equals(element.getClassName())) {
                return hasBoundaryBefore(trace, i);
            }
        }
        return false;
    }

    private static boolean hasBoundaryBefore(StackTraceElement[] trace, int index) {
        for (int i = index - 1; i >= 0; i--) {
            if (isBoundary(trace[i])) {
                return true;
            }
        }
        return false;
    }

    private static Coroutine<?> firstShown(Coroutine<?> from) {
        int n = 0;
        for (Coroutine<?> c = from; c != null && n++ < MAX_TRACE; c = c.caller) {
            if (!c.isRuntimeGlue()) {
                return c;
            }
        }
        return null;
    }

    private static boolean onChain(Coroutine<?> from, Coroutine<?> target) {
        int n = 0;
        for (Coroutine<?> c = from; c != null && n++ < 1_000_000; c = c.caller) {
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

    private static List<StackTraceElement> suspendedChain(Coroutine<?> from) {
        List<StackTraceElement> chain = new ArrayList<>();
        // Bounded against a torn or cyclic chain; a real one this long is a recursion gone far.
        int n = 0;
        for (Coroutine<?> c = from; c != null && n++ < 1_000_000; c = c.caller) {
            if (!c.isRuntimeGlue()) {
                chain.add(c.stackElement());
            }
        }
        return chain;
    }

    private static void write(Throwable failure, Task<?> task, StackTraceElement[] own, List<StackTraceElement> chain) {
        if (own.length >= MAX_TRACE) {
            return;
        }
        List<StackTraceElement> shown = chain;
        if (chain.size() > MAX_CHAIN) {
            int half = MAX_CHAIN / 2;
            shown = new ArrayList<>(chain.subList(0, half));
            shown.add(new StackTraceElement(BOUNDARY_CLASS, OMITTED_METHOD, (chain.size() - 2 * half) + " frames", -1));
            shown.addAll(chain.subList(chain.size() - half, chain.size()));
        }
        StackTraceElement[] trace = Arrays.copyOf(own, own.length + 1 + shown.size());
        trace[own.length] = new StackTraceElement(BOUNDARY_CLASS, BOUNDARY_METHOD, task.getName(), -1);
        for (int i = 0; i < shown.size(); i++) {
            trace[own.length + 1 + i] = shown.get(i);
        }
        failure.setStackTrace(trace);
    }
}
