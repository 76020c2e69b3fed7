package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.openConnection;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.runParallel;
import static dev.weft.runtime.Aio.startServer;
import static dev.weft.runtime.Aio.waitFor;
import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;
import dev.weft.runtime.streams.Connection;
import dev.weft.runtime.streams.Server;
import dev.weft.runtime.streams.StreamOptions;
import dev.weft.runtime.streams.StreamReader;
import dev.weft.runtime.streams.StreamWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loop per core: a minimal HTTP server runs on every loop of {@link Aio#runParallel}, each
 * listening on the same port of 127.0.0.1 with {@code reusePort(true)}, so that the kernel spreads
 * the connections among the loops. The servers stop by themselves once they have answered the
 * requests they were told to; a client on a thread of its own makes them.
 */
public final class PerCoreServer {
    private PerCoreServer() {
    }

    static final String BODY = "Hello, World!";
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
            + BODY.length() + "\r\nConnection: close\r\n\r\n" + BODY).getBytes(US_ASCII);
    /** How long the servers wait for their requests before they give up. */
    private static final double PATIENCE = 60;

    /** What the loops share: the port, the count of listening loops and of requests served. */
    record Shared(int loops, int requests, CompletableFuture<Integer> port, AtomicInteger listening,
            CompletableFuture<Void> ready, AtomicInteger served, CompletableFuture<Void> allServed) {
        Shared(int loops, int requests) {
            this(loops, requests, new CompletableFuture<>(), new AtomicInteger(), new CompletableFuture<>(),
                    new AtomicInteger(), new CompletableFuture<>());
        }
    }

    // tag::per-core[]
    static List<Integer> serve(int loops, int requests) throws InterruptedException {
        Shared shared = new Shared(loops, requests);
        Thread client = new Thread(() -> {
            try {
                int ok = Aio.run(fetchAll(shared));
                System.out.println("Got " + ok + " answers \"" + BODY + "\"");
            } catch (RuntimeException | Error e) {
                shared.allServed().completeExceptionally(e);
                throw e;
            }
        }, "client");
        client.start();
        List<Integer> perLoop = runParallel(loops, i -> serveOnLoop(i, shared));
        client.join();
        System.out.println("Served " + perLoop + " on weft-loop-0.." + (loops - 1) + ": "
                + perLoop.stream().mapToInt(Integer::intValue).sum() + " in all");
        return perLoop;
    }

    /** Loop {@code i}: a server on the shared port until every request is served; gives its count. */
    @Async
    static Coroutine<Integer> serveOnLoop(int i, Shared shared) {
        try {
            return result(await(server(i, shared)));
        } catch (IOException e) {
            // runParallel takes an IntFunction, which cannot throw a checked exception.
            throw new UncheckedIOException(e);
        }
    }

    @Async
    static Coroutine<Integer> server(int i, Shared shared) throws IOException {
        int[] mine = new int[1];
        // Loop 0 takes a free port; the others listen on the same one.
        int port = i == 0 ? 0 : await(shared.port());
        StreamOptions options = StreamOptions.defaults().reusePort(true);
        try (Server server = await(startServer((r, w) -> answer(r, w, mine, shared), "127.0.0.1", port, options))) {
            if (i == 0) {
                System.out.println("Serving " + shared.requests() + " requests on 127.0.0.1:"
                        + server.localAddress().getPort() + " with " + shared.loops() + " loops, one thread each");
                shared.port().complete(server.localAddress().getPort());
            }
            if (shared.listening().incrementAndGet() == shared.loops()) {
                shared.ready().complete(null);
            }
            await(waitFor(Future.fromStage(shared.allServed()), PATIENCE));
        }
        return result(mine[0]);
    }
    // end::per-core[]

    /** A minimal HTTP/1.1 answer, one request per connection; the last request stops every loop. */
    @Async
    static Coroutine<Void> answer(StreamReader reader, StreamWriter writer, int[] mine, Shared shared)
            throws IOException {
        // The request line and the headers, up to the empty line.
        byte[] line;
        do {
            line = await(reader.readLine());
        } while (line.length > 2);
        writer.write(RESPONSE);
        writer.close();
        await(writer.waitClosed());
        mine[0]++;
        if (shared.served().incrementAndGet() == shared.requests()) {
            shared.allServed().complete(null);
        }
        return done();
    }

    /** The client: every request once all the loops listen, 16 at a time; gives how many answers were right. */
    @Async
    static Coroutine<Integer> fetchAll(Shared shared) {
        await(shared.ready());
        int port = await(shared.port());
        int ok = 0;
        try {
            for (int sent = 0; sent < shared.requests(); ) {
                List<Coroutine<String>> batch = new ArrayList<>();
                for (int k = 0; k < 16 && sent < shared.requests(); k++, sent++) {
                    batch.add(get(port));
                }
                for (String body : await(gather(new ArrayList<>(batch)))) {
                    if (body.equals(BODY)) {
                        ok++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result(ok);
    }

    @Async
    static Coroutine<String> get(int port) throws IOException {
        try (Connection c = await(openConnection("127.0.0.1", port))) {
            c.writer().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(US_ASCII));
            String response = new String(await(c.reader().read(-1)), US_ASCII);
            return result(response.substring(response.indexOf("\r\n\r\n") + 4));
        }
    }
}
