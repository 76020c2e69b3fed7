package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.sync.Held;
import dev.weft.runtime.sync.Semaphore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Many downloads, a few at a time: every request is started at once, and a {@link Semaphore} lets
 * only {@link #LIMIT} of them talk to the server together (Python's {@code async with sem:}), so a
 * crawler does not open a thousand connections to one host. Runs against the local delay server of
 * {@link HttpFetch}.
 */
@SuppressWarnings("try") // The resource of an async-with block is the held permit or scope itself; the body never names it.
public final class LimitedFetch {
    /** How many requests may be in flight together. */
    static final int LIMIT = 3;
    /** How many pages to fetch. */
    static int pages = 12;
    /** How long the server takes for each page, in milliseconds; the tests shorten it. */
    static int delayMillis = 200;

    private LimitedFetch() {
    }

    /** Requests in flight now, and the most seen at once. */
    static int inFlight;
    static int mostAtOnce;

    // tag::limited[]
    @Async
    static Coroutine<Integer> fetch(HttpClient client, Semaphore limit, URI uri) {
        try (Held permit = await(limit.hold())) {
            inFlight++;
            mostAtOnce = Math.max(mostAtOnce, inFlight);
            try {
                HttpResponse<String> response = await(client.sendAsync(
                        HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
                return result(response.statusCode());
            } finally {
                inFlight--;
            }
        }
    }

    @Async
    static Coroutine<Void> main(URI base) {
        HttpClient client = HttpClient.newHttpClient();
        Semaphore limit = new Semaphore(LIMIT);
        List<Coroutine<Integer>> downloads = new ArrayList<>();
        for (int page = 1; page <= pages; page++) {
            downloads.add(fetch(client, limit, base.resolve("/delay/" + delayMillis + "?page=" + page)));
        }
        List<Integer> statuses = await(gather(downloads));
        System.out.println("Fetched " + statuses.size() + " pages, status " + statuses.stream().distinct().toList()
                + ", at most " + mostAtOnce + " at once");
        return done();
    }
    // end::limited[]
}
