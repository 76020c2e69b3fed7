package demo;

import static dev.weft.runtime.Aio.await;

import dev.weft.runtime.Future;

public class AwaitOutside {
    public static String plain(Future<String> future) {
        return await(future); // error: await outside @Async
    }
}
