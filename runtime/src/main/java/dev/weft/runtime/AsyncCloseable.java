package dev.weft.runtime;

/**
 * A resource whose close is asynchronous: Python's {@code async with}, spelled as Java's
 * try-with-resources.
 *
 * <p>Inside an {@code @Async} method, the weaver turns {@code close()} on a value whose static type
 * implements this interface into {@code await(x.aclose())}, so a try-with-resources block waits for
 * the close as {@code async with} waits for {@code __aexit__}. When the block's body threw, the close
 * is {@code await(x.aclose(thrown))}, which hands the closer the body's failure: a closer that fails
 * with an exception holding {@code thrown} (in its cause chain, or among
 * {@link ExceptionGroup#exceptions()}) supersedes the body's failure, as {@code __aexit__} may; any other
 * failure of the close is suppressed in {@code thrown}, as Java does.
 *
 * <p>Outside {@code @Async} code {@link #close()} is ordinary Java: each type says what it does there
 * (it starts closing without waiting where that is possible, and throws
 * {@link IllegalStateException} where it is not).
 */
public interface AsyncCloseable extends AutoCloseable {
    /**
     * Closes, Python's {@code __aexit__(None, None, None)}.
     *
     * @return an awaitable that completes when the resource is closed
     */
    Awaitable<Void> aclose();

    /**
     * Closes after the body of the {@code async with} failed, Python's {@code __aexit__(type, exc, tb)}.
     * By default the failure is ignored and this is {@link #aclose()}.
     *
     * @param failure what the body threw
     * @return an awaitable that completes when the resource is closed, or fails with what supersedes
     *         {@code failure}
     */
    default Awaitable<Void> aclose(Throwable failure) {
        return aclose();
    }

    /**
     * The close of code that cannot wait: outside {@code @Async} methods. Narrowed to throw no checked
     * exception.
     */
    @Override
    void close();
}
