package dev.weft.samples;

import com.sun.net.httpserver.HttpServer;
import dev.weft.runtime.Aio;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one sample by name, or the {@code gather} demo with no name:
 * {@code ./run-sample [gather|gather-sequential|factorial|factorial-blocking|executor|files|queue|limited-fetch|taskgroup|http|echo|hello-http|unix-echo|read-files|children|udp-echo|per-core|tls|ticker|paging|publisher|stuck|traced|waiting]}.
 */
public final class Main {
    private Main() {
    }

    /** A sample that can be run from the command line. */
    @FunctionalInterface
    interface Sample {
        void run() throws Exception;
    }

    static Map<String, Sample> samples() {
        Map<String, Sample> samples = new LinkedHashMap<>();
        samples.put("gather", () -> Aio.run(Gather.main()));
        samples.put("gather-sequential", () -> Aio.run(Gather.sequential()));
        samples.put("factorial", () -> Aio.run(Factorial.main()));
        samples.put("factorial-blocking", () -> Aio.run(Factorial.blockingMain()));
        samples.put("executor", () -> Aio.run(Executor.main()));
        samples.put("files", () -> Aio.run(AsyncFiles.main()));
        samples.put("queue", () -> Aio.run(QueueWorkers.main(new java.util.Random(2024))));
        samples.put("limited-fetch", () -> {
            HttpServer server = HttpFetch.startServer();
            try {
                Aio.run(LimitedFetch.main(HttpFetch.baseOf(server)));
            } finally {
                server.stop(0);
            }
        });
        samples.put("taskgroup", () -> Aio.run(Structured.main()));
        samples.put("http", () -> {
            HttpServer server = HttpFetch.startServer();
            try {
                Aio.run(HttpFetch.main(HttpFetch.baseOf(server)));
            } finally {
                server.stop(0);
            }
        });
        samples.put("echo", () -> Aio.run(EchoServer.main()));
        samples.put("hello-http", () -> Aio.run(HelloHttp.main()));
        samples.put("unix-echo", () -> Aio.run(UnixEcho.main()));
        samples.put("read-files", () -> Aio.run(ReadFiles.main()));
        samples.put("children", () -> Aio.run(Children.main()));
        samples.put("udp-echo", () -> Aio.run(UdpEcho.main()));
        samples.put("per-core", () -> PerCoreServer.serve(Runtime.getRuntime().availableProcessors(), 200));
        samples.put("tls", TlsEcho::run);
        samples.put("ticker", () -> Aio.run(Generators.tickerMain()));
        samples.put("paging", () -> {
            HttpServer api = Generators.startApi(3);
            try {
                Aio.run(Generators.pagingMain(HttpFetch.baseOf(api)));
            } finally {
                api.stop(0);
            }
        });
        samples.put("publisher", () -> Aio.run(Generators.publisherMain()));
        samples.put("stuck", () -> Aio.run(Stuck.main()));
        samples.put("traced", () -> Aio.run(Traced.main()));
        samples.put("waiting", () -> Waiting.main(new String[0]));
        return samples;
    }

    /**
     * Runs the sample named by the first argument, {@code gather} when there is none.
     *
     * @param args the sample's name, optionally
     * @throws Exception when the sample fails
     */
    public static void main(String[] args) throws Exception {
        String name = args.length == 0 ? "gather" : args[0];
        Sample sample = samples().get(name);
        if (sample == null) {
            System.err.println("no sample named '" + name + "'; the samples are: " + String.join(", ", samples().keySet()));
            System.exit(2);
        }
        System.out.println("== " + name + " ==");
        sample.run();
    }
}
