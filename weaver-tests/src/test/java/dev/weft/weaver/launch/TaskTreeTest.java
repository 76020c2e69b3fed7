package dev.weft.weaver.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code pstree}'s drawing, on snapshots made by hand: CPython 3.14's shapes and its cycle report. */
class TaskTreeTest {
    private static RemoteTask.Frame frame(String method, int line) {
        return new RemoteTask.Frame("demo.App", method, "App.java", line);
    }

    private static RemoteTask task(int id, String name, List<RemoteTask.Frame> stack, Integer... awaitedBy) {
        return new RemoteTask(1, "main", id, name, "awaits something", stack, List.of(awaitedBy));
    }

    @Test
    void childrenAwaitedFromTheSameFrameHangSideBySideUnderIt() throws Exception {
        List<String> lines = TaskTree.lines(List.of(
                task(1, "main", List.of(frame("gatherer", 12), frame("main", 30))),
                task(2, "left", List.of(frame("leaf", 5)), 1),
                task(3, "right", List.of(frame("leaf", 5)), 1)));
        assertEquals(List.of(
                "└── (T) main",
                "    └──  App.main App.java:30",
                "        └──  App.gatherer App.java:12",
                "            ├── (T) left",
                "            │   └──  App.leaf App.java:5",
                "            └── (T) right",
                "                └──  App.leaf App.java:5"), lines);
    }

    @Test
    void everyTaskThatNothingAwaitsIsARootInTheSnapshotsOrder() throws Exception {
        List<String> lines = TaskTree.lines(List.of(
                task(1, "first", List.of(frame("a", 1))),
                task(2, "second", List.of())));
        assertEquals(List.of("└── (T) first", "    └──  App.a App.java:1", "└── (T) second"), lines);
    }

    @Test
    void aTaskAwaitedByTwoTasksHangsUnderBoth() throws Exception {
        List<String> lines = TaskTree.lines(List.of(
                task(1, "one", List.of(frame("x", 1))),
                task(2, "two", List.of(frame("y", 2))),
                task(3, "shared", List.of(), 1, 2)));
        assertEquals(List.of(
                "└── (T) one",
                "    └──  App.x App.java:1",
                "        └── (T) shared",
                "└── (T) two",
                "    └──  App.y App.java:2",
                "        └── (T) shared"), lines);
    }

    @Test
    void aSharedTaskWithAwaitsOfItsOwnIsDrawnInFullOnceSoThatGathersOfGathersStayLinear() throws Exception {
        // Level k's two tasks both await both tasks of level k + 1: 2^N paths, drawn in O(N) lines.
        List<RemoteTask> tasks = new java.util.ArrayList<>();
        int levels = 24;
        for (int level = 0; level < levels; level++) {
            for (int side = 0; side < 2; side++) {
                int id = 2 * level + side + 1;
                Integer[] awaiters = level == 0 ? new Integer[0] : new Integer[] {2 * level - 1, 2 * level};
                tasks.add(task(id, "t" + level + side, List.of(frame("gather" + level, level + 1)), awaiters));
            }
        }
        List<String> lines = TaskTree.lines(tasks);
        assertEquals(true, lines.size() < 10 * levels, () -> lines.size() + " lines");
        assertEquals(true, lines.stream().anyMatch(l -> l.endsWith("(T) t231")), String.join("\n", lines));
        assertEquals(true, lines.stream().anyMatch(l -> l.endsWith("(drawn above)")), String.join("\n", lines));
    }

    @Test
    void aChainOfThousandsOfTasksIsDrawnWithoutOverflowingTheStack() throws Exception {
        List<RemoteTask> tasks = new java.util.ArrayList<>();
        int n = 3_000; // deep enough that the recursive drawing overflowed; each line is as long as its depth
        for (int id = 1; id <= n; id++) {
            tasks.add(id == 1 ? task(id, "t1", List.of(frame("f", 1))) : task(id, "t" + id, List.of(frame("f", 1)), id - 1));
        }
        List<String> lines = TaskTree.lines(tasks);
        assertEquals(2 * n, lines.size());
        assertEquals(true, lines.get(lines.size() - 1).endsWith("App.f App.java:1"), lines.get(lines.size() - 1));
    }

    @Test
    void aFrameWithoutALineOrFileIsLabelledWithWhatIsKnown() throws Exception {
        List<String> lines = TaskTree.lines(List.of(new RemoteTask(1, "", 1, "t", "ready",
                List.of(new RemoteTask.Frame("Legacy", "run", "Legacy.java", -1), new RemoteTask.Frame("p.Gen", "x", null, 3)),
                List.of())));
        assertEquals(List.of("└── (T) t", "    └──  Gen.x", "        └──  Legacy.run Legacy.java"), lines);
    }

    /** As CPython, the search starts from the first awaiter met in the snapshot: pong, which awaits ping. */
    @Test
    void tasksAwaitingEachOtherAreReportedAsACycleInsteadOfATree() {
        TaskTree.CycleException e = assertThrows(TaskTree.CycleException.class, () -> TaskTree.lines(List.of(
                task(1, "ping", List.of(frame("ping", 3)), 2),
                task(2, "pong", List.of(frame("pong", 7)), 1),
                task(3, "bystander", List.of(frame("idle", 9))))));
        assertEquals(List.of("ERROR: await-graph contains cycles - cannot print a tree!", "",
                "cycle: pong → ping → pong"), e.lines());
    }

    @Test
    void tasksOfDifferentLoopsWithTheSameNumberAreDifferentTasks() throws Exception {
        List<String> lines = TaskTree.lines(List.of(
                new RemoteTask(1, "loop-a", 1, "a-main", "ready", List.of(), List.of()),
                new RemoteTask(2, "loop-b", 1, "b-main", "ready", List.of(), List.of()),
                new RemoteTask(2, "loop-b", 2, "b-child", "ready", List.of(), List.of(1))));
        assertEquals(List.of("└── (T) a-main", "└── (T) b-main", "    └── (T) b-child"), lines);
    }
}
