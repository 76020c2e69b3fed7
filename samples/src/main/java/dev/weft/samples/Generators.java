package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.emit;
import static dev.weft.runtime.Aio.finish;
import static dev.weft.runtime.Aio.sleep;

import com.sun.net.httpserver.HttpServer;
import dev.weft.Async;
import dev.weft.runtime.AsyncGenerator;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.AsyncIterators;
import dev.weft.runtime.Coroutine;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/**
 * Async generators and iteration: a ticker, paging through a (local) HTTP API, and bridges to and
 * from {@code java.util.concurrent.Flow}.
 */
public final class Generators {
    private Generators() {
    }

    // tag::ticker[]
    @Async
    static AsyncGenerator<String> ticker(int count, double every) {
        for (int i = 0; i < count; i++) {
            emit("tick " + i);
            await(sleep(every));
        }
        return finish();
    }

    @Async
    static Coroutine<Void> tickerMain() {
        for (AsyncIterator<String> it = ticker(3, 0.1); await(it.hasNext()); ) {   // async for t in ticker(3, 0.1)
            System.out.println(it.next());
        }
        return done();
    }
    // end::ticker[]

    // tag::paging[]
    /** Every item of a paged API, fetching the next page only when the consumer gets there. */
    @Async
    static AsyncGenerator<String> items(HttpClient client, URI api) {
        for (int page = 1; ; page++) {
            HttpResponse<String> response = await(client.sendAsync(
                    HttpRequest.newBuilder(api.resolve("/items?page=" + page)).build(),
                    HttpResponse.BodyHandlers.ofString()));
            System.out.println("(fetched page " + page + ")");
            if (response.body().isEmpty()) {
                return finish();
            }
            for (String item : response.body().split("\n")) {
                emit(item);
            }
        }
    }

    @Async
    static Coroutine<Void> pagingMain(URI api) {
        HttpClient client = HttpClient.newHttpClient();
        for (AsyncIterator<String> it = items(client, api); await(it.hasNext()); ) {
            String item = it.next();
            System.out.println(item);
            if (item.equals("item 5")) {
                break;   // page 3 is never fetched
            }
        }
        return done();
    }
    // end::paging[]

    /** A local API of {@code pages} pages of 3 items, then empty pages. */
    static HttpServer startApi(int pages) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "paging-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/items", exchange -> {
            int page = Integer.parseInt(exchange.getRequestURI().getQuery().replace("page=", ""));
            List<String> lines = new ArrayList<>();
            if (page <= pages) {
                for (int i = 1; i <= 3; i++) {
                    lines.add("item " + ((page - 1) * 3 + i));
                }
            }
            byte[] body = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    // tag::publisher[]
    @Async
    static Coroutine<Void> publisherMain() {
        // From a Flow.Publisher: a SubmissionPublisher fed by another thread, read with backpressure.
        SubmissionPublisher<String> publisher = new SubmissionPublisher<>();
        AsyncIterator<String> words = AsyncIterators.fromPublisher(publisher);
        Thread producer = new Thread(() -> {
            while (publisher.getNumberOfSubscribers() == 0) {
                Thread.onSpinWait();
            }
            for (String w : List.of("alpha", "beta", "gamma")) {
                publisher.submit(w);
            }
            publisher.close();
        });
        producer.setDaemon(true);
        producer.start();
        while (await(words.hasNext())) {
            System.out.println("from the publisher: " + words.next());
        }

        // To a Flow.Publisher: the ticker, one value per request of a Flow.Subscriber.
        CompletableFuture<Void> end = new CompletableFuture<>();
        AsyncIterators.toPublisher(ticker(2, 0.05)).subscribe(new Flow.Subscriber<String>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(String item) {
                System.out.println("to the subscriber: " + item);
                subscription.request(1);
            }

            @Override
            public void onError(Throwable t) {
                end.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                System.out.println("subscriber: complete");
                end.complete(null);
            }
        });
        await(end);
        return done();
    }
    // end::publisher[]
}
