package dev.weft.weaver.debugger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jdi.Location;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.StringReference;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.LocatableEvent;
import com.sun.jdi.event.StepEvent;
import com.sun.jdi.request.StepRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A woven method under a real debugger (JDI, in a child JVM): breakpoints after an await stop on
 * the user's line with the user's locals by name, whether the await took the fast path or
 * suspended and came back through the state machine, and a step over an await lands on the next
 * line when nothing suspends, or leaves the method as a return does when the coroutine suspends.
 * The program is {@code src/test/resources/debugger/dbg/Stepping.java}.
 */
class SteppingTest {
    private static final String SOURCE = "debugger/dbg/Stepping.java";

    @TempDir
    Path dir;

    @Test
    void aBreakpointAfterAnAwaitThatWasAlreadyDoneShowsTheLocalsThatHoldAValue() throws Exception {
        try (Debuggee debuggee = Debuggee.launch(dir, SOURCE, "dbg.Stepping")) {
            int line = debuggee.lineOf("int sum = count + fast.length();");
            LocatableEvent stop = debuggee.stopOnceAt(line);

            assertEquals(line, stop.location().lineNumber());
            assertEquals("work", stop.location().method().name());
            Map<String, String> locals = Debuggee.locals(stop);
            assertEquals("3", locals.get("count"), locals::toString);
            assertEquals("\"hi weft\"", locals.get("greeting"), locals::toString);
            assertEquals("\"abc\"", locals.get("fast"), locals::toString);
            // Read again nowhere after the first await: a resume would not restore it, so it is out of scope.
            assertFalse(locals.containsKey("ready"), locals::toString);
            debuggee.finish("total 17");
        }
    }

    @Test
    void aBreakpointAfterARealSuspensionShowsTheLocalsRestoredFromTheStateMachineAndTheReceiver() throws Exception {
        try (Debuggee debuggee = Debuggee.launch(dir, SOURCE, "dbg.Stepping")) {
            int line = debuggee.lineOf("int total = sum + greeting.length() + name.length();");
            LocatableEvent stop = debuggee.stopOnceAt(line);

            assertEquals(line, stop.location().lineNumber());
            assertEquals("work", stop.location().method().name());
            Map<String, String> locals = Debuggee.locals(stop);
            assertEquals("\"hi weft\"", locals.get("greeting"), locals::toString);
            assertEquals("6", locals.get("sum"), locals::toString);
            ObjectReference receiver = (ObjectReference) Debuggee.value(stop, "$this");
            assertEquals("dbg.Stepping", receiver.referenceType().name());
            assertEquals("weft", ((StringReference) receiver.getValue(receiver.referenceType().fieldByName("name"))).value());
            // Dead at the suspension, so never restored: no stale or missing value is shown under their names.
            assertFalse(locals.containsKey("count"), locals::toString);
            assertFalse(locals.containsKey("fast"), locals::toString);
            assertFalse(locals.containsKey("ready"), locals::toString);
            debuggee.finish("total 17");
        }
    }

    @Test
    void aBreakpointOnASuspendingAwaitStopsWhenItStartsWhenItSuspendsAndWhenItResumesWithTheLocals() throws Exception {
        try (Debuggee debuggee = Debuggee.launch(dir, SOURCE, "dbg.Stepping")) {
            int await = debuggee.lineOf("await(sleep(0.01));");
            debuggee.breakAt(await);
            LocatableEvent statement = debuggee.next(BreakpointEvent.class);
            LocatableEvent suspending = debuggee.next(BreakpointEvent.class);
            LocatableEvent resumed = debuggee.next(BreakpointEvent.class);

            for (LocatableEvent stop : List.of(statement, suspending, resumed)) {
                assertEquals(await, stop.location().lineNumber());
                Map<String, String> locals = Debuggee.locals(stop);
                assertEquals("\"hi weft\"", locals.get("greeting"), () -> stop.location() + ": " + locals);
                assertEquals("6", locals.get("sum"), () -> stop.location() + ": " + locals);
                assertTrue(locals.containsKey("$this"), () -> stop.location() + ": " + locals);
            }
            assertTrue(statement.location().codeIndex() < suspending.location().codeIndex(),
                    "the suspension is out of line, after the method's own code");
            debuggee.finish("total 17");
        }
    }

    @Test
    void aBreakpointOnTheFirstLineStopsAtTheCallWithTheArgumentsThenWhenTheCoroutineStarts() throws Exception {
        try (Debuggee debuggee = Debuggee.launch(dir, SOURCE, "dbg.Stepping")) {
            int first = debuggee.lineOf("String greeting = \"hi \" + name;");
            debuggee.breakAt(first);
            LocatableEvent call = debuggee.next(BreakpointEvent.class);
            assertEquals(first, call.location().lineNumber());
            assertEquals("(ILjava/util/concurrent/CompletionStage;)Ldev/weft/runtime/Coroutine;", call.location().method().signature(),
                    "the entry method, which only makes the coroutine");
            Map<String, String> arguments = Debuggee.locals(call);
            assertEquals(List.of("count", "ready"), List.copyOf(arguments.keySet()));
            assertEquals("3", arguments.get("count"));
            assertEquals("dbg.Stepping", call.thread().frame(0).thisObject().referenceType().name());

            LocatableEvent start = debuggee.next(BreakpointEvent.class);
            assertEquals(first, start.location().lineNumber());
            assertTrue(start.location().method().isSynthetic(), "the resume body, at label 0");
            Map<String, String> started = Debuggee.locals(start);
            assertEquals("3", started.get("count"), started::toString);
            assertTrue(started.containsKey("$this"), started::toString);
            debuggee.finish("total 17");
        }
    }

