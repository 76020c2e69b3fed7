/**
 * Synchronization between the tasks of one event loop: Python's asyncio locks and queues.
 *
 * <p>{@link dev.weft.runtime.sync.Lock}, {@link dev.weft.runtime.sync.Event},
 * {@link dev.weft.runtime.sync.Condition}, {@link dev.weft.runtime.sync.Semaphore},
 * {@link dev.weft.runtime.sync.BoundedSemaphore}, {@link dev.weft.runtime.sync.Barrier} and the
 * queues {@link dev.weft.runtime.sync.Queue}, {@link dev.weft.runtime.sync.PriorityQueue} and
 * {@link dev.weft.runtime.sync.LifoQueue} follow CPython 3.13's {@code asyncio} semantics: waiters
 * are served first in, first out; a waiter cancelled after it was woken passes the wake-up on; a
 * cancelled acquire never leaves a lock held. Every method that waits returns a lazy
 * {@link dev.weft.runtime.Coroutine}: nothing happens until it is awaited.
 *
 * <p>None of them is thread-safe, as in Python: they belong to one loop, and a mutating call from
 * another thread fails at once. Hand work to the loop with
 * {@link dev.weft.runtime.EventLoop#callSoonThreadsafe(Runnable)}. {@code async with lock:} is
 * spelled {@code try (Held held = await(lock.hold())) { ... }}.
 */
package dev.weft.runtime.sync;
