package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.toThread;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Blocking functions kept off the loop's thread: five one-second jobs on a three-thread pool with
 * {@code runInExecutor} finish in about 2 s, results in argument order; then {@code toThread}, the
 * shortcut through the loop's default executor.
 */
public final class Executor {
    /** How long one blocking job takes, in milliseconds; the tests shorten it. */
    static long jobMillis = 1000;

    private Executor() {
    }

    static int blockingIo(int n) throws InterruptedException {
        Thread.sleep(jobMillis);   // a blocking call, fine on an executor thread
        return n * n;
    }

    // tag::executor[]
    @Async
    static Coroutine<Void> main() {
        EventLoop loop = getRunningLoop();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            long start = System.nanoTime();
            List<Future<Integer>> jobs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                jobs.add(loop.runInExecutor(pool, () -> blockingIo(n)));
            }
            List<Integer> results = await(gather(jobs));
            System.out.println("Results: " + results);
            System.out.printf("5 jobs of %d ms on 3 threads took %.1f job lengths%n", jobMillis,
                    (System.nanoTime() - start) / 1e6 / jobMillis);

            String name = await(toThread(() -> Thread.currentThread().getName()));
            System.out.println("toThread ran on " + name.replaceAll("\\d+$", "N"));
        } finally {
            pool.shutdown();
        }
        return done();
    }
    // end::executor[]
}