    @Test
    void steppingOverAnAwaitThatIsAlreadyDoneLandsOnTheNextLine() throws Exception {
        try (Debuggee debuggee = Debuggee.launch(dir, SOURCE, "dbg.Stepping")) {
            int await = debuggee.lineOf("String fast = await(ready);");
            LocatableEvent stop = debuggee.stopOnceAt(await);

            debuggee.step(stop, StepRequest.STEP_OVER);
            LocatableEvent stepped = debuggee.next(StepEvent.class);

            assertEquals(await + 1, stepped.location().lineNumber());
            assertEquals("work", stepped.location().method().name());
            assertEquals("\"abc\"", Debuggee.locals(stepped).get("fast"));
            debuggee.finish("total 17");
        }
    }

    @Test
    void steppingIntoAnAwaitedCoroutineStopsAtItsCallThenInItsBodyOnItsFirstLine() throws Exception {
        try (Debuggee debuggee = Debuggee.launch(dir, "debugger/dbg/Nested.java", "dbg.Nested")) {
            int await = debuggee.lineOf("int got = await(length(trimmed));");
            int first = debuggee.lineOf("int n = text.length();");
            String[] filters = {"dev.weft.runtime.*", "java.*", "jdk.*", "sun.*"};
            LocatableEvent stop = debuggee.stopOnceAt(await);

            debuggee.step(stop, StepRequest.STEP_INTO, filters);
            LocatableEvent call = debuggee.next(StepEvent.class);
            assertEquals(first, call.location().lineNumber());
            assertFalse(call.location().method().isSynthetic(), "the entry method, which makes the coroutine");
            assertEquals("\"abc\"", Debuggee.locals(call).get("text"));

            debuggee.step(call, StepRequest.STEP_INTO, filters);
            LocatableEvent back = debuggee.next(StepEvent.class);
            assertEquals(await, back.location().lineNumber(), "back at the await, which now runs the coroutine");

            debuggee.step(back, StepRequest.STEP_INTO, filters);
            LocatableEvent body = debuggee.next(StepEvent.class);
            assertEquals(first, body.location().lineNumber());
            assertEquals("length", body.location().method().name());
            assertTrue(body.location().method().isSynthetic(), "the resume body, starting");

            debuggee.step(body, StepRequest.STEP_OVER, filters);
            LocatableEvent next = debuggee.next(StepEvent.class);
            assertEquals(first + 1, next.location().lineNumber());
            assertEquals("3", Debuggee.locals(next).get("n"));
            debuggee.finish("total 7");
        }
    }

    @Test
    void steppingOverAnAwaitThatSuspendsReturnsToTheStateMachineAndABreakpointOnTheNextLineCatchesTheResume()
            throws Exception {
        try (Debuggee debuggee = Debuggee.launch(dir, SOURCE, "dbg.Stepping")) {
            int await = debuggee.lineOf("await(sleep(0.01));");
            LocatableEvent stop = debuggee.stopOnceAt(await);

            // As an IDE's step filters do: the runtime's frames are not stopped in.
            debuggee.step(stop, StepRequest.STEP_OVER, "dev.weft.runtime.*", "java.*", "jdk.*", "sun.*");
            LocatableEvent stepped = debuggee.next(StepEvent.class);

            Location out = stepped.location();
            assertEquals("dbg.Stepping$weft$work$0", out.declaringType().name());
            assertEquals("resume", out.method().name());
            assertEquals(-1, out.lineNumber(), "generated code has no line of its own: " + out);

            int next = await + 1;
            debuggee.breakAt(next);
            LocatableEvent resumed = debuggee.next(BreakpointEvent.class);
            assertEquals(next, resumed.location().lineNumber());
            assertEquals("6", Debuggee.locals(resumed).get("sum"));
            debuggee.finish("total 17");
        }
    }

    @Test
    void steppingOverAnAwaitThatSuspendsWithoutStepFiltersStopsInTheRuntime() throws Exception {
        try (Debuggee debuggee = Debuggee.launch(dir, SOURCE, "dbg.Stepping")) {
            int await = debuggee.lineOf("await(sleep(0.01));");
            LocatableEvent stop = debuggee.stopOnceAt(await);

            debuggee.step(stop, StepRequest.STEP_OVER);
            debuggee.step(debuggee.next(StepEvent.class), StepRequest.STEP_OVER);
            LocatableEvent stepped = debuggee.next(StepEvent.class);

            assertTrue(stepped.location().declaringType().name().startsWith("dev.weft.runtime."), stepped.location()::toString);
            debuggee.finish("total 17");
        }
    }
}
