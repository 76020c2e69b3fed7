package dev.weft.benchmarks.report;

import java.util.List;
import java.util.Map;

/**
 * The comparison's workloads as the report presents them: a title, the design's target for Weft
 * and the reference numbers that DESIGN.md gives for the peers. Lower is better for every one.
 */
enum Workload {
    SPAWN("spawn", "spawn + gather", "ns/task", 200,
            Map.of("kotlinx-coroutines", 1_100.0, "virtual-threads", 1_045.0, "asyncio", 8_000.0)),
    PINGPONG("pingpong", "ping-pong", "ns/hop", 50,
            Map.of("kotlinx-coroutines", 156.0, "virtual-threads", 223.0, "asyncio", 3_000.0, "uvloop", 2_150.0)),
    CHAIN("chain", "chain, 1,000 deep", "ns/level", 20, Map.of()),
    SLEEPERS_WALL("sleepers-wall", "1M sleepers: wall", "s", 2.5,
            Map.of("kotlinx-coroutines", 3.3, "virtual-threads", 8.6, "asyncio", 23.8)),
    SLEEPERS_HEAP("sleepers-heap", "1M sleepers: memory", "B/task", 150,
            Map.of("kotlinx-coroutines", 430.0, "virtual-threads", 1_030.0, "asyncio", 1_600.0));

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

    static List<Workload> all() {
        return List.of(values());
    }
}
