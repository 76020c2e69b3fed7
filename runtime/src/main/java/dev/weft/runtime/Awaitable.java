package dev.weft.runtime;

/**
 * Anything {@link Aio#await(Awaitable)} takes: a {@link Coroutine}, a {@link Future} or a
 * {@link Task}.
 *
 * <p>The interface is sealed: the runtime and the woven code switch on these two shapes, so an
 * await of an already-done awaitable costs a type test and a field read. To await a
 * {@link java.util.concurrent.CompletionStage} use {@link Aio#await(java.util.concurrent.CompletionStage)}
 * or convert it with {@link Future#fromStage(java.util.concurrent.CompletionStage)}.
 *
 * @param <T> the type of the value the awaitable produces
 */
public sealed interface Awaitable<T> permits Coroutine, Future {
}
