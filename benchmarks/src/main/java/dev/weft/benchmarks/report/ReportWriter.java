package dev.weft.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code docs/performance.md} and the chart beside it from one sitting of
 * {@code compare.sh}: the peer comparison (absolute numbers and each peer's ratio to Weft, with
 * the performance contract's targets), the JMH suite's table (time and allocation per operation), the machine,
 * the JDKs and the date.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.weft.benchmarks.report.ReportWriter RESULTS JMH_CSV
 * NOTES_MD OUT_MD OUT_PNG}, where {@code JMH_CSV} and {@code NOTES_MD} may be {@code -} for none.
 * The notes file is the hand-written analysis placed after the tables.
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    /**
     * Writes the report and the chart.
     *
     * @param args the results file, the JMH CSV (or {@code -}), the notes (or {@code -}), the
     *             Markdown and PNG paths to write
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException("ReportWriter needs 5 arguments: RESULTS JMH_CSV|- NOTES_MD|- OUT_MD OUT_PNG;"
                    + " got " + args.length + ". compare.sh passes them.");
        }
        System.setProperty("java.awt.headless", "true");
        Results results = Results.read(Path.of(args[0]));
        List<JmhCsv.Row> jmh = args[1].equals("-") ? List.of() : JmhCsv.read(Path.of(args[1]));
        String notes = args[2].equals("-") ? "" : Files.readString(Path.of(args[2]));
        Path md = Path.of(args[3]);
        Path png = Path.of(args[4]);
        Files.writeString(md, markdown(results, jmh, notes, png.getFileName().toString()));
        RatioChart.write(results, png);
        System.out.println("wrote " + md + " and " + png);
    }

    static String markdown(Results results, List<JmhCsv.Row> jmh, String notes, String chartName) {
        StringBuilder md = new StringBuilder();
        Map<String, String> meta = results.meta();
        md.append("# Performance\n\n");
        md.append("Measured by `benchmarks/compare.sh` on ").append(meta.getOrDefault("date", LocalDate.now().toString()))
                .append(", in one sitting, on one machine. This file and `").append(chartName)
                .append("` are written by `dev.weft.benchmarks.report.ReportWriter`; run the script again to refresh them.\n\n");
        md.append("| setup | |\n| --- | --- |\n");
        meta.forEach((k, v) -> {
            if (!k.equals("date")) {
                md.append("| ").append(k).append(" | ").append(v).append(" |\n");
            }
        });
        md.append("\n## Weft against its peers\n\n");
        md.append("Each cell is the peer's number and, in brackets, the peer's number divided by Weft's: above 1 Weft "
                + "is ahead by that factor, below 1 behind. Lower is better everywhere. `target` is the "
                + "performance contract's target for Weft (`none` where it sets none).\n\n");
        List<String> peers = results.peers();
        md.append("| workload | unit | target |");
        peers.forEach(p -> md.append(' ').append(p).append(" |"));
        md.append("\n| --- | --- | ---: |");
        peers.forEach(p -> md.append(" ---: |"));
        md.append('\n');
        for (Workload w : Workload.all()) {
            Results.Result weft = results.find("weft", w.key);
            md.append("| ").append(w.title).append(" | ").append(w.unit).append(" | ")
                    .append(w.hasTarget() ? "< " + number(w.target) : "none").append(" |");
            for (String p : peers) {
                Results.Result r = results.find(p, w.key);
                md.append(' ');
                if (r == null) {
                    md.append("n/a");
                } else if (p.equals("weft")) {
                    md.append("**").append(number(r.value())).append("**");
                    if (w.hasTarget()) {
                        md.append(r.value() < w.target ? " (met)" : " (missed)");
                    }
                } else {
                    md.append(number(r.value()));
                    if (weft != null) {
                        md.append(" (").append(ratio(r.value() / weft.value())).append(')');
                    }
                }
                md.append(" |");
            }
            md.append('\n');
        }
        md.append("\n![Cost relative to Weft, log scale](").append(chartName).append(")\n\n");
        md.append("Reference numbers for the peers, measured in an earlier sitting on a 2-core machine: ");
        StringBuilder refs = new StringBuilder();
        for (Workload w : Workload.all()) {
            if (!w.designReference.isEmpty()) {
                refs.append(refs.length() == 0 ? "" : "; ").append(w.title).append(": ");
                StringBuilder one = new StringBuilder();
                w.designReference.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                        one.append(one.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(number(e.getValue())));
                refs.append(one).append(' ').append(w.unit);
            }
        }
        md.append(refs).append(".\n");
        if (!jmh.isEmpty()) {
            md.append("\n## JMH suite\n\n");
            md.append("`java -jar benchmarks/target/benchmarks.jar -prof gc`, one fork, 3 warm-up and 5 measured iterations of 1 s. "
                    + "Time per operation (average, with JMH's 99.9% error) and bytes allocated per operation "
                    + "(`gc.alloc.rate.norm`).\n\n");
            md.append("| benchmark | time | B/op | target |\n| --- | ---: | ---: | --- |\n");
            for (JmhCsv.Row row : jmh) {
                md.append("| ").append(row.benchmarkClass()).append('.').append(row.method()).append(" | ")
                        .append(number(row.score())).append(" ± ").append(number(row.error())).append(' ').append(row.unit())
                        .append(" | ").append(row.bytesPerOp() == null ? "n/a" : number(row.bytesPerOp()))
                        .append(" | ").append(jmhTarget(row)).append(" |\n");
            }
        }
        if (!notes.isBlank()) {
            md.append('\n').append(notes.strip()).append('\n');
        }
        return md.toString();
    }

    private static String jmhTarget(JmhCsv.Row row) {
        double ns = row.score();
        return switch (row.method()) {
            case "awaitDoneFuture" -> "< 1 ns, 0 B: " + verdict(ns < 1 && row.bytesPerOp() != null && row.bytesPerOp() < 0.5);
            case "spawnAndGather" -> "< 60 ns: " + verdict(ns < 60);
            case "pingPong", "pingPongAmongOtherCoroutines" -> "< 25 ns: " + verdict(ns < 25);
            case "resumeThroughChain" -> "< 10 ns: " + verdict(ns < 10);
            case "generatorValue", "generatorValueSleepingEvery1000" -> "< 20 ns: " + verdict(ns < 20);
            case "acquireRelease" -> "< 10 ns, 0 B: " + verdict(ns < 10 && row.bytesPerOp() != null && row.bytesPerOp() < 0.5);
            case "putGet", "putGetAmongOtherCoroutines" -> "< 10 ns, 0 B: " + verdict(ns < 10 && row.bytesPerOp() != null && row.bytesPerOp() < 0.5);
            default -> "";
        };
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        String pattern = a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, v);
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, r >= 10 ? "×%.0f" : "×%.1f", r);
    }
}
