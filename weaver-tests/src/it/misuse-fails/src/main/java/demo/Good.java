package demo;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Correct code: it must not be woven either, since the build has errors elsewhere. */
public class Good {
    @Async
    public static Coroutine<String> fine() {
        await(sleep(0.1));
        return result("fine");
    }
}
