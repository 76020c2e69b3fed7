package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.result;

import com.sun.net.httpserver.HttpServer;
import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Several HTTP requests at once, by awaiting the JDK's {@code HttpClient.sendAsync} directly,
 * against a local server that answers each request after the delay it names. The total is the
 * slowest request, not the sum.
 */
public final class HttpFetch {
    /** The delays the requests ask for, in milliseconds; the tests shorten them. */
    static int[] delaysMillis = {1000, 3000, 2000};

    private HttpFetch() {
    }

    // tag::http[]
    @Async
    static Coroutine<String> fetch(HttpClient client, URI uri) {
        HttpResponse<String> response = await(client.sendAsync(
                HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
        System.out.println("Got " + uri.getPath() + ": " + response.statusCode());
        return result(response.body());
    }

    @Async
    static Coroutine<Void> main(URI base) {
        HttpClient client = HttpClient.newHttpClient();
        long start = System.nanoTime();
        List<String> bodies = await(gather(
                fetch(client, base.resolve("/delay/" + delaysMillis[0])),
                fetch(client, base.resolve("/delay/" + delaysMillis[1])),
                fetch(client, base.resolve("/delay/" + delaysMillis[2]))));
        double took = (System.nanoTime() - start) / 1e6;
        System.out.println("Bodies: " + bodies);
        int slowest = Math.max(delaysMillis[0], Math.max(delaysMillis[1], delaysMillis[2]));
        System.out.printf("Total %.1f x the slowest request, not the sum%n", took / slowest);
        return done();
    }
    // end::http[]

    /**
     * Starts a server on 127.0.0.1 (a free port) whose {@code /delay/N} answers "waited N ms"
     * after N milliseconds, each request on its own thread.
     *
     * @return the running server; stop it when done
     * @throws IOException when the port cannot be opened
     */
    static HttpServer startServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "delay-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/delay/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int millis = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("waited " + millis + " ms").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    static URI baseOf(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }
}
