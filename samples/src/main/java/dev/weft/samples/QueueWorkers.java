package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Task;
import dev.weft.runtime.sync.Queue;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The queue example of Python's asyncio documentation: twenty sleep jobs in a {@link Queue},
 * three workers that take them, {@code join} to wait until every job is done, then the workers
 * are cancelled. The three sleep in parallel, so the whole takes about a third of the sum.
 */
public final class QueueWorkers {
    private QueueWorkers() {
    }

    // tag::queue[]
    @Async
    static Coroutine<Void> worker(String name, Queue<Double> queue) {
        while (true) {
            double sleepFor = await(queue.get());
            await(sleep(sleepFor));
            queue.taskDone();
            System.out.printf("%s has slept for %.2f seconds%n", name, sleepFor);
        }
    }

    @Async
    static Coroutine<Void> main(Random random) {
        Queue<Double> queue = new Queue<>();
        double totalSleepTime = 0;
        for (int i = 0; i < 20; i++) {
            double sleepFor = 0.05 + random.nextDouble() * 0.95;
            totalSleepTime += sleepFor;
            queue.putNowait(sleepFor);
        }

        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tasks.add(createTask(worker("worker-" + i, queue)));
        }

        double startedAt = getRunningLoop().time();
        await(queue.join());
        double totalSleptFor = getRunningLoop().time() - startedAt;

        for (Task<Void> task : tasks) {
            task.cancel();
        }
        await(gather(tasks, true));

        System.out.println("====");
        System.out.printf("3 workers slept in parallel for %.2f seconds%n", totalSleptFor);
        System.out.printf("total expected sleep time: %.2f seconds%n", totalSleepTime);
        return done();
    }
    // end::queue[]
}
