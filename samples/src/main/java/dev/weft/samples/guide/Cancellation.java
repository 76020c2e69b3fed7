package dev.weft.samples.guide;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Aio.timeout;
import static dev.weft.runtime.Aio.waitFor;

import dev.weft.Async;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Task;
import dev.weft.runtime.TimeoutError;
import dev.weft.runtime.Timeout;

/** The guide's examples of timeouts and cancellation; run by {@code GuideTest}. */
public final class Cancellation {
    private Cancellation() {
    }

    @Async
    static Coroutine<String> slow(String name, double seconds) {
        await(sleep(seconds));
        return result(name);
    }

    // tag::timeouts[]
    @Async
    static Coroutine<Void> timeouts() {
        try {
            await(waitFor(slow("report", 5), 1.0));
        } catch (TimeoutError e) {
            System.out.println("waitFor gave up after 1 s");
        }

        try (Timeout t = timeout(2.0)) {
            System.out.println("the scope's deadline is loop time " + t.when());
            await(slow("first", 1));
            await(slow("second", 3));
        } catch (TimeoutError e) {
            System.out.println("the timeout scope gave up at 2 s");
        }
        return done();
    }
    // end::timeouts[]

    // tag::cancel[]
    @Async
    static Coroutine<Void> worker() {
        try {
            await(sleep(10));
        } catch (CancelledError e) {
            System.out.println("worker: cancelled, cleaning up");
            throw e;
        } finally {
            System.out.println("worker: finally runs too");
        }
        return done();
    }

    @Async
    static Coroutine<Void> cancelling() {
        Task<Void> task = createTask(worker());
        await(sleep(1));
        task.cancel();
        try {
            await(task);
        } catch (CancelledError e) {
            System.out.println("main: the worker is cancelled: " + task.isCancelled());
        }
        return done();
    }
    // end::cancel[]
}
