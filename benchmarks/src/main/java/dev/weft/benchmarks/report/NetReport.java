package dev.weft.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the network sitting's report ({@code network.md}, copied to
 * {@code docs/performance-network.md}) from what {@code benchmarks/compare-net.sh} measured: the
 * setup, the performance contract's network targets with Weft's ratios to Netty NIO's raw handler,
 * one table per load ranked by work per second of server CPU, and the idle connections.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.weft.benchmarks.report.NetReport META RESULTS_TSV
 * IDLE_TSV NOTES_MD OUT_MD}, where {@code NOTES_MD} (the hand-written analysis placed after the
 * tables) may be {@code -} for none.
 */
public final class NetReport {
    /** The peer every ratio is taken against, as the contract says. */
    static final String BASELINE = "netty-nio-raw";
    static final String STREAMS = "weft-streams";
    static final String PROTOCOL = "weft-protocol";

    private NetReport() {
    }

    /** One measured run: a row of {@code results.tsv}. */
    record Run(String workload, String kase, int connections, String peer, long count, double seconds, double rate,
            long p50, long p99, double cpu, double perCpu, String alloc, String note) {
        String load() {
            return workload + " " + kase + ", " + connections + " connections";
        }
    }

    /** One server's idle connections: a row of {@code idle.tsv}. */
    record Idle(String peer, String connections, String accepted, String rssBefore, String rssAfter, String heapBefore,
            String heapAfter, String perConnection, String note) {
    }

