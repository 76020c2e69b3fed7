package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.shield;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Aio.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.internal.LoopInfo;
import dev.weft.runtime.internal.TaskInfo;
import dev.weft.runtime.internal.Tasks;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The snapshot behind {@code ps} and {@code pstree}: which loops, which tasks, which task waits for
 * which, read from the loop's thread and from another one while the loop is stuck.
 */
class TaskInspectorTest {
    private final EventLoop loop = new EventLoop(Clock.virtual());

    @AfterEach
    void cancelWhatIsLeft() {
        if (!loop.isClosed()) {
            loop.allTasks().forEach(Task::cancel);
            // (a cancelled awaiter of a gather ends one turn after its children)
            loop.runUntilComplete(Naps.sleepThen(1, ""));
            loop.close();
        }
    }

    @Async
    static Coroutine<String> parked(Future<String> never) {
        return result(await(never));
    }

    @Async
    static Coroutine<List<String>> gathering(Future<String> never) {
        Task<String> a = createTask(parked(never), "a");
        Task<String> b = createTask(parked(never), "b");
        return result(await(gather(a, b)));
    }

    @Async
    static Coroutine<String> waitingFor(Future<String> never) {
        Task<String> inner = createTask(parked(never), "inner");
        Task<String> shielded = createTask(parked(never), "shielded");
        return result(await(waitFor(shield(gather(inner, shielded)), 1000)).toString());
    }

    @Async
    static Coroutine<Void> group(Future<String> never) {
        try (TaskGroup g = new TaskGroup()) {
            g.createTask(parked(never), "child-1");
            g.createTask(parked(never), "child-2");
            await(sleep(100)); // the children hang under the parent while its body still runs
        }
        return done();
    }

    /** Runs the loop until time 1: every task made before has taken its steps and parked. */
    private void runABit() {
        loop.runUntilComplete(Naps.sleepThen(1, ""));
    }

    private LoopInfo mine() {
        for (LoopInfo l : new Tasks().getLoops()) {
            if (l.getTasks().length > 0 && Arrays.stream(l.getTasks()).anyMatch(t -> t.getName().equals("probe"))) {
                return l;
            }
        }
        throw new AssertionError("the test's loop is not in the snapshot");
    }

    /** Each task's name with the names of those that wait for it. */
    private static Map<String, List<String>> awaitedBy(LoopInfo loop) {
        Map<Integer, String> names = Arrays.stream(loop.getTasks()).collect(Collectors.toMap(TaskInfo::getId, TaskInfo::getName));
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (TaskInfo t : loop.getTasks()) {
            edges.put(t.getName(), Arrays.stream(t.getAwaitedBy()).mapToObj(names::get).toList());
        }
        return edges;
    }

    @Test
    void aTaskAwaitingATaskAndTheChildrenOfAGatherAreAwaitedByTheTaskThatWaits() {
        Future<String> never = loop.createFuture();
        Task<List<String>> g = loop.createTask(gathering(never), "gathering");
        loop.createTask(Naps.awaiting(g), "probe");
        runABit();
        LoopInfo info = mine();
        assertEquals(Map.of("gathering", List.of("probe"), "probe", List.of(), "a", List.of("gathering"),
                "b", List.of("gathering")), awaitedBy(info));
        TaskInfo a = Arrays.stream(info.getTasks()).filter(t -> t.getName().equals("a")).findFirst().orElseThrow();
        assertEquals("awaits Future[pending]", a.getState());
        assertEquals("parked", a.getStack()[0].getMethodName());
        TaskInfo probe = Arrays.stream(info.getTasks()).filter(t -> t.getName().equals("probe")).findFirst().orElseThrow();
        assertEquals("awaits task gathering", probe.getState());
    }

    @Test
    void waitForAndShieldAreSeenThrough() {
        assertEquals(Map.of("probe", List.of(), "inner", List.of("probe"), "shielded", List.of("probe")),
                edgesOnceParked(waitingFor(loop.createFuture())));
    }

    @Test
    void theChildrenOfATaskGroupAreAwaitedByTheTaskRunningItsBlockWhereverThatWaits() {
        assertEquals(Map.of("probe", List.of(), "child-1", List.of("probe"), "child-2", List.of("probe")),
                edgesOnceParked(group(loop.createFuture())));
    }

    /** Runs {@code probe} as the task {@code probe} until it and what it made are parked: {@link #awaitedBy}. */
    private Map<String, List<String>> edgesOnceParked(Coroutine<?> probe) {
        loop.createTask(probe, "probe");
        runABit();
        return awaitedBy(mine());
    }

    @Test
    void tasksAreListedOldestFirstWithTheirNumbersAndTheLoopWithNoThreadWhileItDoesNotRun() {
        Future<String> never = loop.createFuture();
        loop.createTask(parked(never), "probe");
        loop.createTask(parked(never));
        runABit();
        LoopInfo info = mine();
        assertEquals("", info.getThread());
        assertEquals(List.of("probe", "Task-2"), Arrays.stream(info.getTasks()).map(TaskInfo::getName).toList());
        assertArrayEquals(new int[] {1, 2}, Arrays.stream(info.getTasks()).mapToInt(TaskInfo::getId).toArray());
    }

    @Test
    void aClosedLoopIsLeftOutAndEveryLoopMadeIsCounted() {
        int before = new Tasks().getLoopsMade();
        EventLoop other = new EventLoop(Clock.virtual());
        assertEquals(before + 1, new Tasks().getLoopsMade());
        int number = Arrays.stream(new Tasks().getLoops()).mapToInt(LoopInfo::getNumber).max().orElseThrow();
        other.close();
        assertFalse(Arrays.stream(new Tasks().getLoops()).anyMatch(l -> l.getNumber() == number));
    }

    @Test
    void anotherThreadReadsTheTasksOfALoopStuckInACallback() throws Exception {
        Future<String> never = loop.createFuture();
        loop.createTask(parked(never), "probe");
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch read = new CountDownLatch(1);
        LoopInfo[] seen = new LoopInfo[1];
        Thread watchdog = new Thread(() -> {
            try {
                stuck.await();
                seen[0] = mine();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                read.countDown();
            }
        });
        watchdog.start();
        loop.callLater(0.5, () -> {
            stuck.countDown();
            try {
                read.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        runABit();
        watchdog.join();
        assertEquals(Thread.currentThread().getName(), seen[0].getThread());
        TaskInfo probe = seen[0].getTasks()[0];
        assertEquals("probe", probe.getName());
        assertTrue(probe.getState().startsWith("awaits Future"), probe.getState());
        assertEquals("parked", probe.getStack()[0].getMethodName());
    }
}
