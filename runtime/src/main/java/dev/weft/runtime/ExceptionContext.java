package dev.weft.runtime;

/**
 * What went wrong where, for a loop's exception handler: the context dict of asyncio.
 *
 * <pre>{@code
 * loop.setExceptionHandler((l, context) -> log.error(context.message(), context.exception()));
 * }</pre>
 *
 * <p>This is the type the loop hands to its handler. It extends {@link EventLoop.ExceptionContext},
 * the name it had while nested in {@link EventLoop}, which holds the values; see there why the old
 * name is the superclass.
 */
public final class ExceptionContext extends EventLoop.ExceptionContext {
    /**
     * A context; any value but the message may be null.
     *
     * @param message   what happened
     * @param exception the failure, or null
     * @param task      the task involved, or null
     * @param handle    the callback's handle, or null
     * @param future    the future involved, or null
     */
    public ExceptionContext(String message, Throwable exception, Task<?> task, Handle handle, Future<?> future) {
        super(message, exception, task, handle, future);
    }

    /** The same values as {@code old}, as the type handlers receive; {@code old} itself when it is one. */
    static ExceptionContext of(EventLoop.ExceptionContext old) {
        return old instanceof ExceptionContext c ? c
                : new ExceptionContext(old.message(), old.exception(), old.task(), old.handle(), old.future());
    }
}
