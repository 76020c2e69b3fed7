package dev.weft.benchmarks.weft;

import dev.weft.benchmarks.compare.Workloads;
import dev.weft.runtime.Aio;
import dev.weft.runtime.EventLoop;

/**
 * Weft's side of the peer comparison: the {@link AsyncWorkloads} run on one event loop, timed from
 * outside {@code runUntilComplete} and printed in the comparison's {@code RESULT} format.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.weft.benchmarks.weft.WeftPeer spawn taskgroup semaphore pingpong chain generator sleepers}
 */
public final class WeftPeer {
    private static final String PEER = "weft";

    private WeftPeer() {
    }

    /**
     * Runs the named workloads and prints their results.
     *
     * @param args workload names
     */
    public static void main(String[] args) {
        EventLoop loop = Aio.newEventLoop();
        for (String workload : args) {
            switch (workload) {
                case "spawn" -> Workloads.result(PEER, "spawn", Workloads.medianOfRounds(() -> {
                    long start = System.nanoTime();
                    loop.runUntilComplete(AsyncWorkloads.spawnAndGather(Workloads.SPAWN_TASKS));
                    return Workloads.nanosPer(start, Workloads.SPAWN_TASKS);
                }), "ns/task");
                case "taskgroup" -> Workloads.result(PEER, "taskgroup", Workloads.medianOfRounds(() -> {
                    long start = System.nanoTime();
                    loop.runUntilComplete(AsyncWorkloads.taskGroupSpawn(Workloads.TASKGROUP_TASKS));
                    return Workloads.nanosPer(start, Workloads.TASKGROUP_TASKS);
                }), "ns/task");
                case "semaphore" -> Workloads.result(PEER, "semaphore", Workloads.medianOfRounds(() -> {
                    long start = System.nanoTime();
                    for (int r = 0; r < Workloads.SEMAPHORE_REPEATS; r++) {
                        loop.runUntilComplete(AsyncWorkloads.semaphoreFanOut(Workloads.SEMAPHORE_TASKS, Workloads.SEMAPHORE_PERMITS));
                    }
                    return Workloads.nanosPer(start, (long) Workloads.SEMAPHORE_TASKS * Workloads.SEMAPHORE_REPEATS);
                }), "ns/task");
                case "pingpong" -> Workloads.result(PEER, "pingpong", Workloads.medianOfRounds(() -> {
                    int hops = Workloads.PINGPONG_HOPS / 2 * 2;
                    long start = System.nanoTime();
                    loop.runUntilComplete(AsyncWorkloads.pingPong(hops));
                    return Workloads.nanosPer(start, hops);
                }), "ns/hop");
                case "chain" -> Workloads.result(PEER, "chain", Workloads.medianOfRounds(() -> {
                    long start = System.nanoTime();
                    loop.runUntilComplete(AsyncWorkloads.chain(Workloads.CHAIN_DEPTH, Workloads.CHAIN_REPEATS));
                    return Workloads.nanosPer(start, (long) Workloads.CHAIN_DEPTH * Workloads.CHAIN_REPEATS);
                }), "ns/level");
                case "generator" -> Workloads.result(PEER, "generator", Workloads.medianOfRounds(() -> {
                    long n = Workloads.GENERATOR_VALUES;
                    long start = System.nanoTime();
                    loop.runUntilComplete(AsyncWorkloads.sumAll(AsyncWorkloads.counter(n, 0), n));
                    return Workloads.nanosPer(start, n);
                }), "ns/value");
                case "sleepers" -> OneMillionSleepers.report(PEER,
                        OneMillionSleepers.measure(Workloads.SLEEPERS, Workloads.SLEEP_SECONDS));
                default -> throw Workloads.unknownWorkload(WeftPeer.class, workload);
            }
        }
        loop.close();
    }
}
