package dev.weft.runtime;

/**
 * What an {@code @Async} method returns when it produces values: Python's async generator. Inside
 * the method, {@code emit(v);} hands {@code v} to the consumer and waits until the consumer asks
 * for the next value; {@code return finish();} ends it; {@code await} works between emits.
 *
 * <pre>{@code
 * @Async
 * static AsyncGenerator<Integer> ticker(int n) {
 *     for (int i = 0; i < n; i++) {
 *         emit(i);
 *         await(sleep(0.1));
 *     }
 *     return finish();
 * }
 *
 * for (AsyncIterator<Integer> it = ticker(3); await(it.hasNext()); ) {   // async for i in ticker(3)
 *     System.out.println(it.next());
 * }
 * }</pre>
 *
 * <p>Lazy: nothing runs before the first {@link #hasNext()} is awaited. The body runs inside the
 * consumer's task, each time the consumer awaits {@code hasNext()}, so a cancellation of the
 * consumer reaches the generator where it waits, as in CPython. A failure of the body is thrown at
 * that {@code await(it.hasNext())}. {@link #aclose()} on an unfinished generator resumes it with
 * {@link GeneratorExit} at its {@code emit}, so its {@code finally} blocks and closes run (awaits
 * included); a generator that emits while closing makes {@code aclose()} fail with
 * {@link IllegalStateException} (Python's {@code RuntimeError}). Outside {@code @Async} code,
 * {@link #close()} starts that close in a task of the running loop.
 *
 * @param <T> the type of the values
 */
public interface AsyncGenerator<T> extends AsyncIterator<T> {
}
