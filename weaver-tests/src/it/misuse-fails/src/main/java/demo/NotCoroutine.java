package demo;

import dev.weft.Async;

public class NotCoroutine {
    @Async
    public static String name() {
        return "not a coroutine"; // error: @Async must return Coroutine
    }
}
