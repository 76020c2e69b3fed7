package dev.weft.samples.guide;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The migration guide's before and after; run by {@code GuideTest}. */
public final class Migration {
    private Migration() {
    }

    /** A service with an asynchronous API, as HTTP and database clients have. */
    public interface Users {
        /**
         * Looks a user id up by name.
         *
         * @param name the name
         * @return the id, later
         */
        CompletionStage<Integer> idOf(String name);

        /**
         * Counts a user's orders.
         *
         * @param id the user id
         * @return the count, later
         */
        CompletionStage<Integer> ordersOf(int id);
    }

    // tag::before[]
    static CompletableFuture<String> summaryWithChains(Users users, String name) {
        return users.idOf(name)
                .thenCompose(id -> users.ordersOf(id)
                        .thenApply(orders -> name + " (#" + id + ") has " + orders + " orders"))
                .exceptionally(e -> name + ": lookup failed (" + e.getCause().getMessage() + ")")
                .toCompletableFuture();
    }
    // end::before[]

    // tag::after[]
    @Async
    static Coroutine<String> summary(Users users, String name) {
        try {
            int id = await(users.idOf(name));
            int orders = await(users.ordersOf(id));
            return result(name + " (#" + id + ") has " + orders + " orders");
        } catch (IllegalArgumentException e) {
            return result(name + ": lookup failed (" + e.getMessage() + ")");
        }
    }
    // end::after[]
}
