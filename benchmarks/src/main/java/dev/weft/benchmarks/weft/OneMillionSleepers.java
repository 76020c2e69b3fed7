package dev.weft.benchmarks.weft;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.benchmarks.compare.Workloads;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sleepers workload of the performance table as a plain program (not JMH): one million tasks each sleeping
 * 2 s on the real clock, on one loop. It reports the wall time from the first spawn to the last
 * wake-up, and the heap per task: the used heap after a full GC while every task sleeps, minus
 * the same before the first spawn, divided by the task count.
 *
 * <p>Run: {@code java -Xmx4g -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.weft.OneMillionSleepers}
 * ({@code WEFT_SLEEPERS} and {@code WEFT_SLEEP_SECONDS} change the sizes). Targets: under 2.0 s
 * wall and under 120 B a task.
 */
public final class OneMillionSleepers {
    /** The wall-time target for one million 2 s sleepers, in seconds. */
    public static final double TARGET_WALL_SECONDS = 2.0;
    /** The heap target, in bytes a task. */
    public static final double TARGET_BYTES_PER_TASK = 120;

    private OneMillionSleepers() {
    }

    /** What one run measured. */
    record Measurement(double wallSeconds, double bytesPerTask) {
    }

    /**
     * Runs the workload once and prints a summary and the comparison's {@code RESULT} lines.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        Measurement m = measure(Workloads.SLEEPERS, Workloads.SLEEP_SECONDS);
        System.out.println(String.format(Locale.ROOT,
                "%,d tasks sleeping %.1f s: wall %.3f s (target < %.1f s), heap %.1f B/task (target < %.0f B)",
                Workloads.SLEEPERS, Workloads.SLEEP_SECONDS, m.wallSeconds(), TARGET_WALL_SECONDS,
                m.bytesPerTask(), TARGET_BYTES_PER_TASK));
        report("weft", m);
    }

    static void report(String peer, Measurement m) {
        Workloads.result(peer, "sleepers-wall", m.wallSeconds(), "s");
        Workloads.result(peer, "sleepers-heap", m.bytesPerTask(), "B/task");
    }

    static Measurement measure(int tasks, double seconds) {
        long before = Workloads.usedHeapAfterGc();
        long[] peak = new long[1];
        EventLoop loop = Aio.newEventLoop();
        long start = System.nanoTime();
        loop.runUntilComplete(sleepers(tasks, seconds, peak));
        double wall = (System.nanoTime() - start) / 1e9;
        loop.close();
        return new Measurement(wall, (double) (peak[0] - before) / tasks);
    }

    @Async
    static Coroutine<Integer> sleepers(int n, double seconds, long[] peak) {
        List<Task<Void>> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tasks.add(createTask(AsyncWorkloads.sleeper(seconds)));
        }
        // One loop iteration runs every task's first step: after it, each one sleeps on its timer.
        await(sleep(0));
        peak[0] = Workloads.usedHeapAfterGc();
        List<Void> all = await(gather(tasks));
        return result(all.size());
    }
}
