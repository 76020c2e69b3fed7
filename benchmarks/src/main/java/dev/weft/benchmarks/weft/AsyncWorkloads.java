package dev.weft.benchmarks.weft;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;
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

    /** The two inboxes of the ping-pong; each side replaces its own inbox before waking the other. */
    static final class Mailboxes {
        Future<Integer> toPing;
        Future<Integer> toPong;
    }

    @Async
    static Coroutine<Void> ping(Mailboxes m, int rounds) {
        EventLoop loop = getRunningLoop();
        for (int i = 0; i < rounds; i++) {
            Future<Integer> reply = loop.createFuture();
            m.toPing = reply;
            m.toPong.setResult(i);
            int back = await(reply);
            if (back != i) {
                throw new AssertionError("pong answered " + back + " to " + i);
            }
        }
        return done();
    }

    @Async
    static Coroutine<Void> pong(Mailboxes m, int rounds) {
        EventLoop loop = getRunningLoop();
        Future<Integer> inbox = m.toPong;
        for (int i = 0; i < rounds; i++) {
            int v = await(inbox);
            inbox = loop.createFuture();
            m.toPong = inbox;
            m.toPing.setResult(v);
        }
        return done();
    }

    /**
     * Two tasks hand a number back and forth {@code hops} times through {@code Future} hand-offs:
     * each hop creates a future, completes the other side's and resumes it on the next loop turn.
     * (Weft's queues are not built yet; with them this becomes the two-queue ping-pong of the
     * design's table.)
     *
     * @param hops how many hand-offs in all, both directions counted
     * @return a coroutine completing when both tasks are done
     */
    @Async
    public static Coroutine<Void> pingPong(int hops) {
        Mailboxes m = new Mailboxes();
        m.toPong = getRunningLoop().createFuture();
        Task<Void> pongTask = createTask(pong(m, hops / 2));
        Task<Void> pingTask = createTask(ping(m, hops / 2));
        await(pingTask);
        await(pongTask);
        return done();
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
}
