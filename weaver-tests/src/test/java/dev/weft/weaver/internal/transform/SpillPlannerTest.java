package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.weft.weaver.internal.transform.SpillPlanner.Plan;
import dev.weft.weaver.internal.transform.SpillPlanner.Point;
import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.junit.jupiter.api.Test;

class SpillPlannerTest {
    @Test
    void eachLiveLocalIsSavedInAFieldOfItsSlotAndTypeSharedByEveryAwait() {
        Subjects.Prepared prepared = Subjects.prepare("""
                @Async static Coroutine<String> m() {
                    String text = "a";
                    long count = 2;
                    await(f(1));
                    text += count;
                    await(f(2));
                    return result(text + count);
                }
                """, "m");
        Plan plan = prepared.plan();
        Point first = plan.points().get(prepared.points().get(0));
        Point second = plan.points().get(prepared.points().get(1));
        assertEquals(List.of(0, 1), first.liveLocals().stream().map(Value::index).toList());
        assertEquals("Ljava/lang/String;", first.liveLocals().get(0).field().desc());
        assertEquals("J", first.liveLocals().get(1).field().desc());
        assertSame(first.liveLocals().get(0).field(), second.liveLocals().get(0).field());
        assertEquals(List.of("java/lang/String", Opcodes.LONG), first.frameLocals());
    }

    @Test
    void stackValuesBelowTheAwaitGetAFieldPerDepthAndType() {
        Subjects.Prepared prepared = Subjects.prepare("""
                static String pair(String a, int b, Object c) { return a + b + c; }
                @Async static Coroutine<String> m() { return result(pair("x", 3, await(f(1)))); }
                """, "m");
        Point point = prepared.plan().points().get(prepared.points().get(0));
        assertEquals(List.of("java/lang/String", Opcodes.INTEGER), point.stack().stream().map(Value::type).toList());
        assertEquals(List.of("s0", "s1"), point.stack().stream().map(value -> value.field().name()).toList());
        assertEquals(List.of("Ljava/lang/String;", "I"), point.stack().stream().map(value -> value.field().desc()).toList());
    }

    @Test
    void parametersAreTheFirstValuesOfTheirSlots() {
        Subjects.Prepared prepared = Subjects.prepare("""
                @Async Coroutine<String> m(int n, double d) { await(f(1)); return result("" + n + d + this); }
                """, "m");
        Plan plan = prepared.plan();
        assertEquals(List.of(0, 1, 2), plan.parameters().stream().map(Value::index).toList());
        assertEquals(List.of("Ldemo/Subject;", "I", "D"), plan.parameters().stream().map(p -> p.field().desc()).toList());
        Point point = plan.points().get(prepared.points().get(0));
        assertSame(plan.parameters().get(2).field(), point.liveLocals().get(2).field());
    }

    @Test
    void aLiveNullHasNoFieldAndADeadLocalIsTopInTheFrame() {
        Subjects.Prepared prepared = Subjects.prepare("""
                @Async static Coroutine<String> m() {
                    String dead = "d";
                    System.out.println(dead);
                    Object none = null;
                    await(f(1));
                    return result(String.valueOf(none));
                }
                """, "m");
        Point point = prepared.plan().points().get(prepared.points().get(0));
        assertEquals(List.of(1), point.liveLocals().stream().map(Value::index).toList());
        assertNull(point.liveLocals().get(0).field());
        assertEquals(List.of(Opcodes.TOP, Opcodes.NULL), point.frameLocals());
    }
}
