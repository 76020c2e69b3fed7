package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.run;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.ExceptionGroup;
import dev.weft.runtime.Task;
import dev.weft.runtime.TaskGroup;

/**
 * Structured concurrency with a {@link TaskGroup}: the children of a try-with-resources block cannot
 * outlive it. Leaving the block waits for them all; when one fails, the group cancels the others and
 * the block throws an {@link ExceptionGroup} of what failed.
 */
public final class Structured {
    private Structured() {
    }

    /** The loop time the demo started at: the times it prints count from there. */
    private static double start;

    private static String now() {
        return String.format(java.util.Locale.ROOT, "%.1f", getRunningLoop().time() - start);
    }

    // tag::taskgroup[]
    @Async
    static Coroutine<String> fetch(String name, double seconds) {
        try {
            await(sleep(seconds));
        } catch (CancelledError e) {
            System.out.println(name + ": cancelled at " + now());
            throw e;
        }
        if (name.equals("flaky")) {
            System.out.println(name + ": fails at " + now());
            throw new IllegalStateException(name + " is down");
        }
        System.out.println(name + ": done at " + now());
        return result(name + " data");
    }

    @Async
    static Coroutine<Void> allSucceed() {
        Task<String> users;
        Task<String> orders;
        try (TaskGroup tg = new TaskGroup()) {
            users = tg.createTask(fetch("users", 1));
            orders = tg.createTask(fetch("orders", 2));
        }   // waits for both
        System.out.println("both done at " + now() + ": " + users.result() + ", " + orders.result());
        return done();
    }

    @Async
    static Coroutine<Void> oneFails() {
        try (TaskGroup tg = new TaskGroup()) {
            tg.createTask(fetch("users", 1));
            tg.createTask(fetch("flaky", 2));
            tg.createTask(fetch("reports", 5));
        } catch (ExceptionGroup eg) {
            System.out.println("the group failed at " + now() + ": " + eg.exceptions().get(0).getMessage());
        }
        return done();
    }
    // end::taskgroup[]

    @Async
    static Coroutine<Void> main() {
        start = getRunningLoop().time();
        await(allSucceed());
        await(oneFails());
        return done();
    }

    /**
     * Runs the demo.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(main());
    }
}
