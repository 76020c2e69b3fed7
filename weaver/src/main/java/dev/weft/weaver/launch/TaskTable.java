package dev.weft.weaver.launch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code ps} prints: one row per task and awaiter, as CPython 3.14's
 * {@code python -m asyncio ps}, with the loop, the thread and the task's state added, and each frame
 * at the line of its await:
 *
 * <pre>
 * loop thread task id task name  state                  coroutine stack      awaiter chain        awaiter name awaiter id
 * -------------------------------------------------------------------------------------------------------------------
 * 1    main   3       report     awaits task fetch-both Waiting.report:46    Waiting.main:57      Task-1       1
 * 1    main   4       users      awaits Future[pending] Waiting.fetch:33     Waiting.fetchBoth:41 fetch-both   2
 * </pre>
 *
 * A task that several tasks wait for has a row for each; one that nothing waits for has an empty
 * awaiter chain and name and awaiter id 0. The columns are as wide as their widest cell.
 */
final class TaskTable {
    private static final String[] HEADER = {"loop", "thread", "task id", "task name", "state", "coroutine stack",
        "awaiter chain", "awaiter name", "awaiter id"};

    private TaskTable() {
    }

    static List<String> lines(List<RemoteTask> tasks) {
        Map<String, RemoteTask> byId = new HashMap<>();
        for (RemoteTask t : tasks) {
            byId.put(key(t.loop(), t.id()), t);
        }
        List<String[]> rows = new ArrayList<>();
        for (RemoteTask t : tasks) {
            String stack = chain(t);
            if (t.awaitedBy().isEmpty()) {
                rows.add(row(t, stack, "", "", "0"));
            }
            for (int awaiter : t.awaitedBy()) {
                RemoteTask a = byId.get(key(t.loop(), awaiter));
                rows.add(row(t, stack, a == null ? "" : chain(a), a == null ? "Unknown" : a.name(),
                        Integer.toString(awaiter)));
            }
        }
        int[] widths = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            widths[i] = HEADER[i].length();
            for (String[] r : rows) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(format(HEADER, widths));
        lines.add("-".repeat(lines.get(0).length()));
        for (String[] r : rows) {
            lines.add(format(r, widths));
        }
        return lines;
    }

    private static String[] row(RemoteTask t, String stack, String awaiterChain, String awaiterName, String awaiterId) {
        return new String[] {Integer.toString(t.loop()), t.thread().isEmpty() ? "-" : t.thread(),
            Integer.toString(t.id()), t.name(), t.state(), stack, awaiterChain, awaiterName, awaiterId};
    }

    /** The frames innermost first, as CPython's {@code coroutine stack} column. */
    private static String chain(RemoteTask t) {
        return t.stack().stream().map(RemoteTask.Frame::functionAndLine).collect(Collectors.joining(" -> "));
    }

    private static String format(String[] cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(cells[i]);
            if (i < cells.length - 1) {
                sb.append(" ".repeat(widths[i] - cells[i].length()));
            }
        }
        return sb.toString();
    }

    static String key(int loop, int id) {
        return loop + ":" + id;
    }
}
