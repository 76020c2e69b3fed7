package dev.weft.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JMH suite's results as written by {@code -rf csv}: one row per benchmark with its score, and
 * with {@code -prof gc} a secondary row {@code <benchmark>:gc.alloc.rate.norm} holding the bytes
 * allocated per operation.
 */
final class JmhCsv {
    /** One benchmark: its time per operation and, when profiled, its allocation per operation. */
    record Row(String benchmark, double score, double error, String unit, Double bytesPerOp) {
        /** The method name, without package and class. */
        String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }

        /** The simple class name. */
        String benchmarkClass() {
            String withoutMethod = benchmark.substring(0, benchmark.lastIndexOf('.'));
            return withoutMethod.substring(withoutMethod.lastIndexOf('.') + 1);
        }
    }

    private JmhCsv() {
    }

    static List<Row> read(Path file) throws IOException {
        Map<String, double[]> primary = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        Map<String, Double> alloc = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = cells(line);
            if (cells.size() < 7) {
                continue;
            }
            String name = cells.get(0);
            double score = parse(cells.get(4));
            int colon = name.indexOf(':');
            if (colon < 0) {
                primary.put(name, new double[] {score, parse(cells.get(5))});
                units.put(name, cells.get(6));
            } else if (name.endsWith(":gc.alloc.rate.norm")) {
                alloc.put(name.substring(0, colon), score);
            }
        }
        List<Row> rows = new ArrayList<>();
        primary.forEach((name, v) -> rows.add(new Row(name, v[0], v[1], units.get(name), alloc.get(name))));
        return rows;
    }

    private static double parse(String cell) {
        return cell.isEmpty() || cell.equals("NaN") ? Double.NaN : Double.parseDouble(cell);
    }

    /** Splits one CSV line; JMH quotes every text cell and never puts a quote inside one. */
    private static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString());
        return out;
    }
}
