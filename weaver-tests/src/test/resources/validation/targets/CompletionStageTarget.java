package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Await of CompletionStages: completed later on the loop, already completed, failed with a checked exception, and completed on another thread. */
public class CompletionStageTarget {
    @Async
    public static Coroutine<?> main() {
        CompletableFuture<String> pending = new CompletableFuture<>();
        getRunningLoop().callLater(0.01, () -> pending.complete("stage value"));
        System.out.println(await(pending));
        System.out.println(await(CompletableFuture.completedFuture(5)) + 1);
        CompletionStage<Integer> chained = CompletableFuture.completedFuture(20).thenApply(x -> x + 1);
        System.out.println(await(chained));
        CompletableFuture<String> failing = new CompletableFuture<>();
        getRunningLoop().callLater(0.01, () -> failing.completeExceptionally(new IOException("stage failed")));
        try {
            await(failing);
        } catch (Exception e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        CompletableFuture<Integer> fromThread = CompletableFuture.supplyAsync(() -> 7);
        System.out.println("from another thread " + await(fromThread));
        return done();
    }
}
/* Expected output:
stage value
6
21
IOException: stage failed
from another thread 7
*/
