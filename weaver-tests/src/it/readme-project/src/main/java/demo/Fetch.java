package demo;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.run;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import java.util.List;

/** The README's example, in a project of its own. */
public class Fetch {
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

    public static void main(String[] args) {
        run(main());
    }
}
