package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.run;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import java.util.List;

/**
 * Three slow fetches at once with {@code gather}: they start in argument order, finish in order of
 * their delays, and the results come back in argument order. The whole takes as long as the
 * slowest (3 s), not the sum (6 s) that {@link #sequential()} takes.
 */
public final class Gather {
    private Gather() {
    }

    // tag::gather[]
    @Async
    static Coroutine<String> fetchData(int id, double seconds) {
        System.out.println("Task " + id + ": starting...");
        await(sleep(seconds));
        System.out.println("Task " + id + ": done!");
        return result("Data from " + id);
    }

    @Async
    static Coroutine<Void> main() {
        double start = getRunningLoop().time();
        List<String> results = await(gather(fetchData(1, 2), fetchData(2, 3), fetchData(3, 1)));
        System.out.println("Results: " + results);
        System.out.printf("Total time elapsed: %.2f seconds%n", getRunningLoop().time() - start);
        return done();
    }

    /** Runs the demo. */
    public static void main(String[] args) {
        run(main());   // about 3 s, not 6
    }
    // end::gather[]

    /**
     * The same three fetches awaited one after the other: 6 s.
     *
     * @return the coroutine
     */
    @Async
    static Coroutine<Void> sequential() {
        double start = getRunningLoop().time();
        String r1 = await(fetchData(1, 2));
        String r2 = await(fetchData(2, 3));
        String r3 = await(fetchData(3, 1));
        System.out.println("Results: " + List.of(r1, r2, r3));
        System.out.printf("Total time elapsed: %.2f seconds%n", getRunningLoop().time() - start);
        return done();
    }
}