    /**
     * Writes the report.
     *
     * @param args the meta file, the results and idle TSVs, the notes (or {@code -}), the Markdown file to write
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException("NetReport needs 5 arguments: META RESULTS_TSV IDLE_TSV NOTES_MD|- OUT_MD;"
                    + " got " + args.length + ". compare-net.sh passes them.");
        }
        List<String> meta = Files.readAllLines(Path.of(args[0]));
        List<Run> runs = readRuns(Path.of(args[1]));
        List<Idle> idle = readIdle(Path.of(args[2]));
        String notes = args[3].equals("-") ? "" : Files.readString(Path.of(args[3]));
        Path out = Path.of(args[4]);
        Files.writeString(out, markdown(meta, runs, idle) + (notes.isEmpty() ? "" : "\n" + notes));
        System.out.println("wrote " + out);
    }

    static List<Run> readRuns(Path tsv) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (String line : Files.readAllLines(tsv)) {
            String[] f = line.split("\t", -1);
            if (f.length < 13 || f[0].equals("workload")) {
                continue;
            }
            runs.add(new Run(f[0], f[1], Integer.parseInt(f[2]), f[3], Long.parseLong(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]), Double.parseDouble(f[9]),
                    Double.parseDouble(f[10]), f[11], f[12]));
        }
        return runs;
    }

    static List<Idle> readIdle(Path tsv) throws IOException {
        List<Idle> idle = new ArrayList<>();
        for (String line : Files.readAllLines(tsv)) {
            String[] f = line.split("\t", -1);
            if (f.length < 9 || f[0].equals("peer")) {
                continue;
            }
            idle.add(new Idle(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]));
        }
        return idle;
    }

    static String markdown(List<String> meta, List<Run> runs, List<Idle> idle) {
        StringBuilder md = new StringBuilder();
        md.append("# Performance: network servers\n\n");
        md.append("Measured by `benchmarks/compare-net.sh`, every peer in one sitting, on one machine; this file is written by "
                + "`dev.weft.benchmarks.report.NetReport` (run the script again to refresh it). Each server runs on core 0 "
                + "(`taskset -c 0`) with one event-loop thread, the load on core 1. On two cores the load generator saturates "
                + "before the fastest servers do, so peers are ranked by work per second of the **server's own CPU** "
                + "(utime + stime from `/proc/PID/stat` around the run, JIT and GC threads included), beside the "
                + "requests per second the load saw and its p50 and p99 latency. Allocation per request is the growth of "
                + "the bytes allocated by all of a JVM server's threads (`jcmd PID Thread.print -e`) over the run.\n\n");
        md.append("| setup | |\n| --- | --- |\n");
        for (String line : meta) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                md.append("| ").append(line, 0, colon).append(" | ").append(line.substring(colon + 2)).append(" |\n");
            }
        }
        md.append('\n');

        Map<String, List<Run>> byLoad = new LinkedHashMap<>();
        for (Run r : runs) {
            byLoad.computeIfAbsent(r.load(), k -> new ArrayList<>()).add(r);
        }
        targets(md, byLoad, idle);
        md.append("## Every load\n\n");
        md.append("Ranked by requests (messages) per server CPU-second; the ratio is to Netty NIO's raw handler in the same load.\n\n");
        for (Map.Entry<String, List<Run>> e : byLoad.entrySet()) {
            md.append("### ").append(title(e.getValue().get(0))).append("\n\n");
            md.append("| peer | per server CPU-s | vs Netty NIO | per s (load's view) | p50 | p99 | server CPU | B allocated/op | note |\n");
            md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
            Run base = find(e.getValue(), BASELINE);
            List<Run> sorted = new ArrayList<>(e.getValue());
            sorted.sort(Comparator.comparingDouble(Run::perCpu).reversed());
            for (Run r : sorted) {
                md.append("| ").append(r.peer().startsWith("weft") ? "**" + r.peer() + "**" : r.peer())
                        .append(" | ").append(count(r.perCpu()))
                        .append(" | ").append(base == null || base.perCpu() == 0 ? "" : String.format(Locale.ROOT, "%.2fx", r.perCpu() / base.perCpu()))
                        .append(" | ").append(count(r.rate()))
                        .append(" | ").append(micros(r.p50()))
                        .append(" | ").append(p99(r))
                        .append(" | ").append(String.format(Locale.ROOT, "%.2f s", r.cpu()))
                        .append(" | ").append(r.alloc().equals("-") ? "" : r.alloc())
                        .append(" | ").append(r.note().replace("|", "/"))
                        .append(" |\n");
            }
            md.append('\n');
        }
        md.append("## 10,000 idle connections\n\n");
        md.append("Each server, fresh, takes the idle connections; the figure is what its memory grew by, from before them to 2 s "
                + "after it accepted the last, per connection, heap and native together. For Python that is the growth of "
                + "its resident memory (`VmRSS`). A JVM server first takes a round of them that is closed again, so that what "
                + "it sets up once (classes, JIT code, buffer pools) is not counted, and it touches fresh eden pages for its garbage, which would count as "
                + "memory per connection, so a JVM server runs here with `-XX:+AlwaysPreTouch` (its heap resident from "
                + "the start: the RSS growth is the native part) and the live heap's growth after a full collection "
                + "(`jcmd PID GC.run`, then `GC.heap_info`) is added (a fall of the RSS, the JVM's own native memory "
                + "moving, is not subtracted from it). The contract's target is under 1 KiB a "
                + "connection.\n\n");
        md.append("| peer | connections | accepted | RSS before | RSS after | live heap before | live heap after | per connection | note |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        List<Idle> sortedIdle = new ArrayList<>(idle);
        sortedIdle.sort(Comparator.comparingDouble(i -> parseOr(i.perConnection(), Double.MAX_VALUE)));
        for (Idle i : sortedIdle) {
            md.append("| ").append(i.peer().startsWith("weft") ? "**" + i.peer() + "**" : i.peer())
                    .append(" | ").append(i.connections()).append(" | ").append(i.accepted())
                    .append(" | ").append(kib(i.rssBefore())).append(" | ").append(kib(i.rssAfter()))
                    .append(" | ").append(kib(i.heapBefore())).append(" | ").append(kib(i.heapAfter()))
                    .append(" | ").append(i.perConnection().equals("-") ? "-" : i.perConnection() + " B")
                    .append(" | ").append(i.note()).append(" |\n");
        }
        md.append("\nRaw results: `benchmarks/target/compare-net/results.tsv` and `idle.tsv`, the load tools' own output in "
                + "`logs/` beside them.\n");
        return md.toString();
    }

    private static void targets(StringBuilder md, Map<String, List<Run>> byLoad, List<Idle> idle) {
        md.append("## The contract's targets\n\n");
        md.append("Per server CPU-second, against Netty NIO with its raw handler on one event-loop thread: Weft through streams "
                + "at least 1.0x, through a `Protocol` at least 1.2x; p99 no worse than Netty's.\n\n");
        md.append("| load | Netty NIO per CPU-s | Weft streams | ≥ 1.0x | Weft Protocol | ≥ 1.2x | p99 Netty / streams / Protocol | p99 met |\n");
        md.append("| --- | ---: | ---: | :---: | ---: | :---: | ---: | :---: |\n");
        for (List<Run> load : byLoad.values()) {
            Run base = find(load, BASELINE);
            Run streams = find(load, STREAMS);
            Run protocol = find(load, PROTOCOL);
            if (base == null || base.perCpu() == 0) {
                continue;
            }
            md.append("| ").append(title(base)).append(" | ").append(count(base.perCpu()))
                    .append(" | ").append(ratio(streams, base)).append(" | ").append(met(streams, base, 1.0))
                    .append(" | ").append(ratio(protocol, base)).append(" | ").append(met(protocol, base, 1.2))
                    .append(" | ").append(p99(base)).append(" / ").append(streams == null ? "-" : p99(streams))
                    .append(" / ").append(protocol == null ? "-" : p99(protocol))
                    .append(" | ").append(streams == null || protocol == null ? "-"
                            : base.p99() < base.p50() || streams.p99() < streams.p50() || protocol.p99() < protocol.p50() ? "n/a"
                            : streams.p99() <= base.p99() && protocol.p99() <= base.p99() ? "yes"
                            : streams.p99() <= base.p99() ? "Protocol no"
                            : protocol.p99() <= base.p99() ? "streams no" : "no")
                    .append(" |\n");
        }
        md.append('\n');
        for (Idle i : idle) {
            if (i.peer().startsWith("weft")) {
                double b = parseOr(i.perConnection(), Double.NaN);
                md.append("- Idle connections, ").append(i.peer()).append(": ")
                        .append(Double.isNaN(b) ? "not measured" : i.perConnection() + " B each, "
                                + (b < 1024 ? "under 1 KiB: met" : "over 1 KiB: missed"))
                        .append('\n');
            }
        }
        md.append('\n');
    }

    /**
     * The p99, or "n/a" where wrk's pipelined histogram printed one below the p50 (it prints
     * 0.00us when its latency samples overflow).
     */
    private static String p99(Run r) {
        return r.p99() < r.p50() ? "n/a (wrk)" : micros(r.p99());
    }

