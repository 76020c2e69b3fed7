package demo;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

public class Forgetful {
    @Async
    static Coroutine<Void> save() {
        await(sleep(0.1));
        return done();
    }

    @Async
    public static Coroutine<Void> run() {
        save(); // warning: the coroutine is dropped
        return done();
    }
}
