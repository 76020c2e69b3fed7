package dbg;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.run;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

public class Stepping {
    private final String name;

    Stepping(String name) {
        this.name = name;
    }

    // tag::debugging[]
    @Async
    Coroutine<Integer> work(int count, CompletionStage<String> ready) {
        String greeting = "hi " + name;
        String fast = await(ready);                 // already done: no suspension
        int sum = count + fast.length();
        await(sleep(0.01));                         // suspends: the loop runs a timer
        int total = sum + greeting.length() + name.length();
        return result(total);
    }
    // end::debugging[]

    public static void main(String[] args) {
        System.out.println("total " + run(new Stepping("weft").work(3, CompletableFuture.completedFuture("abc"))));
    }
}
