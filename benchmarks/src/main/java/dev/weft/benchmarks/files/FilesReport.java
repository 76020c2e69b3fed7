package dev.weft.benchmarks.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the files comparison's report from the {@code RESULT} and {@code META} lines that
 * {@code compare-files.sh} gathered: one table of the file rows with the ratios to aiofiles and to
 * blocking Java against the contract's targets, one of the subprocess rows, one of the mechanisms,
 * then the hand-written notes.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.weft.benchmarks.files.FilesReport RESULTS NOTES|- OUT.md}
 */
public final class FilesReport {
    private static final List<String> FILE_ROWS = List.of("read-small", "write-small", "read-lines", "read-whole",
            "write-lines", "write-whole");
    private static final Map<String, String> WHAT = Map.of(
            "read-small", "read the 4 KiB files (open, read whole, close)",
            "write-small", "write the 4 KiB files (open, write, close)",
            "read-lines", "read the big file line by line",
            "read-whole", "read the big file whole",
            "write-lines", "write the big file line by line",
            "write-whole", "write the big file whole",
            "spawn-seq", "children `echo hi`, spawn + communicate, one after the other",
            "spawn-16", "the same, 16 at once");

    private FilesReport() {
    }

    /**
     * Reads the results and writes the report.
     *
     * @param args the results file, the notes file or {@code -}, the report to write
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        List<String> meta = new ArrayList<>();
        Map<String, Map<String, Double>> byRow = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.startsWith("META ")) {
                meta.add(line.substring(5));
            } else if (line.startsWith("RESULT ")) {
                String[] f = line.split(" ");
                byRow.computeIfAbsent(f[2], k -> new LinkedHashMap<>()).put(f[1], Double.parseDouble(f[3]));
                units.put(f[2], f[4]);
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("# Files and subprocesses: Weft against aiofiles, blocking Java and kotlinx\n\n");
        md.append("Written by `benchmarks/compare-files.sh` from one sitting; do not edit by hand (the notes at the end"
                + " come from `benchmarks/performance-files-notes.md`). Higher is better everywhere.\n\n");
        for (String m : meta) {
            md.append("- ").append(m).append('\n');
        }
        md.append("\n## Files\n\n");
        md.append("Contract: at least 5x aiofiles on every row, and within 1.5x of blocking Java (at least 0.67x of"
                + " its throughput).\n\n");
        md.append("| row | unit | Weft `AsyncFiles` | aiofiles | blocking Java | kotlinx `Dispatchers.IO` |"
                + " Weft / aiofiles | Weft / blocking Java | targets |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (String row : FILE_ROWS) {
            Map<String, Double> v = byRow.getOrDefault(row, Map.of());
            Double weft = v.get("weft");
            Double aio = v.get("aiofiles");
            Double blocking = v.get("blocking-java");
            String verdict;
            if (weft == null || aio == null || blocking == null) {
                verdict = "not measured";
            } else {
                boolean fiveX = weft >= 5 * aio;
                boolean near = weft * 1.5 >= blocking;
                verdict = fiveX && near ? "met" : "missed: " + (fiveX ? "" : "under 5x aiofiles")
                        + (!fiveX && !near ? ", " : "") + (near ? "" : "slower than 1.5x blocking Java");
            }
            md.append("| ").append(WHAT.get(row)).append(" | ").append(units.getOrDefault(row, "")).append(" | ")
                    .append(num(weft)).append(" | ").append(num(aio)).append(" | ").append(num(blocking)).append(" | ")
                    .append(num(v.get("kotlinx-io"))).append(" | ").append(ratio(weft, aio)).append(" | ")
                    .append(ratio(weft, blocking)).append(" | ").append(verdict).append(" |\n");
        }
        md.append("\n## Subprocesses\n\n");
        md.append("| row | unit | Weft `createSubprocessExec` | asyncio `create_subprocess_exec` | Java `ProcessBuilder`"
                + " (blocking; 16 threads for 16 at once) | kotlinx `Dispatchers.IO` | Weft / asyncio |"
                + " Weft / blocking Java |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (String row : List.of("spawn-seq", "spawn-16")) {
            Map<String, Double> v = byRow.getOrDefault(row, Map.of());
            md.append("| ").append(WHAT.get(row)).append(" | ").append(units.getOrDefault(row, "")).append(" | ")
                    .append(num(v.get("weft"))).append(" | ").append(num(v.get("asyncio"))).append(" | ")
                    .append(num(v.get("blocking-java"))).append(" | ").append(num(v.get("kotlinx-io"))).append(" | ")
                    .append(ratio(v.get("weft"), v.get("asyncio"))).append(" | ")
                    .append(ratio(v.get("weft"), v.get("blocking-java"))).append(" |\n");
        }
        md.append("\n## Mechanism, on the 4 KiB-files read\n\n");
        md.append("`FileMechanisms`: each file opened, read whole (UTF-8) and closed, 64 at once, from one loop.\n\n");
        md.append("| mechanism | files/s | vs the default executor, 3 hops |\n| --- | ---: | ---: |\n");
        Double base = null;
        for (Map.Entry<String, Map<String, Double>> e : byRow.entrySet()) {
            Double m = e.getValue().get("mechanism");
            if (m == null) {
                continue;
            }
            if (e.getKey().equals("executor-3-hops")) {
                base = m;
            }
        }
        for (Map.Entry<String, Map<String, Double>> e : byRow.entrySet()) {
            Double m = e.getValue().get("mechanism");
            if (m != null) {
                md.append("| ").append(e.getKey()).append(" | ").append(num(m)).append(" | ").append(ratio(m, base))
                        .append(" |\n");
            }
        }
        if (!args[1].equals("-") && Files.exists(Path.of(args[1]))) {
            md.append('\n').append(Files.readString(Path.of(args[1])));
        }
        Files.writeString(Path.of(args[2]), md);
    }

    private static String num(Double v) {
        if (v == null) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", a / b);
    }
}
