package dev.weft.weaver.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ps}'s table, on snapshots made by hand: CPython 3.14's columns, with loop, thread and state. */
class TaskTableTest {
    private static RemoteTask.Frame frame(String method, int line) {
        return new RemoteTask.Frame("demo.App", method, "App.java", line);
    }

    @Test
    void aRowPerTaskAndAwaiterWithColumnsAsWideAsTheirWidestCell() {
        List<String> lines = TaskTable.lines(List.of(
                new RemoteTask(1, "main", 1, "Task-1", "running", List.of(frame("main", 30)), List.of()),
                new RemoteTask(1, "main", 2, "worker", "awaits Future[pending]",
                        List.of(frame("fetch", 12), frame("work", 20)), List.of(1, 7)),
                new RemoteTask(2, "", 1, "idle", "not started", List.of(), List.of())));
        assertEquals(List.of(
                "loop thread task id task name state                  coroutine stack             awaiter chain awaiter name awaiter id",
                "-".repeat(118),
                "1    main   1       Task-1    running                App.main:30                                            0",
                "1    main   2       worker    awaits Future[pending] App.fetch:12 -> App.work:20 App.main:30   Task-1       1",
                "1    main   2       worker    awaits Future[pending] App.fetch:12 -> App.work:20               Unknown      7",
                "2    -      1       idle      not started                                                                   0"),
                lines);
    }

    @Test
    void noTaskIsTheHeaderAlone() {
        List<String> lines = TaskTable.lines(List.of());
        assertEquals(2, lines.size());
        assertEquals("loop thread task id task name state coroutine stack awaiter chain awaiter name awaiter id", lines.get(0));
    }

    @Test
    void namesFromTheTargetHaveTheirControlCharactersEscapedSoThatNoRowBreaksAndNoEscapeReachesTheTerminal() {
        assertEquals("two\\nlines\\ttab\\u001b[31mred", RemoteTasks.printable("two\nlines\ttab\u001b[31mred"));
        assertEquals("plain ünïcødé 名前", RemoteTasks.printable("plain ünïcødé 名前"));
    }
}
