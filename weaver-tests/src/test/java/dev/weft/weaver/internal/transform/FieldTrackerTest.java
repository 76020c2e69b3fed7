package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.internal.transform.SpillPlanner.Field;
import dev.weft.weaver.internal.transform.SpillPlanner.Plan;
import dev.weft.weaver.internal.transform.SpillPlanner.Point;
import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldTrackerTest {
    private static List<Integer> saved(Point point) {
        return point.savedLocals().stream().map(Value::index).toList();
    }

    private static List<String> cleared(Point point) {
        return point.clearedFields().stream().map(Field::name).toList();
    }

    @Test
    void aParameterStillInItsFieldIsNotSavedAgainButALocalWrittenSinceIs() {
        Subjects.Prepared prepared = Subjects.prepare("""
                @Async static Coroutine<String> m(String url, int tries) {
                    int n = tries * 2;
                    await(f(1));
                    return result(url + n + tries);
                }
                """, "m");
        Point point = prepared.point(0);
        assertEquals(List.of(0, 1, 2), point.liveLocals().stream().map(Value::index).toList());
        assertEquals(List.of(2), saved(point));
    }

    @Test
    void aLocalSavedAtOneSuspensionIsSavedAgainAtTheNextSinceTheFastPathSkippedTheFirstSave() {
        // Written twice and suspended with twice: writing it through at its stores is no shorter.
        Subjects.Prepared prepared = Subjects.prepare("""
                @Async static Coroutine<Integer> m() {
                    int n = (int) System.nanoTime();
                    n += 1;
                    await(f(1));
                    await(f(2));
                    return result(n);
                }
                """, "m");
        assertEquals(List.of(), writtenThrough(prepared.tracked()));
        assertEquals(List.of(0), saved(prepared.point(0)));
        assertEquals(List.of(0), saved(prepared.point(1)));
    }

    @Test
    void aFieldThatMayHoldADeadValueIsNulledAtTheSuspension() {
        Subjects.Prepared prepared = Subjects.prepare("""
                @Async static Coroutine<String> m() {
                    String s = String.valueOf(System.nanoTime());
                    await(f(1));
                    System.out.println(s);
                    await(f(2));
                    return result("done");
                }
                """, "m");
        assertEquals(List.of(), cleared(prepared.point(0)), "nothing was saved before the first await");
        assertEquals(List.of("l0"), cleared(prepared.point(1)));
    }

    @Test
    void aFieldHoldingTheAwaitedObjectItselfIsNotNulled() {
        Subjects.Prepared prepared = Subjects.prepare("""
                @Async static Coroutine<Integer> m(Future<Integer> a, Future<Integer> b) {
                    int first = await(a);
                    return result(first + await(b));
                }
                """, "m");
        Plan plan = prepared.tracked();
        // a is awaited straight from its still-clean field, so the field keeps it until the second
        // suspension; b is live across the first await, then awaited straight from its field.
        assertEquals(List.of(), cleared(prepared.point(0)));
        assertEquals(List.of("l0"), cleared(prepared.point(1)));
        assertEquals(List.of(), saved(prepared.point(0)));
        assertTrue(plan.clearedAtStart().isEmpty());
    }

    @Test
    void aReferenceParameterDeadAtEverySuspensionIsNulledOnceAtLabelZero() {
        Subjects.Prepared prepared = Subjects.prepare("""
                @Async static Coroutine<Integer> m(String big) {
                    int n = big.length();
                    await(f(1));
                    await(f(2));
                    await(f(3));
                    return result(n);
                }
                """, "m");
        Plan plan = prepared.tracked();
        assertEquals(List.of("l0"), plan.clearedAtStart().stream().map(Field::name).toList());
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), cleared(prepared.point(i)));
        }
    }

    @Test
    void aParameterTheBodyNeverReadsIsNeitherStoredNorKeptInAField() {
        Subjects.Prepared prepared = Subjects.prepare("""
                @Async static Coroutine<Integer> m(String unused, int used) {
                    await(f(1));
                    return result(used);
                }
                """, "m");
        Plan plan = prepared.tracked();
        assertEquals(List.of(1), plan.parameters().stream().map(Value::index).toList());
        assertEquals(List.of("l1"), plan.fields().stream().map(Field::name).toList());
    }

    private static List<Integer> writtenThrough(Plan plan) {
        return plan.writeThrough().keySet().stream().map(store -> store instanceof org.objectweb.asm.tree.VarInsnNode v
                ? v.var : ((org.objectweb.asm.tree.IincInsnNode) store).var).toList();
    }

    @Test
    void aLocalWrittenOnceBeforeALoopIsWrittenToItsFieldThereAndNotSavedAtTheAwaitsInIt() {
        Subjects.Prepared prepared = Subjects.prepare(Subjects.LOOP_WITH_TWO_AWAITS, "m");
        Plan plan = prepared.tracked();
        // The iterator (slot 2) is written once and live at both awaits: one write instead of two
        // saves. The counter is written twice (the store and the iinc), as often as it is saved.
        assertEquals(List.of(2), writtenThrough(plan));
        assertEquals(List.of(1), saved(prepared.point(0)));
        assertEquals(List.of(1), saved(prepared.point(1)));
    }

    @Test
    void aStoreWhoseTypeIsNotTheTypeOfTheFieldIsNotWrittenThrough() {
        Subjects.Prepared prepared = Subjects.prepare("""
                @Async static Coroutine<Integer> m(int n) {
                    List<String> names = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        names.add(await(f("a")));
                        await(f(1));
                        await(f(2));
                    }
                    return result(names.size());
                }
                """, "m");
        // The field is typed as javac's frames type the loop (List); the store is of an ArrayList,
        // and only the class hierarchy could say that the putfield verifies.
        assertTrue(writtenThrough(prepared.tracked()).stream().noneMatch(slot -> slot == 1));
        assertTrue(saved(prepared.point(1)).contains(1));
    }

    @Test
    void aReferenceWrittenThroughIsNulledAtALaterSuspensionWhereItIsDead() {
        Subjects.Prepared prepared = Subjects.prepare("""
                @Async static Coroutine<String> m() {
                    String s = String.valueOf(System.nanoTime());
                    await(f(1));
                    await(f(2));
                    await(f(3));
                    System.out.println(s);
                    await(f(4));
                    return result("done");
                }
                """, "m");
        Plan plan = prepared.tracked();
        assertEquals(List.of(0), writtenThrough(plan));
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), saved(prepared.point(i)));
        }
        assertEquals(List.of("l0"), cleared(prepared.point(3)));
    }
}
