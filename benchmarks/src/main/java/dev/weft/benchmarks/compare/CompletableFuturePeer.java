package dev.weft.benchmarks.compare;

import static dev.weft.benchmarks.compare.Workloads.CHAIN_DEPTH;
import static dev.weft.benchmarks.compare.Workloads.CHAIN_REPEATS;
import static dev.weft.benchmarks.compare.Workloads.PINGPONG_HOPS;
import static dev.weft.benchmarks.compare.Workloads.SLEEPERS;
import static dev.weft.benchmarks.compare.Workloads.SLEEP_SECONDS;
import static dev.weft.benchmarks.compare.Workloads.SPAWN_TASKS;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The hand-written {@code CompletableFuture} peer: the comparison's workloads as the callback
 * chains one writes without coroutines, on one single-thread executor that plays the event loop,
 * so that, as in Weft, every step runs on one thread and a hand-off goes through a queue.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.weft.benchmarks.compare.CompletableFuturePeer spawn pingpong chain sleepers}
 */
public final class CompletableFuturePeer {
    private static final String PEER = "completable-future";
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "completable-future-loop");
        t.setDaemon(true);
        return t;
    });

    private CompletableFuturePeer() {
    }

    /**
     * Runs the named workloads and prints their results.
     *
     * @param args workload names
     */
    public static void main(String[] args) {
        CompletableFuturePeer peer = new CompletableFuturePeer();
        for (String workload : args) {
            switch (workload) {
                case "spawn" -> Workloads.result(PEER, "spawn", Workloads.medianOfRounds(() -> peer.onLoop(peer::spawnRound)), "ns/task");
                case "pingpong" -> Workloads.result(PEER, "pingpong", Workloads.medianOfRounds(() -> peer.onLoop(peer::pingPongRound)), "ns/hop");
                case "chain" -> Workloads.result(PEER, "chain", Workloads.medianOfRounds(() -> peer.onLoop(peer::chainRound)), "ns/level");
                case "sleepers" -> peer.sleepers();
                default -> throw Workloads.unknownWorkload(CompletableFuturePeer.class, workload);
            }
        }
        peer.loop.shutdown();
    }

    /** Starts a round on the loop thread and waits for the cost per operation it completes with. */
    private double onLoop(Supplier<CompletableFuture<Double>> round) {
        return CompletableFuture.supplyAsync(round, loop).thenCompose(f -> f).join();
    }

    private CompletableFuture<Double> spawnRound() {
        long start = System.nanoTime();
        @SuppressWarnings({"unchecked", "rawtypes"})
        CompletableFuture<Integer>[] tasks = new CompletableFuture[SPAWN_TASKS];
        for (int i = 0; i < SPAWN_TASKS; i++) {
            tasks[i] = CompletableFuture.supplyAsync(() -> 1, loop);
        }
        return CompletableFuture.allOf(tasks).thenApply(ignored -> {
            long sum = 0;
            for (CompletableFuture<Integer> t : tasks) {
                sum += t.join();
            }
            if (sum != SPAWN_TASKS) {
                throw new AssertionError("spawn gathered " + sum);
            }
            return Workloads.nanosPer(start, SPAWN_TASKS);
        });
    }

    /** The two sides of the ping-pong; each side's inbox is replaced after every hop. */
    private final class PingPong {
        final int rounds = PINGPONG_HOPS / 2;
        final CompletableFuture<Double> finished = new CompletableFuture<>();
        final long start = System.nanoTime();
        CompletableFuture<Integer> pingInbox;
        CompletableFuture<Integer> pongInbox = new CompletableFuture<>();

        void ping(int i) {
            if (i == rounds) {
                finished.complete(Workloads.nanosPer(start, rounds * 2L));
                return;
            }
            CompletableFuture<Integer> reply = new CompletableFuture<>();
            pingInbox = reply;
            pongInbox.complete(i);
            // Async, through the loop: a synchronous dependent would recurse once per hop.
            reply.thenAcceptAsync(v -> ping(i + 1), loop);
        }

        void pong(int i) {
            pongInbox.thenAcceptAsync(v -> {
                pongInbox = new CompletableFuture<>();
                pingInbox.complete(v);
                if (i + 1 < rounds) {
                    pong(i + 1);
                }
            }, loop);
        }
    }

    private CompletableFuture<Double> pingPongRound() {
        PingPong p = new PingPong();
        p.pong(0);
        p.ping(0);
        return p.finished;
    }

    private static CompletableFuture<Integer> level(int depth, CompletableFuture<Integer> leaf) {
        return depth == 0 ? leaf : level(depth - 1, leaf).thenApply(v -> v + 1);
    }

    private CompletableFuture<Double> chainRound() {
        long start = System.nanoTime();
        for (int r = 0; r < CHAIN_REPEATS; r++) {
            CompletableFuture<Integer> leaf = new CompletableFuture<>();
            CompletableFuture<Integer> top = level(CHAIN_DEPTH, leaf);
            leaf.complete(0);
            if (top.join() != CHAIN_DEPTH) {
                throw new AssertionError("chain gave " + top.join());
            }
        }
        return CompletableFuture.completedFuture(Workloads.nanosPer(start, (long) CHAIN_REPEATS * CHAIN_DEPTH));
    }

    private void sleepers() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
        long before = Workloads.usedHeapAfterGc();
        long nanos = Math.round(SLEEP_SECONDS * 1e9);
        long start = System.nanoTime();
        CompletableFuture<?>[] sleepers = new CompletableFuture<?>[SLEEPERS];
        for (int i = 0; i < SLEEPERS; i++) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            timers.schedule(() -> f.complete(null), nanos, TimeUnit.NANOSECONDS);
            sleepers[i] = f;
        }
        long peak = Workloads.usedHeapAfterGc();
        CompletableFuture.allOf(sleepers).join();
        double wall = (System.nanoTime() - start) / 1e9;
        timers.shutdown();
        Workloads.result(PEER, "sleepers-wall", wall, "s");
        Workloads.result(PEER, "sleepers-heap", (double) (peak - before) / SLEEPERS, "B/task");
    }
}
