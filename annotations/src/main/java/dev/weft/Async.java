package dev.weft;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a coroutine, the Java spelling of Python's {@code async def}.
 *
 * <p>An {@code @Async} method returns {@code dev.weft.runtime.Coroutine<T>}. At build time the Weft
 * weaver rewrites it into a state machine whose {@code await(...)} calls are suspension points:
 *
 * <pre>{@code
 * @Async
 * static Coroutine<String> fetchData(int id, double seconds) {
 *     await(sleep(seconds));               // suspends; the loop runs other tasks meanwhile
 *     return result("Data from " + id);    // completes the coroutine with a value
 * }
 * }</pre>
 *
 * <p>Calling the method runs nothing: it returns a lazy coroutine that runs when it is awaited or
 * wrapped in a task with {@code Aio.createTask}. The weaver reports misuse (an {@code @Async}
 * constructor, a non-{@code Coroutine} return type, {@code await} under {@code synchronized}) as a
 * build error naming the source file and line.
 *
 * <p>Retention is {@link RetentionPolicy#CLASS}: the weaver reads it from class files, nothing reads
 * it at run time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Async {
}
