package dev.weft.benchmarks.report;

import java.util.List;
import java.util.Map;

/**
 * The comparison's workloads as the report presents them: a title, Weft's target (the performance
 * contract's, NaN where it sets none) and the peers' reference numbers measured on a 2-core
 * machine in one sitting on 2026-12-01. Lower is better for every one.
 */
enum Workload {
    SPAWN("spawn", "spawn + gather", "ns/task", 60,
            Map.of("kotlinx-coroutines", 610.0, "virtual-threads", 567.0, "asyncio", 7_600.0)),
    TASKGROUP("taskgroup", "TaskGroup spawn + join", "ns/task", Double.NaN, Map.of()),
    SEMAPHORE("semaphore", "fan-out, Semaphore(10)", "ns/task", Double.NaN, Map.of()),
    PINGPONG("pingpong", "ping-pong", "ns/hop", 25,
            Map.of("kotlinx-coroutines", 135.0, "virtual-threads", 197.0, "asyncio", 2_780.0)),
    CHAIN("chain", "chain, 1,000 deep", "ns/level", 10, Map.of()),
    GENERATOR("generator", "async generator, 1M values", "ns/value", 20, Map.of()),
    SLEEPERS_WALL("sleepers-wall", "1M sleepers: wall", "s", 2.0,
            Map.of("kotlinx-coroutines", 3.0, "virtual-threads", 7.7, "asyncio", 20.7)),
    SLEEPERS_HEAP("sleepers-heap", "1M sleepers: memory", "B/task", 120,
            Map.of("kotlinx-coroutines", 430.0, "virtual-threads", 1_100.0, "asyncio", 1_600.0));

    final String key;
    final String title;
    final String unit;
    final double target;
    final Map<String, Double> designReference;

    Workload(String key, String title, String unit, double target, Map<String, Double> designReference) {
        this.key = key;
        this.title = title;
        this.unit = unit;
        this.target = target;
        this.designReference = designReference;
    }

    /** Whether the performance contract sets a target for this workload. */
    boolean hasTarget() {
        return !Double.isNaN(target);
    }

    static List<Workload> all() {
        return List.of(values());
    }
}
