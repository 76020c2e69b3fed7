package dbg;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.run;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

public class Nested {
    @Async
    static Coroutine<Integer> length(String text) {
        int n = text.length();
        int twice = n * 2;
        return result(twice);
    }

    @Async
    static Coroutine<Integer> parent(String text) {
        String trimmed = text.trim();
        int got = await(length(trimmed));
        return result(got + 1);
    }

    public static void main(String[] args) {
        System.out.println("total " + run(parent(" abc ")));
    }
}
