package demo;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;
import java.util.List;
import java.util.stream.Collectors;

public class InLambda {
    @Async
    public static Coroutine<List<String>> all(List<Future<String>> futures) {
        List<String> values = futures.stream()
                .map(f -> await(f)) // error: await in lambda
                .collect(Collectors.toList());
        return result(values);
    }
}
