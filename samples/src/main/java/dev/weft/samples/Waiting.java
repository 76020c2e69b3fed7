package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;
import dev.weft.runtime.TaskGroup;
import java.util.List;

/**
 * A program that hangs for good, to be looked at from outside with {@code ps} and {@code pstree} on
 * Weft's command line: two fetches in a {@code gather} wait for a reply nobody sends, the task that
 * gathers them is awaited by a report, and the report runs in a {@code TaskGroup} whose block the
 * main task waits to leave. It prints {@code ready} once every task is parked, then waits until it
 * is killed.
 */
public final class Waiting {
    private Waiting() {
    }

    // tag::waiting[]
    @Async
    static Coroutine<String> fetch(String what, Future<String> reply) {
        String body = await(reply);
        return result(what + ": " + body);
    }

    @Async
    static Coroutine<List<String>> fetchBoth(Future<String> reply) {
        Task<String> users = createTask(fetch("users", reply), "users");
        Task<String> orders = createTask(fetch("orders", reply), "orders");
        return result(await(gather(users, orders)));
    }

    @Async
    static Coroutine<String> report(Task<List<String>> both) {
        List<String> got = await(both);
        return result(String.join(", ", got));
    }

    @Async
    static Coroutine<Void> main() {
        Future<String> reply = getRunningLoop().createFuture(); // nobody ever sets it
        Task<List<String>> both = createTask(fetchBoth(reply), "fetch-both");
        try (TaskGroup group = new TaskGroup()) {
            group.createTask(report(both), "report");
            announceWhenParked(); // prints "ready" once every task is parked
        }
        return done();
    }
    // end::waiting[]

    /**
     * Prints {@code ready} three turns of the loop from now: by then every task made so far, and the
     * tasks those made in their first step, have taken that step and parked, as the loop runs its
     * callbacks first in, first out.
     */
    static void announceWhenParked() {
        EventLoop loop = getRunningLoop();
        loop.callSoon(() -> loop.callSoon(() -> loop.callSoon(() -> {
            System.out.println("ready");
            System.out.flush();
        })));
    }

    /**
     * Runs the program until the JVM is killed; with the argument {@code exit-at-eof}, also until
     * its standard input reaches its end, so that a child started by a test that dies does not
     * outlive it.
     *
     * @param args {@code exit-at-eof}, or nothing
     */
    public static void main(String[] args) {
        if (List.of(args).contains("exit-at-eof")) {
            Thread watcher = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // what is written is ignored
                    }
                } catch (java.io.IOException e) {
                    // the same as the end of the input
                }
                System.exit(0);
            }, "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        Aio.run(main());
    }
}
