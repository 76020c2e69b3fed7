package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Task;

/**
 * An async stack trace: a parse fails in one task after its data arrived, a second task awaits the
 * first, and the failure it catches shows, after its own frames, the awaits it travelled through.
 */
public final class Traced {
    private Traced() {
    }

    // tag::traced[]
    @Async
    static Coroutine<Integer> parse(String text) {
        await(sleep(0.1));                      // the bytes arrive later
        return result(Integer.parseInt(text));  // and are not a number
    }

    @Async
    static Coroutine<Integer> fetch(String text) {
        int n = await(parse(text));
        return result(n);
    }

    @Async
    static Coroutine<Void> main() {
        Task<Integer> fetcher = createTask(fetch("forty-two"), "fetcher");
        try {
            await(fetcher);
        } catch (NumberFormatException e) {
            e.printStackTrace(System.out);
        }
        return done();
    }
    // end::traced[]
}
