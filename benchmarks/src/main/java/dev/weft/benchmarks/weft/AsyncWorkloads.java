package dev.weft.benchmarks.weft;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.emit;
import static dev.weft.runtime.Aio.finish;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.AsyncGenerator;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;
import dev.weft.runtime.TaskGroup;
import dev.weft.runtime.sync.Lock;
import dev.weft.runtime.sync.Queue;
import dev.weft.runtime.sync.Semaphore;
import java.util.ArrayList;
import java.util.List;

/**
 * Weft's side of every workload, written as a user writes {@code @Async} code. The JMH suite and
 * the peer comparison both run these methods, so the numbers of the two agree on what they
 * measure. Each method checks its own outcome, so a weave that computes the wrong thing fails the
 * run instead of producing a fast number.
 */
public final class AsyncWorkloads {
    private AsyncWorkloads() {
    }

    /**
     * A task body that returns at once: what the spawn workload creates.
     *
     * @return a coroutine producing 1
     */
    @Async
    public static Coroutine<Integer> immediate() {
        return result(1);
    }

    /**
     * Spawns {@code n} tasks that return at once, then gathers them.
     *
     * @param n how many tasks
     * @return a coroutine producing the sum of the results, {@code n}
     */
    @Async
    public static Coroutine<Long> spawnAndGather(int n) {
        List<Task<Integer>> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tasks.add(createTask(immediate()));
        }
        List<Integer> results = await(gather(tasks));
        long sum = 0;
        for (int v : results) {
            sum += v;
        }
        if (sum != n) {
            throw new AssertionError("spawn gathered " + sum + " instead of " + n);
        }
        return result(sum);
    }

    /**
     * A child of the task-group workload: counts itself and returns at once.
     *
     * @param counter a one-element counter the children share
     * @return a coroutine completing at once
     */
    @Async
    static Coroutine<Void> countUp(int[] counter) {
        counter[0]++;
        return done();
    }

    /**
     * Creates {@code n} tasks that return at once in a {@link TaskGroup}, then leaves the group's
     * block, whose close waits for all of them: Python's {@code async with TaskGroup() as tg} with
     * {@code tg.create_task} in a loop.
     *
     * @param n how many tasks
     * @return a coroutine producing {@code n}
     */
    @Async
    public static Coroutine<Integer> taskGroupSpawn(int n) {
        int[] counter = new int[1];
        try (TaskGroup group = new TaskGroup()) {
            for (int i = 0; i < n; i++) {
                group.createTask(countUp(counter));
            }
        }
        if (counter[0] != n) {
            throw new AssertionError("the group ran " + counter[0] + " of " + n + " tasks");
        }
        return result(n);
    }

    /**
     * One task of the semaphore fan-out: takes a permit, yields one loop iteration while it holds
     * it, and gives it back.
     *
     * @param permits the semaphore the tasks share
     * @param state   two counters: the tasks holding a permit now, and the tasks done
     * @param limit   how many may hold a permit at once, which the task checks
     * @return a coroutine completing once the permit is given back
     */
    @Async
    static Coroutine<Void> limited(Semaphore permits, int[] state, int limit) {
        await(permits.acquire());
        try {
            if (++state[0] > limit) {
                throw new AssertionError(state[0] + " tasks hold one of " + limit + " permits");
            }
            await(sleep(0));
            state[0]--;
        } finally {
            permits.release();
        }
        state[1]++;
        return done();
    }

    /**
     * Fans out {@code n} tasks that share a {@code Semaphore(permits)}: each acquires, yields once
     * while holding its permit, and releases; then gathers them. At most {@code permits} run their
     * middle part at a time, the others queue on the semaphore in FIFO order.
     *
     * @param n       how many tasks
     * @param permits the semaphore's start value
     * @return a coroutine producing {@code n}
     */
    @Async
    public static Coroutine<Integer> semaphoreFanOut(int n, int permits) {
        Semaphore semaphore = new Semaphore(permits);
        int[] state = new int[2];
        List<Task<Void>> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tasks.add(createTask(limited(semaphore, state, permits)));
        }
        await(gather(tasks));
        if (state[1] != n || state[0] != 0 || semaphore.locked()) {
            throw new AssertionError("fan-out finished " + state[1] + " of " + n + " tasks");
        }
        return result(n);
    }

    /**
     * Awaits an already-done future {@code n} times in a loop: the fast path of {@code await}.
     *
     * @param doneFuture a future that is done with a value
     * @param n          how many awaits
     * @return a coroutine producing the sum of the awaited values
     */
    @Async
    public static Coroutine<Long> awaitDone(Future<Integer> doneFuture, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += await(doneFuture);
        }
        return result(sum);
    }

    @Async
    static Coroutine<Void> ping(Queue<Integer> toPong, Queue<Integer> toPing, int rounds) {
        for (int i = 0; i < rounds; i++) {
            await(toPong.put(i));
            int back = await(toPing.get());
            if (back != i) {
                throw new AssertionError("pong answered " + back + " to " + i);
            }
        }
        return done();
    }

    @Async
    static Coroutine<Void> pong(Queue<Integer> toPong, Queue<Integer> toPing, int rounds) {
        for (int i = 0; i < rounds; i++) {
            int v = await(toPong.get());
            await(toPing.put(v));
        }
        return done();
    }

    /**
     * Two tasks hand a number back and forth {@code hops} times through two
     * {@code dev.weft.runtime.sync.Queue(1)}s, as the peers do (kotlinx two {@code Channel(1)},
     * asyncio two {@code Queue(maxsize=1)}): each hop is a put that wakes the waiting getter on the
     * other side and a get that parks until the answer comes.
     *
     * @param hops how many hand-offs in all, both directions counted
     * @return a coroutine completing when both tasks are done
     */
    @Async
    public static Coroutine<Void> pingPong(int hops) {
        Queue<Integer> toPong = new Queue<>(1);
        Queue<Integer> toPing = new Queue<>(1);
        Task<Void> pongTask = createTask(pong(toPong, toPing, hops / 2));
        Task<Void> pingTask = createTask(ping(toPong, toPing, hops / 2));
        await(pingTask);
        await(pongTask);
        return done();
    }

    /**
     * Acquires and releases an uncontended lock {@code n} times in one task: the fast path of
     * {@code Lock.acquire}, which never suspends.
     *
     * @param lock a lock nobody else uses
     * @param n    how many acquire and release pairs
     * @return a coroutine producing {@code n}
     */
    @Async
    public static Coroutine<Integer> lockUnlock(Lock lock, int n) {
        int held = 0;
        for (int i = 0; i < n; i++) {
            if (await(lock.acquire())) {
                held++;
            }
            lock.release();
        }
        if (held != n || lock.locked()) {
            throw new AssertionError("acquired " + held + " of " + n + " times");
        }
        return result(held);
    }

    /**
     * Puts an item in an empty queue and gets it back {@code n} times in one task: neither the put
     * nor the get suspends.
     *
     * @param queue an empty queue nobody else uses
     * @param item  what to put
     * @param n     how many put and get pairs
     * @return a coroutine producing the sum of the items got
     */
    @Async
    public static Coroutine<Long> putGet(Queue<Integer> queue, Integer item, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            await(queue.put(item));
            sum += await(queue.get());
            queue.taskDone();
        }
        if (sum != (long) n * item || !queue.empty()) {
            throw new AssertionError("got " + sum + " instead of " + (long) n * item);
        }
        return result(sum);
    }

    /**
     * One level of the nested chain: level {@code depth} awaits level {@code depth - 1}, and
     * level 0 awaits the leaf future.
     *
     * @param depth levels below this one
     * @param leaf  the future the innermost level waits for
     * @return a coroutine producing the leaf's value plus {@code depth}
     */
    @Async
    public static Coroutine<Integer> level(int depth, Future<Integer> leaf) {
        if (depth == 0) {
            return result(await(leaf));
        }
        return result(await(level(depth - 1, leaf)) + 1);
    }

    /**
     * Builds a chain of {@code depth} nested coroutines in a task, lets it run down to the leaf and
     * suspend there, then completes the leaf so that the result climbs back through every level;
     * {@code repeats} times.
     *
     * @param depth   nesting depth
     * @param repeats how many chains, one after the other
     * @return a coroutine completing after the last chain
     */
    @Async
    public static Coroutine<Void> chain(int depth, int repeats) {
        EventLoop loop = getRunningLoop();
        for (int r = 0; r < repeats; r++) {
            Future<Integer> leaf = loop.createFuture();
            Task<Integer> top = createTask(level(depth, leaf));
            await(sleep(0));
            leaf.setResult(0);
            int v = await(top);
            if (v != depth) {
                throw new AssertionError("chain of " + depth + " gave " + v);
            }
        }
        return done();
    }

    /**
     * A task that sleeps on the loop's clock: what the one-million-sleepers program spawns.
     *
     * @param seconds how long
     * @return a coroutine completing after {@code seconds}
     */
    @Async
    public static Coroutine<Void> sleeper(double seconds) {
        await(sleep(seconds));
        return done();
    }

    /**
     * The logic the woven-against-hand-written benchmark compares: three awaits and some
     * arithmetic. {@link dev.weft.benchmarks.jmh.WovenVsCompletableFutureBenchmark} holds the same
     * logic written as a {@code CompletableFuture} chain.
     *
     * @param price    the unit price
     * @param quantity how many units
     * @param taxRate  the tax in percent
     * @return a coroutine producing the price with tax
     */
    @Async
    public static Coroutine<Integer> priceWithTax(Future<Integer> price, Future<Integer> quantity, Future<Integer> taxRate) {
        int p = await(price);
        int q = await(quantity);
        int r = await(taxRate);
        int net = p * q;
        return result(net + net * r / 100);
    }

    /**
     * Awaits {@link #priceWithTax} {@code n} times, each call a fresh coroutine run inline.
     *
     * @param price    the unit price
     * @param quantity how many units
     * @param taxRate  the tax in percent
     * @param n        how many calls
     * @return a coroutine producing the sum of the prices
     */
    @Async
    public static Coroutine<Long> pricesWithTax(Future<Integer> price, Future<Integer> quantity, Future<Integer> taxRate, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += await(priceWithTax(price, quantity, taxRate));
        }
        return result(sum);
    }

    /**
     * An async generator of the numbers {@code 0} to {@code n - 1}: a {@code long} counter, each
     * value boxed to a {@code Long} (outside the small cache past 127, so one box a value, as the
     * Kotlin and Python peers box theirs). With {@code sleepEvery} above 0, it awaits
     * {@code sleep(0)} before every {@code sleepEvery}-th value, a real suspension of the
     * consumer's task through one turn of the loop.
     *
     * @param n          how many values
     * @param sleepEvery values between two {@code sleep(0)}, or 0 for none
     * @return the generator
     */
    @Async
    public static AsyncGenerator<Long> counter(long n, int sleepEvery) {
        int untilSleep = sleepEvery;
        for (long i = 0; i < n; i++) {
            if (sleepEvery > 0 && --untilSleep == 0) {
                untilSleep = sleepEvery;
                await(sleep(0));
            }
            emit(i);
        }
        return finish();
    }

    /**
     * Consumes an async iterator of the numbers {@code 0} to {@code n - 1} as a user does,
     * {@code while (await(it.hasNext())) sum += it.next();}, and checks their sum.
     *
     * @param it the values
     * @param n  how many values it must hand over
     * @return a coroutine producing the sum
     */
    @Async
    public static Coroutine<Long> sumAll(AsyncIterator<Long> it, long n) {
        long sum = 0;
        while (await(it.hasNext())) {
            sum += it.next();
        }
        if (sum != n * (n - 1) / 2) {
            throw new AssertionError("the generator's " + n + " values summed to " + sum);
        }
        return result(sum);
    }

    /**
     * An async generator of {@code n} small numbers, {@code i & 127} for {@code i} from 0: every
     * value an {@code Integer} from the cache, so that handing it over allocates nothing and what
     * is measured is the generator alone.
     *
     * @param n how many values
     * @return the generator
     */
    @Async
    public static AsyncGenerator<Integer> smallNumbers(long n) {
        for (long i = 0; i < n; i++) {
            emit((int) (i & 127));
        }
        return finish();
    }

    /**
     * Consumes {@link #smallNumbers}{@code (n)} with {@code while (await(it.hasNext())) sum += it.next();}
     * and checks the sum.
     *
     * @param it the values
     * @param n  how many values it must hand over
     * @return a coroutine producing the sum
     */
    @Async
    public static Coroutine<Long> sumSmall(AsyncIterator<Integer> it, long n) {
        long sum = 0;
        while (await(it.hasNext())) {
            sum += it.next();
        }
        long rest = n % 128;
        if (sum != n / 128 * (127 * 128 / 2) + rest * (rest - 1) / 2) {
            throw new AssertionError("the generator's " + n + " small numbers summed to " + sum);
        }
        return result(sum);
    }
}
