package dev.weft.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one sitting of {@code compare.sh} measured, read back from the peers' output: the
 * {@code RESULT <peer> <workload> <value> <unit>} lines, and the {@code META <key> <text>} lines
 * in which the script names the machine and the runtimes. Any other line is ignored, so the peers'
 * own chatter can go to the same file.
 */
final class Results {
    /** One measured number. */
    record Result(String peer, String workload, double value, String unit) {
    }

    private final List<Result> results = new ArrayList<>();
    private final Map<String, String> meta = new LinkedHashMap<>();

    static Results read(Path file) throws IOException {
        Results r = new Results();
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            String[] f = line.trim().split("\\s+", 5);
            if (f[0].equals("RESULT")) {
                if (f.length != 5) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": a RESULT line needs peer, workload,"
                            + " value and unit, separated by spaces; found: " + line);
                }
                r.results.add(new Result(f[1], f[2], Double.parseDouble(f[3]), f[4]));
            } else if (f[0].equals("META") && f.length >= 2) {
                String text = line.trim().substring(4).trim();
                int space = text.indexOf(' ');
                // A key given twice (the load at the start and at the end) keeps both texts.
                r.meta.merge(space < 0 ? text : text.substring(0, space), space < 0 ? "" : text.substring(space + 1).trim(),
                        (first, second) -> first + "; " + second);
            }
        }
        return r;
    }

    List<Result> all() {
        return results;
    }

    Map<String, String> meta() {
        return meta;
    }

    /** The peers in the order of their first result, Weft first when present. */
    List<String> peers() {
        List<String> peers = new ArrayList<>();
        for (Result r : results) {
            if (!peers.contains(r.peer())) {
                peers.add(r.peer());
            }
        }
        if (peers.remove("weft")) {
            peers.add(0, "weft");
        }
        return peers;
    }

    /** The last value a peer reported for a workload, or null. */
    Result find(String peer, String workload) {
        Result found = null;
        for (Result r : results) {
            if (r.peer().equals(peer) && r.workload().equals(workload)) {
                found = r;
            }
        }
        return found;
    }
}