    private static String title(Run r) {
        String what = switch (r.workload()) {
            case "http" -> "HTTP " + (r.kase().equals("plain") ? "plain" : "pipelined 16 deep");
            case "echo" -> "echo " + r.kase();
            default -> r.workload() + " " + r.kase();
        };
        return what + ", " + r.connections() + " connections";
    }

    private static Run find(List<Run> runs, String peer) {
        for (Run r : runs) {
            if (r.peer().equals(peer)) {
                return r;
            }
        }
        return null;
    }

    private static String ratio(Run r, Run base) {
        return r == null ? "-" : String.format(Locale.ROOT, "%s (%.2fx)", count(r.perCpu()), r.perCpu() / base.perCpu());
    }

    private static String met(Run r, Run base, double target) {
        return r == null ? "-" : r.perCpu() >= target * base.perCpu() ? "yes" : "no";
    }

    static String count(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String micros(long us) {
        if (us < 0) {
            return "-";
        }
        if (us >= 10_000) {
            return String.format(Locale.ROOT, "%.1f ms", us / 1000.0);
        }
        if (us >= 1000) {
            return String.format(Locale.ROOT, "%.2f ms", us / 1000.0);
        }
        return us + " µs";
    }

    private static String kib(String v) {
        double k = parseOr(v, Double.NaN);
        return Double.isNaN(k) || k < 0 ? "-" : String.format(Locale.ROOT, "%.1f MiB", k / 1024);
    }

    private static double parseOr(String s, double fallback) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
