package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.emit;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Task#getStack()}, {@link Task#printStack(PrintStream)} and {@link EventLoop#dumpTasks()}
 * on coroutines woven by the build: the lines they name are found in this very file by the
 * {@code // line:NAME} markers, so a weave that puts an await on the wrong line fails here.
 */
class TaskStackTest {
    private static final SourceLines SOURCE = SourceLines.of("TaskStackTest.java");
    private static final String NL = System.lineSeparator();

    private final EventLoop loop = new EventLoop(Clock.virtual());

    @AfterEach
    void cancelWhatIsLeft() {
        loop.allTasks().forEach(Task::cancel);
        loop.runUntilComplete(Naps.sleepThen(0, ""));
        loop.close();
    }

    @Async
    static Coroutine<String> inner(double seconds) {
        String where = "inner";
        await(sleep(seconds)); // line:inner
        return result(where);
    }

    @Async
    static Coroutine<String> middle() {
        String s = "middle ";
        s += await(inner(10)); // line:middle
        return result(s);
    }

    @Async
    static Coroutine<String> outer() {
        return result("outer " + await(middle())); // line:outer
    }

    @Async
    static Coroutine<String> waiter(Task<String> other) {
        String got = await(other); // line:waiter
        return result("waited for " + got);
    }

    @Async
    static AsyncGenerator<Integer> ticks() {
        for (int i = 0; ; i++) {
            await(sleep(10)); // line:ticks
            emit(i);
        }
    }

    @Async
    static Coroutine<Integer> consume() {
        int sum = 0;
        for (AsyncIterator<Integer> it = ticks(); await(it.hasNext()); ) { // line:consume
            sum += it.next();
        }
        return result(sum);
    }

    @Async
    static Coroutine<List<String>> ownStack() {
        await(sleep(0.5)); // line:ownStack
        return result(strings(Aio.currentTask().getStack()));
    }

    @Async
    static Coroutine<List<String>> askingOwnStack() {
        return result(await(ownStack())); // line:askingOwnStack
    }

    /** Runs the loop until time 1, so that the tasks made before take their steps and park. */
    private void runABit() {
        loop.runUntilComplete(Naps.sleepThen(1, ""));
    }

    @Test
    void aTaskSuspendedThreeCoroutinesDeepShowsTheThreeFramesAtTheirAwaitLines() {
        Task<String> t = loop.createTask(outer(), "deep");
        runABit();
        assertEquals(List.of(at("inner"), at("middle"), at("outer")), strings(t.getStack()));
        StackTraceElement top = t.getStack()[0];
        assertEquals("dev.weft.runtime.TaskStackTest", top.getClassName());
        assertEquals("inner", top.getMethodName());
        assertEquals("TaskStackTest.java", top.getFileName());
        assertEquals(line("inner"), top.getLineNumber());
    }

    @Test
    void aTaskWaitingInsideAnAsyncGeneratorShowsTheBodyThenTheConsumerWithoutTheRuntimesOwnStep() {
        Task<Integer> t = loop.createTask(consume(), "consumer");
        runABit();
        assertEquals(List.of(at("ticks"), at("consume")), strings(t.getStack()));
    }

    @Test
    void aRunningTaskAskingForItsOwnStackGetsItsFramesAtTheAwaitsTheyLastPassed() {
        Task<List<String>> t = loop.createTask(askingOwnStack(), "self");
        runABit();
        assertEquals(List.of(at("ownStack"), at("askingOwnStack")), t.result());
    }

    @Test
    void aDoneTaskAndANotStartedTaskHaveNoStack() {
        Task<String> done = loop.createTask(inner(0.5));
        Task<String> notStarted = loop.createTask(inner(0.5));
        assertEquals(0, notStarted.getStack().length);
        runABit();
        assertTrue(done.isDone());
        assertEquals(0, done.getStack().length);
    }

    @Test
    void printStackPrintsAHeaderWithNameAndStateThenOneAtLinePerFrame() {
        Task<String> t = loop.createTask(middle(), "printed");
        runABit();
        assertEquals("Stack for task printed (pending, awaits sleep until 10.0 [pending]):" + NL
                + "  at " + at("inner") + NL
                + "  at " + at("middle") + NL, printed(t));
    }

    @Test
    void printStackOfADoneTaskSaysItHasNone() {
        Task<String> t = loop.createTask(inner(0.5), "quick");
        runABit();
        assertEquals("No stack for task quick (finished result=inner)" + NL, printed(t));
    }

    @Test
    void dumpTasksListsEveryWaitingTaskWithItsChainAndTheTaskItAwaits() {
        Task<String> deep = loop.createTask(outer(), "deep");
        loop.createTask(waiter(deep), "waiter");
        runABit();
        assertEquals("2 tasks pending" + NL
                + NL
                + "Stack for task deep (pending, awaits sleep until 10.0 [pending]):" + NL
                + "  at " + at("inner") + NL
                + "  at " + at("middle") + NL
                + "  at " + at("outer") + NL
                + NL
                + "Stack for task waiter (pending, awaits task deep):" + NL
                + "  at " + at("waiter") + NL, loop.dumpTasks());
    }

    @Test
    void inDebugModeDumpTasksShowsWhereEachTaskWasCreated() {
        loop.setDebug(true);
        loop.createTask(inner(10), "debugged"); // line:created
        runABit();
        assertEquals("1 task pending" + NL
                + NL
                + "Stack for task debugged (pending, awaits sleep until 10.0 [pending]):" + NL
                + "  at " + at("inner") + NL
                + "  created at dev.weft.runtime.TaskStackTest.inDebugModeDumpTasksShowsWhereEachTaskWasCreated("
                + "TaskStackTest.java:" + line("created") + ")" + NL, loop.dumpTasks());
    }

    @Test
    void outsideDebugModeTheDumpNamesNoCreationSite() {
        loop.createTask(inner(10), "plain");
        runABit();
        assertTrue(!loop.dumpTasks().contains("created at"), loop::dumpTasks);
    }

    @Test
    void anotherThreadMayDumpTheTasksOfALoopThatIsStuck() throws Exception {
        Task<String> deep = loop.createTask(outer(), "deep");
        runABit();
        String[] seen = new String[1];
        Thread watchdog = new Thread(() -> seen[0] = loop.dumpTasks() + Arrays.toString(deep.getStack()));
        watchdog.start();
        watchdog.join();
        assertTrue(seen[0].contains("Stack for task deep") && seen[0].contains(at("outer")), seen[0]);
    }

    @Test
    void aCoroutineWithoutALineTableIsNamedByItsDescriptionAtLineMinusOne() {
        Coroutine<Object> unwoven = new Coroutine<>() {
            @Override
            protected Object resume(Object value, Throwable failure) {
                return null;
            }

            @Override
            protected String describe() {
                return "Legacy.fetch";
            }
        };
        StackTraceElement e = unwoven.stackElement();
        assertEquals("dev.weft.runtime.Legacy.fetch(Legacy.java)", e.toString());
        assertEquals(-1, e.getLineNumber());
    }

    private String printed(Task<?> t) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.printStack(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static List<String> strings(StackTraceElement[] stack) {
        return Arrays.stream(stack).map(StackTraceElement::toString).collect(Collectors.toList());
    }

    private static String at(String method) {
        return "dev.weft.runtime.TaskStackTest." + method + "(TaskStackTest.java:" + line(method) + ")";
    }

    private static int line(String name) {
        return SOURCE.line(name);
    }

}
