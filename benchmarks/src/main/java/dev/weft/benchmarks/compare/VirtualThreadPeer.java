package dev.weft.benchmarks.compare;

import static dev.weft.benchmarks.compare.Workloads.CHAIN_DEPTH;
import static dev.weft.benchmarks.compare.Workloads.CHAIN_REPEATS;
import static dev.weft.benchmarks.compare.Workloads.PINGPONG_HOPS;
import static dev.weft.benchmarks.compare.Workloads.SLEEPERS;
import static dev.weft.benchmarks.compare.Workloads.SLEEP_SECONDS;
import static dev.weft.benchmarks.compare.Workloads.SPAWN_TASKS;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * The JDK virtual threads peer: the comparison's workloads written as plain blocking code, one
 * virtual thread per task.
 *
 * <p>The module is compiled for Java 17, so the two Java 21 entry points ({@code Thread.ofVirtual()}
 * and {@code Executors.newVirtualThreadPerTaskExecutor()}) are looked up once by reflection; the
 * objects they return are Java 17 types and everything measured calls them directly.
 * {@code compare.sh} runs this class on a JDK 21 or newer.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.weft.benchmarks.compare.VirtualThreadPeer spawn pingpong chain sleepers}
 */
public final class VirtualThreadPeer {
    private static final String PEER = "virtual-threads";
    private final ThreadFactory factory;

    private VirtualThreadPeer(ThreadFactory factory) {
        this.factory = factory;
    }

    /**
     * Runs the named workloads and prints their results.
     *
     * @param args workload names
     * @throws Exception when a workload fails, or when the JDK has no virtual threads
     */
    public static void main(String[] args) throws Exception {
        ThreadFactory factory;
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            factory = (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("VirtualThreadPeer needs a JDK 21 or newer; this is Java "
                    + Runtime.version() + ". Run it with the JDK that compare.sh names (WEFT_JDK21PLUS).", e);
        }
        VirtualThreadPeer peer = new VirtualThreadPeer(factory);
        for (String workload : args) {
            switch (workload) {
                case "spawn" -> Workloads.result(PEER, "spawn", Workloads.medianOfRounds(peer::spawnRound), "ns/task");
                case "pingpong" -> Workloads.result(PEER, "pingpong", Workloads.medianOfRounds(peer::pingPongRound), "ns/hop");
                case "chain" -> Workloads.result(PEER, "chain", Workloads.medianOfRounds(peer::chainRound), "ns/level");
                case "sleepers" -> peer.sleepers();
                default -> throw Workloads.unknownWorkload(VirtualThreadPeer.class, workload);
            }
        }
    }

    private ExecutorService perTaskExecutor() {
        try {
            return (ExecutorService) java.util.concurrent.Executors.class
                    .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Executors.newVirtualThreadPerTaskExecutor is missing on Java " + Runtime.version(), e);
        }
    }

    private double spawnRound() {
        ExecutorService executor = perTaskExecutor();
        try {
            long start = System.nanoTime();
            List<Future<Integer>> futures = new ArrayList<>(SPAWN_TASKS);
            for (int i = 0; i < SPAWN_TASKS; i++) {
                futures.add(executor.submit(() -> 1));
            }
            long sum = 0;
            for (Future<Integer> f : futures) {
                sum += f.get();
            }
            if (sum != SPAWN_TASKS) {
                throw new AssertionError("spawn gathered " + sum);
            }
            return Workloads.nanosPer(start, SPAWN_TASKS);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            // ExecutorService is AutoCloseable only from Java 19 on; this module targets 17.
            executor.shutdown();
        }
    }

    private double pingPongRound() {
        BlockingQueue<Integer> toPong = new ArrayBlockingQueue<>(1);
        BlockingQueue<Integer> toPing = new ArrayBlockingQueue<>(1);
        int rounds = PINGPONG_HOPS / 2;
        long start = System.nanoTime();
        Thread ping = factory.newThread(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    toPong.put(i);
                    toPing.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread pong = factory.newThread(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    toPing.put(toPong.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ping.start();
        pong.start();
        join(ping);
        join(pong);
        return Workloads.nanosPer(start, rounds * 2L);
    }

    private static int level(int depth, CompletableFuture<Integer> leaf) {
        return depth == 0 ? leaf.join() : level(depth - 1, leaf) + 1;
    }

    private double chainRound() {
        long start = System.nanoTime();
        for (int r = 0; r < CHAIN_REPEATS; r++) {
            CompletableFuture<Integer> leaf = new CompletableFuture<>();
            int[] out = new int[1];
            Thread t = factory.newThread(() -> out[0] = level(CHAIN_DEPTH, leaf));
            t.start();
            // As the other peers do, complete the leaf only once the whole chain is parked on it.
            while (t.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            leaf.complete(0);
            join(t);
            if (out[0] != CHAIN_DEPTH) {
                throw new AssertionError("chain gave " + out[0]);
            }
        }
        return Workloads.nanosPer(start, (long) CHAIN_REPEATS * CHAIN_DEPTH);
    }

    private void sleepers() {
        long before = Workloads.usedHeapAfterGc();
        long millis = Math.round(SLEEP_SECONDS * 1000);
        CountDownLatch asleep = new CountDownLatch(SLEEPERS);
        Thread[] threads = new Thread[SLEEPERS];
        long start = System.nanoTime();
        for (int i = 0; i < SLEEPERS; i++) {
            threads[i] = factory.newThread(() -> {
                asleep.countDown();
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            threads[i].start();
        }
        try {
            asleep.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        long peak = Workloads.usedHeapAfterGc();
        for (Thread t : threads) {
            join(t);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        Workloads.result(PEER, "sleepers-wall", wall, "s");
        Workloads.result(PEER, "sleepers-heap", (double) (peak - before) / SLEEPERS, "B/task");
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
