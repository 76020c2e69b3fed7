package demo;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;

public class Locked {
    private final Object lock = new Object();

    @Async
    public Coroutine<Void> update(Future<String> future) {
        synchronized (lock) {
            await(future); // error: await in synchronized
        }
        return done();
    }
}
