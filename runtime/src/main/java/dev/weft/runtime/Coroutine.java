package dev.weft.runtime;

import dev.weft.runtime.internal.Woven;

/**
 * What an {@code @Async} method returns: one run of its body, not started yet.
 *
 * <p>As in Python, calling an {@code @Async} method runs nothing. The coroutine runs when it is
 * awaited (inside the awaiting task, with no hop through the event loop) or when
 * {@link Aio#createTask(Coroutine)} wraps it in a {@link Task} that the loop drives concurrently. A
 * coroutine can be awaited once; awaiting it again fails with {@link IllegalStateException}.
 *
 * <p>Subclasses are written by the weaver, one per {@code @Async} method; the protocol between the
 * two is specified in {@link Woven}. User code never extends this class.
 *
 * @param <T> the type of the value the coroutine produces
 */
public abstract non-sealed class Coroutine<T> implements Awaitable<T> {
    static {
        dev.weft.runtime.kernel.Engine.install(new EngineImpl());
    }

    /** The value of {@link #owner} once the body has returned or thrown. */
    static final Object FINISHED = new Object();

    /** The frame that awaits this one and is resumed with its outcome; null for a task's root. */
    Coroutine<?> caller;
    /**
     * Null before the coroutine starts, the {@link Task} that drives it while it runs, then
     * {@link #FINISHED}. One field for the state and the task keeps a state machine at 8 bytes
     * of runtime fields beside its header, which the one-million-sleepers budget counts.
     */
    Object owner;

    /** For subclasses written by the weaver (and by hand in the runtime's own tests). */
    // Debug mode records the coroutine (strongly, with where it was made, until the loop closes or
    // the record is swept once started) before the subclass's fields are set, and reads none of
    // them until the coroutine is reported later.
    @SuppressWarnings("this-escape")
    protected Coroutine() {
        if (DebugRegistry.DEBUG_LOOPS.get() != 0) {
            DebugRegistry.created(this);
        }
    }

    /**
     * For {@link Generator.Emit}, a coroutine in type only, which nothing ever starts: debug mode
     * has nothing to record of it, so each value emitted skips the read of the debug count.
     */
    Coroutine(Generator.Emit unrecorded) {
    }

    /**
     * Runs the body from where it last stopped. Called by the runtime only, never by user code.
     *
     * @param value   the value of the await the body stopped at (null on the first call)
     * @param failure the failure to throw at that await instead, or null
     * @return the coroutine's result, or {@link Woven#SUSPENDED} when the body stopped at an await
     * @throws Throwable the body's own failure, which completes the coroutine exceptionally
     */
    protected abstract Object resume(Object value, Throwable failure) throws Throwable;

    /**
     * Whether this coroutine has run to its end. A coroutine that has not been awaited or wrapped
     * in a task is not done.
     *
     * @return true once the body has returned or thrown
     */
    public final boolean isDone() {
        return owner == FINISHED;
    }

    /**
     * Names the method the weaver wrote this coroutine for, for diagnostics (task dumps, debug
     * mode, the report of a coroutine that was never awaited).
     *
     * @return a description such as {@code Fetch.fetchData}; the class name by default
     */
    protected String describe() {
        return getClass().getName();
    }

    /**
     * The source line of the await this coroutine is stopped at, for task stacks
     * ({@link Task#getStack()}). The weaver writes it from a table of the method's await lines;
     * while the body runs it is the line of the await it last resumed from, or the method's first
     * line before its first await.
     *
     * @return the line, or 0 or less when unknown (the default, and the answer of a state machine
     *         woven before the weaver wrote line tables)
     */
    protected int awaitLine() {
        return -1;
    }

    /**
     * The source file of the method this coroutine runs, for task stacks. The weaver overrides it
     * only where this default, the top-level class of {@link #describe()} plus {@code .java}, is
     * wrong.
     *
     * @return a file name such as {@code Fetch.java}, or null when unknown
     */
    protected String sourceFile() {
        String d = describe();
        int dot = d.lastIndexOf('.');
        if (dot <= 0 || !isJavaName(d, 0, dot)) {
            return null;
        }
        int dollar = d.indexOf('$');
        return d.substring(0, dollar > 0 && dollar < dot ? dollar : dot) + ".java";
    }

    /**
     * This frame as a stack trace element: the host class, the method, the file and the line of
     * the await it is stopped at. A coroutine the weaver did not write (the runtime's own) is named
     * by its class, with its {@link #describe()} text as the method.
     */
    final StackTraceElement stackElement() {
        Class<?> type = getClass();
        if (!type.getName().contains(WOVEN_INFIX)) {
            return newStackElement(safeAwaitLine());
        }
        // A woven frame's element depends on its class and line only: built once per await line,
        // so that a failure's chain, written at every cancellation, costs a lookup a frame.
        Elements known = ELEMENTS.get(type);
        int line = safeAwaitLine();
        StackTraceElement e = known.get(line);
        if (e == null) {
            e = newStackElement(line);
            known.put(line, e);
        }
        return e;
    }

    private int safeAwaitLine() {
        try {
            return awaitLine();
        } catch (RuntimeException e) {
            // Read from another thread while the body moves on: a torn label is no reason to fail a dump.
            return -1;
        }
    }

    private static final ClassValue<Elements> ELEMENTS = new ClassValue<>() {
        @Override
        protected Elements computeValue(Class<?> type) {
            return new Elements();
        }
    };

    /** The stack trace elements of one woven class, by await line: a copy-on-write table, safe to read racily. */
    private static final class Elements {
        private volatile Object[] table = {new int[0], new StackTraceElement[0]};

        StackTraceElement get(int line) {
            Object[] t = table;
            int[] lines = (int[]) t[0];
            for (int i = 0; i < lines.length; i++) {
                if (lines[i] == line) {
                    return ((StackTraceElement[]) t[1])[i];
                }
            }
            return null;
        }

        synchronized void put(int line, StackTraceElement e) {
            if (get(line) != null) {
                return;
            }
            Object[] t = table;
            int[] lines = java.util.Arrays.copyOf((int[]) t[0], ((int[]) t[0]).length + 1);
            StackTraceElement[] elements = java.util.Arrays.copyOf((StackTraceElement[]) t[1], lines.length);
            lines[lines.length - 1] = line;
            elements[lines.length - 1] = e;
            table = new Object[] {lines, elements};
        }
    }

    private StackTraceElement newStackElement(int line) {
        String d = describe();
        int dot = d.lastIndexOf('.');
        String pkg = getClass().getPackageName();
        String file;
        try {
            file = sourceFile();
        } catch (RuntimeException e) {
            // Read from another thread while the body moves on: a torn state is no reason to fail a dump.
            file = null;
        }
        if (dot <= 0 || d.equals(getClass().getName()) || !isJavaName(d, 0, dot) || !isJavaName(d, dot + 1, d.length())) {
            return new StackTraceElement(getClass().getName(), d.equals(getClass().getName()) ? "resume" : d, null, -1);
        }
        String host = pkg.isEmpty() ? d.substring(0, dot) : pkg + "." + d.substring(0, dot);
        return new StackTraceElement(host, d.substring(dot + 1), file, line > 0 ? line : -1);
    }

    /**
     * Whether this is one of the runtime's own coroutines, written by hand and not woven (an async
     * generator's step, a completed value), which task stacks leave out between the user's frames.
     */
    final boolean isRuntimeGlue() {
        String name = getClass().getName();
        return name.startsWith("dev.weft.runtime.") && !name.contains(WOVEN_INFIX);
    }

    /** What every state machine's class name holds, woven or written by hand to the weaver's pattern. */
    static final String WOVEN_INFIX = "$weft$";

    private static boolean isJavaName(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Coroutine[" + describe() + (owner == FINISHED ? ", done]" : owner != null ? ", running]" : ", not started]");
    }
}
