package demo;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import java.util.List;

public class Fetch {
    @Async
    public static Coroutine<String> fetchData(int id, double seconds) {
        await(sleep(seconds));
        return result("Data from " + id);
    }

    @Async
    public static Coroutine<List<String>> fetchAll() {
        List<String> results = await(gather(fetchData(1, 0.2), fetchData(2, 0.3), fetchData(3, 0.1)));
        return result(results);
    }
}
