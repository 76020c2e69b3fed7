package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;

/**
 * A program that hangs, and how to see where: a worker waits for a reply nobody sends, a boss waits
 * for the worker, and the main task, when they should have been done long ago, prints the worker's
 * stack and the dump of every task, with where each was created (debug mode).
 */
public final class Stuck {
    private Stuck() {
    }

    // tag::stuck[]
    @Async
    static Coroutine<String> fetch(Future<String> reply) {
        String body = await(reply);
        return result("got " + body);
    }

    @Async
    static Coroutine<String> worker(Future<String> reply) {
        String got = await(fetch(reply));
        return result(got.toUpperCase());
    }

    @Async
    static Coroutine<String> boss(Task<String> worker) {
        return result("boss saw " + await(worker));
    }

    @Async
    static Coroutine<Void> main() {
        getRunningLoop().setDebug(true);
        Future<String> reply = getRunningLoop().createFuture(); // nobody ever sets it
        Task<String> worker = createTask(worker(reply), "worker");
        Task<String> boss = createTask(boss(worker), "boss");
        await(sleep(5));
        if (!boss.isDone()) {
            worker.printStack(System.out);
            System.out.println();
            System.out.print(getRunningLoop().dumpTasks());
            boss.cancel(); // and, through the await, the worker and the reply
        }
        return done();
    }
    // end::stuck[]
}
