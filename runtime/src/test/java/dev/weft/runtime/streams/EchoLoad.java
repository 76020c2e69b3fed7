package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The streams' load test, a program of its own (not a unit test, not in {@code .ci/run}): many
 * concurrent connections echoing small messages for a bounded time, with the errors, the
 * messages per second and the heap before and after. {@code benchmarks/echo-load.sh} runs the
 * server and the client as two processes (10,000 connections are 20,000 descriptors).
 *
 * <pre>
 * java -cp runtime/target/classes:runtime/target/test-classes dev.weft.runtime.streams.EchoLoad server PORT SECONDS
 * java -cp ... dev.weft.runtime.streams.EchoLoad client PORT CONNECTIONS SECONDS [MESSAGE_BYTES]
 * </pre>
 */
public final class EchoLoad {
    private EchoLoad() {
    }

    /** What the clients counted. */
    static final class Stats {
        long messages;
        int connected;
        int errors;
        int closed;
        Throwable firstError;

        void failed(Throwable e) {
            errors++;
            if (firstError == null) {
                firstError = e;
            }
        }
    }

    /**
     * Runs the server or the client side.
     *
     * @param args {@code server PORT SECONDS} or {@code client PORT CONNECTIONS SECONDS [MESSAGE_BYTES]}
     * @throws IOException when the server cannot listen
     */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[1]);
        if (args[0].equals("server")) {
            Aio.run(serve(port, Double.parseDouble(args[2])));
        } else {
            int connections = Integer.parseInt(args[2]);
            double seconds = Double.parseDouble(args[3]);
            int size = args.length > 4 ? Integer.parseInt(args[4]) : 64;
            Stats st = Aio.run(load(port, connections, seconds, size));
            if (st.errors > 0) {
                System.exit(1);
            }
        }
    }

    static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** Echoes every connection until the peer ends it; stops listening after {@code seconds}. */
    @Async
    static Coroutine<Void> serve(int port, double seconds) throws IOException {
        ConnectionHandler echo = EchoLoad::echo;
        long before = usedHeap();
        Server server = await(Aio.startServer(echo, "127.0.0.1", port, StreamOptions.defaults().backlog(4096)));
        System.out.println("server: listening on " + server.localAddress() + ", heap " + mib(before));
        // Until the clients have come and gone, or at most {@code seconds}.
        double left = seconds;
        while (left > 0 && (served == 0 || server.activeConnections() > 0)) {
            await(sleep(Math.min(5, left)));
            left -= 5;
            System.out.println("server: " + server.activeConnections() + " connections, heap " + mib(usedHeap()));
        }
        server.close();
        await(server.waitClosed());
        System.out.println("server: closed, heap " + mib(usedHeap()) + " (" + mib(before) + " before)");
        return done();
    }

    /** How many connections the server has had. */
    private static int served;

    @Async
    static Coroutine<Void> echo(StreamReader r, StreamWriter w) throws IOException {
        served++;
        try {
            byte[] data;
            while ((data = await(r.read(64 * 1024))).length > 0) {
                w.write(data);
                await(w.drain());
            }
        } finally {
            await(w.aclose());
        }
        return done();
    }

    /** Opens {@code n} connections, then has each echo {@code size}-byte messages for {@code seconds}. */
    @Async
    static Coroutine<Stats> load(int port, int n, double seconds, int size) {
        Stats st = new Stats();
        long heapBefore = usedHeap();
        Future<Long> go = getRunningLoop().createFuture();
        List<Task<Void>> clients = new ArrayList<>(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            clients.add(createTask(client(port, size, go, st)));
            if (i % 500 == 499) {
                // Let a batch connect before the next: a listen backlog is not 10,000 deep.
                while (st.connected + st.errors < i + 1) {
                    await(sleep(0.001));
                }
            }
        }
        while (st.connected + st.errors < n) {
            await(sleep(0.001));
        }
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        long heapConnected = usedHeap();
        System.out.println(String.format(Locale.ROOT, "client: %,d connected in %.1f s (%d failed), heap %s (%s before)",
                st.connected, connectSeconds, st.errors, mib(heapConnected), mib(heapBefore)));
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        go.setResult(deadline);
        double half = seconds / 2;
        await(sleep(half));
        long heapMid = usedHeap();
        long messagesMid = st.messages;
        System.out.println(String.format(Locale.ROOT, "client: %,d messages after %.0f s, heap %s", messagesMid, half,
                mib(heapMid)));
        for (Task<Void> t : clients) {
            await(t);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long heapEnd = usedHeap();
        System.out.println(String.format(Locale.ROOT,
                "client: %,d connections, %.0f s: %,d messages of %d B, %,.0f messages/s, %d errors%s; "
                        + "heap %s connected, %s half-way, %s after (%d closed)",
                n, elapsed, st.messages, size, st.messages / elapsed, st.errors,
                st.firstError == null ? "" : " (first: " + st.firstError + ")", mib(heapConnected), mib(heapMid),
                mib(heapEnd), st.closed));
        return result(st);
    }

    @Async
    static Coroutine<Void> client(int port, int size, Future<Long> go, Stats st) {
        Connection c;
        try {
            c = await(Aio.openConnection("127.0.0.1", port));
        } catch (IOException e) {
            st.failed(e);
            return done();
        }
        st.connected++;
        long deadline = await(go);
        byte[] message = new byte[size];
        try {
            while (System.nanoTime() < deadline) {
                c.writer().write(message);
                await(c.writer().drain());
                await(c.reader().readExactly(size));
                st.messages++;
            }
            await(c.aclose());
            st.closed++;
        } catch (Exception e) {
            st.failed(e);
            StreamWriterTest.startClosing(c.writer());
        }
        return done();
    }
}
