package dev.weft.benchmarks.compare;

import static dev.weft.benchmarks.compare.Workloads.CHAIN_DEPTH;
import static dev.weft.benchmarks.compare.Workloads.CHAIN_REPEATS;
import static dev.weft.benchmarks.compare.Workloads.PINGPONG_HOPS;
import static dev.weft.benchmarks.compare.Workloads.SEMAPHORE_PERMITS;
import static dev.weft.benchmarks.compare.Workloads.SEMAPHORE_REPEATS;
import static dev.weft.benchmarks.compare.Workloads.SEMAPHORE_TASKS;
import static dev.weft.benchmarks.compare.Workloads.SLEEPERS;
import static dev.weft.benchmarks.compare.Workloads.SLEEP_SECONDS;
import static dev.weft.benchmarks.compare.Workloads.SPAWN_TASKS;
import static dev.weft.benchmarks.compare.Workloads.TASKGROUP_TASKS;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK virtual threads peer: the comparison's workloads written as plain blocking code, one
 * virtual thread per task.
 *
 * <p>The module is compiled for Java 17, so the two Java 21 entry points ({@code Thread.ofVirtual()}
 * and {@code Executors.newVirtualThreadPerTaskExecutor()}) are looked up once by reflection; the
 * objects they return are Java 17 types and everything measured calls them directly.
 * {@code compare.sh} runs this class on a JDK 21 or newer.
 *
 * <p>The task-group workload uses {@code java.util.concurrent.StructuredTaskScope}, a preview API
 * on JDK 21 to 25 whose shape changed in JDK 25 ({@code StructuredTaskScope.open()}). It is
 * called through method handles, which JDK 25 allows even without {@code --enable-preview}
 * ({@code compare.sh} passes the flag anyway when the JDK takes it); on a JDK without that
 * {@code open()} the workload prints a note instead of a result.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.weft.benchmarks.compare.VirtualThreadPeer spawn taskgroup semaphore pingpong chain sleepers}
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
                case "taskgroup" -> peer.taskGroup();
                case "semaphore" -> Workloads.result(PEER, "semaphore", Workloads.medianOfRounds(peer::semaphoreRound), "ns/task");
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

    /** JDK 25's {@code StructuredTaskScope.open()}, {@code fork(Callable)}, {@code join()} and {@code close()}. */
    private record Scope(MethodHandle open, MethodHandle fork, MethodHandle join, MethodHandle close) {
        static Scope lookUp() throws ReflectiveOperationException {
            Class<?> scope = Class.forName("java.util.concurrent.StructuredTaskScope");
            Class<?> subtask = Class.forName("java.util.concurrent.StructuredTaskScope$Subtask");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodType anyToObject = MethodType.methodType(Object.class, Object.class);
            return new Scope(
                    lookup.findStatic(scope, "open", MethodType.methodType(scope)).asType(MethodType.methodType(Object.class)),
                    lookup.findVirtual(scope, "fork", MethodType.methodType(subtask, Callable.class))
                            .asType(MethodType.methodType(Object.class, Object.class, Callable.class)),
                    lookup.findVirtual(scope, "join", MethodType.methodType(Object.class)).asType(anyToObject),
                    lookup.findVirtual(scope, "close", MethodType.methodType(void.class))
                            .asType(MethodType.methodType(void.class, Object.class)));
        }
    }

    private void taskGroup() {
        Scope scope;
        try {
            scope = Scope.lookUp();
            // The first open fails on a JDK where the API is a preview and previews are off.
            closeScope(scope, openScope(scope));
        } catch (ReflectiveOperationException | UnsupportedOperationException | IllegalAccessError e) {
            System.out.println("NOTE virtual-threads taskgroup left out: StructuredTaskScope.open() does not run on Java "
                    + Runtime.version() + " (" + e + "); it needs the JDK 25 form of the API");
            return;
        }
        Workloads.result(PEER, "taskgroup", Workloads.medianOfRounds(() -> taskGroupRound(scope)), "ns/task");
    }

    private static Object openScope(Scope scope) {
        try {
            return scope.open().invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void closeScope(Scope scope, Object open) {
        try {
            scope.close().invokeExact(open);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static double taskGroupRound(Scope scope) {
        AtomicInteger done = new AtomicInteger();
        Callable<Integer> child = () -> {
            done.incrementAndGet();
            return 1;
        };
        long start = System.nanoTime();
        Object open = openScope(scope);
        try {
            for (int i = 0; i < TASKGROUP_TASKS; i++) {
                Object subtask = scope.fork().invokeExact(open, child);
                if (subtask == null) {
                    throw new AssertionError("fork gave no subtask");
                }
            }
            Object joined = scope.join().invokeExact(open);
            if (joined != null) {
                throw new AssertionError("join of the default joiner gave " + joined);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            closeScope(scope, open);
        }
        double cost = Workloads.nanosPer(start, TASKGROUP_TASKS);
        if (done.get() != TASKGROUP_TASKS) {
            throw new AssertionError("the scope ran " + done.get() + " of " + TASKGROUP_TASKS + " tasks");
        }
        return cost;
    }

    private double semaphoreRound() {
        long start = System.nanoTime();
        for (int r = 0; r < SEMAPHORE_REPEATS; r++) {
            Semaphore permits = new Semaphore(SEMAPHORE_PERMITS, true);
            Thread[] threads = new Thread[SEMAPHORE_TASKS];
            for (int i = 0; i < SEMAPHORE_TASKS; i++) {
                threads[i] = factory.newThread(() -> {
                    permits.acquireUninterruptibly();
                    try {
                        Thread.yield();
                    } finally {
                        permits.release();
                    }
                });
                threads[i].start();
            }
            for (Thread t : threads) {
                join(t);
            }
        }
        return Workloads.nanosPer(start, (long) SEMAPHORE_TASKS * SEMAPHORE_REPEATS);
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
