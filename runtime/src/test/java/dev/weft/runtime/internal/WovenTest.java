package dev.weft.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.runtime.Aio;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Clock;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;
import dev.weft.runtime.VirtualClock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The weaver's specification: state machines written by hand exactly as the weaver emits them,
 * run by the real runtime. Each host class below shows, in a comment, the {@code @Async} source it
 * stands for; then the generated state machine class ({@code Host$weft$method}, extending
 * {@link Coroutine}, typed package-private fields, an {@code int label}) and the two methods the
 * weaver writes into the host: the entry method (same name and descriptor as the user's; allocates,
 * stores receiver and arguments, runs nothing) and the static resume body (same name, taking the
 * state machine, the value and the failure; in bytecode it is {@code ACC_STATIC|ACC_SYNTHETIC}).
 *
 * <p>Java source cannot jump into the middle of a statement as bytecode does, so each resume body
 * uses a {@code switch} on the label whose cases fall through: the fast path of an await stores
 * its value in {@code value} and falls into the code that a resume at that label runs, which first
 * throws {@code failure} when there is one (inside the user's exception ranges) and else takes
 * {@code value} as the await's result.
 */
class WovenTest {
    @Test
    void awaitOfAMinimalCompletionStageTakesTheSlowPathInsteadOfFailing() {
        java.util.concurrent.CompletionStage<String> minimal =
                CompletableFuture.completedFuture("hi").minimalCompletionStage();
        Coroutine<String> c = new Coroutine<>() {
            private int label;

            @Override
            protected Object resume(Object value, Throwable failure) throws Throwable {
                if (label == 0) {
                    label = 1;
                    return Woven.awaitStage(this, minimal);
                }
                if (failure != null) {
                    throw failure;
                }
                return value;
            }
        };
        assertEquals("hi", Aio.run(c, Clock.virtual()));
    }

    @Test
    void badLabelNamesTheCoroutineForAResumeBodyToThrow() {
        Coroutine<String> c = Fetch.fetchData(3, 1.0);
        IllegalStateException e = Woven.badLabel(c);
        assertEquals("resumed Coroutine[Fetch.fetchData, not started] at a label it does not have: a woven state "
                + "machine is driven by the Weft runtime only", e.getMessage());
    }

    @Test
    void theDesignExampleGathersThreeFetchesInThreeVirtualSeconds() {
        VirtualClock clock = Clock.virtual();
        List<String> results = Aio.run(Fetch.main(), clock);
        assertEquals(List.of("Data from 1", "Data from 2", "Data from 3"), results);
        assertEquals(3.0, clock.nanoTime() / 1e9);
        assertEquals(List.of("Task 1: starting...", "Task 2: starting...", "Task 3: starting...", "Task 3: done!",
                "Task 1: done!", "Task 2: done!"), Fetch.LOG);
    }

    @Test
    void callingAnAsyncMethodRunsNothingUntilItIsAwaited() {
        Fetch.LOG.clear();
        Coroutine<String> c = Fetch.fetchData(7, 1.0);
        assertTrue(Fetch.LOG.isEmpty());
        assertEquals("Coroutine[Fetch.fetchData, not started]", c.toString());
        assertEquals("Data from 7", Aio.run(c, Clock.virtual()));
        assertTrue(c.isDone());
    }

    @Test
    void awaitOfADoneFutureTakesTheFastPathWithoutSuspending() {
        String value = Aio.run(FastPath.twoDone(), Clock.virtual());
        assertEquals("ab", value);
        assertEquals(0, FastPath.lastMachine.label, "a state machine that never suspended keeps label 0");
    }

    @Test
    void awaitOfADoneFutureAllocatesNothing() {
        long[] allocated = new long[1];
        Aio.run(FastPath.measure(allocated), Clock.virtual());
        // 200,000 awaits: even one allocation each would be megabytes.
        assertTrue(allocated[0] < 64 * 1024, "awaits of a done future allocated " + allocated[0] + " bytes");
    }

    @Test
    void awaitOfAFailedDoneFutureThrowsAtTheAwaitWithoutSuspending() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Aio.run(FastPath.failedDone(), Clock.virtual()));
        assertEquals("bad", e.getMessage());
    }

    @Test
    void awaitOfSleepSuspendsAndResumesAtTheVirtualTimeWithLiveLocalsRestored() {
        VirtualClock clock = Clock.virtual();
        assertEquals("slept 3 times, 6.0 s", Aio.run(Sleeper.napThrice(2.0), clock));
        assertEquals(6_000_000_000L, clock.nanoTime());
    }

    @Test
    void anInstanceMethodKeepsItsReceiverInTheStateMachine() {
        Counter counter = new Counter();
        assertEquals(5, Aio.run(counter.addSlowly(2, 3), Clock.virtual()));
        assertEquals(5, counter.total);
    }

    @Test
    void aNestedCoroutineStartsInlineInTheAwaitingTaskWithNoLoopHop() {
        List<String> log = new ArrayList<>();
        assertEquals("inner 1 inline", Aio.run(Nested.outerInline(log), Clock.virtual()));
        assertEquals(List.of("outer starts", "inner runs in the outer's task", "outer resumed"), log);
        assertEquals(0, Nested.lastOuter.label, "the inner coroutine completed inline, so the outer never suspended");
    }

    @Test
    void aNestedCoroutineThatSuspendsResumesItsCallerWhenItCompletes() {
        VirtualClock clock = Clock.virtual();
        assertEquals(11, Aio.run(Nested.outerSuspending(), clock));
        assertEquals(1.0, clock.nanoTime() / 1e9);
    }

    @Test
    void aFailureDeliveredAtResumeIsCaughtByTheBodysTryCatch() {
        assertEquals("caught late: boom", Aio.run(Guarded.catchLate(), Clock.virtual()));
    }

    @Test
    void aCheckedExceptionEscapesTheAwaitUnwrapped() {
        IOException e = assertThrows(IOException.class, () -> Aio.run(Guarded.rethrowChecked(), Clock.virtual()));
        assertEquals("disk gone", e.getMessage());
    }

    @Test
    void aCancelledTaskGetsCancelledErrorAtItsAwaitAndMayGoOn() {
        assertEquals("cancelled at 1.0, then slept to 3.0", Aio.run(Guarded.cancelMe(), Clock.virtual()));
    }

    @Test
    void aChainOfNestedAwaitsTenThousandDeepCompletesWithoutStackOverflow() {
        assertEquals(10_000, Aio.run(Deep.depth(10_000, false), Clock.virtual()));
    }

    @Test
    void aChainTenThousandDeepThatSuspendsAtTheBottomResumesEveryLevel() {
        VirtualClock clock = Clock.virtual();
        assertEquals(10_000, Aio.run(Deep.depth(10_000, true), clock));
        assertEquals(1.0, clock.nanoTime() / 1e9);
    }

    @Test
    void aCoroutineAwaitedTwiceFailsAtTheSecondAwait() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Aio.run(Twice.awaitTwice(), Clock.virtual()));
        assertTrue(e.getMessage().contains("Nested.inner was awaited already"), e.getMessage());
    }

    @Test
    void returningAnotherAwaitableCompletesWithItsResult() {
        assertEquals("Data from 4", Aio.run(Forward.forward(), Clock.virtual()));
    }

    @Test
    void awaitStageResumesWhenAnotherThreadCompletesTheStage() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Thread completer = new Thread(() -> cf.complete("from another thread"));
        assertEquals("from another thread", Aio.run(Staged.awaitStage(cf, completer), Clock.virtual()));
    }

    @Test
    void theStackTraceOfAFailureNamesTheUsersMethod() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Aio.run(FastPath.failedDone(), Clock.virtual()));
        assertTrue(List.of(e.getStackTrace()).stream()
                .anyMatch(f -> f.getClassName().endsWith("FastPath") && f.getMethodName().equals("failedDone")));
    }

    @Test
    void anAllocationFigureTheJvmDoesNotGiveFailsTheMeasureInsteadOfPassingIt() {
        AssertionError unsupported = assertThrows(AssertionError.class, () -> allocatedBytes(bean(false, -1)));
        assertTrue(unsupported.getMessage().startsWith("this JVM gives no allocation figure"), unsupported.getMessage());
        assertThrows(AssertionError.class, () -> allocatedBytes(bean(true, -1)));
        assertEquals(4096, allocatedBytes(bean(true, 4096)));
    }

    /** A thread bean that says whether it supports allocation figures, and answers {@code figure}. */
    private static com.sun.management.ThreadMXBean bean(boolean supported, long figure) {
        return (com.sun.management.ThreadMXBean) java.lang.reflect.Proxy.newProxyInstance(
                WovenTest.class.getClassLoader(), new Class<?>[] {com.sun.management.ThreadMXBean.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isThreadAllocatedMemorySupported", "isThreadAllocatedMemoryEnabled" -> supported;
                    case "getCurrentThreadAllocatedBytes" -> figure;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static long allocatedBytes() {
        return allocatedBytes((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean());
    }

    /**
     * The bytes the current thread has allocated so far. Where the JVM gives no figure (-1:
     * unsupported or switched off) this fails: a difference of two -1s is 0, and would pass every
     * allocation test without measuring anything.
     */
    static long allocatedBytes(com.sun.management.ThreadMXBean threads) {
        long figure = threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()
                ? threads.getCurrentThreadAllocatedBytes() : -1;
        if (figure < 0) {
            throw new AssertionError("this JVM gives no allocation figure for the current thread "
                    + "(ThreadMXBean.getCurrentThreadAllocatedBytes), so the allocation cannot be measured");
        }
        return figure;
    }
}

// ------------------------------------------------------------------------------------------------
// The example of DESIGN.md.
//
//   @Async static Coroutine<String> fetchData(int id, double seconds) {
//       LOG.add("Task " + id + ": starting...");
//       await(sleep(seconds));
//       LOG.add("Task " + id + ": done!");
//       return result("Data from " + id);
//   }
//   @Async static Coroutine<List<String>> main() {
//       List<String> results = await(gather(fetchData(1, 2), fetchData(2, 3), fetchData(3, 1)));
//       return result(results);
//   }

// tag::woven-machine[]
final class Fetch$weft$fetchData extends Coroutine<Object> {
    int label;
    int p0;
    double p1;

    Fetch$weft$fetchData() {
    }

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Fetch.fetchData(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Fetch.fetchData";
    }
}
// end::woven-machine[]

final class Fetch$weft$main extends Coroutine<Object> {
    int label;

    Fetch$weft$main() {
    }

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Fetch.main(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Fetch.main";
    }
}

final class Fetch {
    static final List<String> LOG = new ArrayList<>();

    private Fetch() {
    }

    // tag::woven-body[]
    @SuppressWarnings("unchecked")
    static Coroutine<String> fetchData(int id, double seconds) {
        Fetch$weft$fetchData sm = new Fetch$weft$fetchData();
        sm.p0 = id;
        sm.p1 = seconds;
        return (Coroutine<String>) (Coroutine<?>) sm;
    }

    static Object fetchData(Fetch$weft$fetchData sm, Object value, Throwable failure) throws Throwable {
        int id;
        switch (sm.label) {
            case 0:
                id = sm.p0;
                double seconds = sm.p1;
                LOG.add("Task " + id + ": starting...");
                value = Woven.await(sm, Aio.sleep(seconds));
                if (value == Woven.SUSPENDED) {
                    // id is live after the await; seconds is not, so it is not spilled again.
                    sm.label = 1;
                    return Woven.SUSPENDED;
                }
                // fall through: the fast path joins the resume path
            case 1:
                id = sm.p0;
                if (failure != null) {
                    throw failure;
                }
                LOG.add("Task " + id + ": done!");
                return "Data from " + id;
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
    }
    // end::woven-body[]

    @SuppressWarnings("unchecked")
    static Coroutine<List<String>> main() {
        LOG.clear();
        return (Coroutine<List<String>>) (Coroutine<?>) new Fetch$weft$main();
    }

    static Object main(Fetch$weft$main sm, Object value, Throwable failure) throws Throwable {
        switch (sm.label) {
            case 0:
                value = Woven.await(sm, Aio.gather(fetchData(1, 2), fetchData(2, 3), fetchData(3, 1)));
                if (value == Woven.SUSPENDED) {
                    sm.label = 1;
                    return Woven.SUSPENDED;
                }
            case 1:
                if (failure != null) {
                    throw failure;
                }
                @SuppressWarnings("unchecked")
                List<String> results = (List<String>) value;
                return results;
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
    }
}

// ------------------------------------------------------------------------------------------------
//   @Async static Coroutine<String> twoDone() {
//       Future<String> a = loop.createFuture(); a.setResult("a");
//       Future<String> b = loop.createFuture(); b.setResult("b");
//       String x = await(a);
//       String y = await(b);
//       return result(x + y);
//   }
//   @Async static Coroutine<Void> failedDone() { Future<String> f = ...; f.setException(new IAE("bad")); await(f); return done(); }

final class FastPath$weft$twoDone extends Coroutine<Object> {
    int label;
    Object s1;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return FastPath.twoDone(this, value, failure);
    }

    @Override
    protected String describe() {
        return "FastPath.twoDone";
    }
}

final class FastPath$weft$failedDone extends Coroutine<Object> {
    int label;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return FastPath.failedDone(this, value, failure);
    }

    @Override
    protected String describe() {
        return "FastPath.failedDone";
    }
}

final class FastPath$weft$measure extends Coroutine<Object> {
    int label;
    long[] p0;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return FastPath.measure(this, value, failure);
    }

    @Override
    protected String describe() {
        return "FastPath.measure";
    }
}

final class FastPath {
    static FastPath$weft$twoDone lastMachine;

    private FastPath() {
    }

    @SuppressWarnings("unchecked")
    static Coroutine<String> twoDone() {
        FastPath$weft$twoDone sm = new FastPath$weft$twoDone();
        lastMachine = sm;
        return (Coroutine<String>) (Coroutine<?>) sm;
    }

    static Object twoDone(FastPath$weft$twoDone sm, Object value, Throwable failure) throws Throwable {
        String x;
        switch (sm.label) {
            case 0:
                EventLoop loop = Aio.getRunningLoop();
                Future<String> a = loop.createFuture();
                a.setResult("a");
                Future<String> b = loop.createFuture();
                b.setResult("b");
                sm.s1 = b;
                value = Woven.await(sm, a);
                if (value == Woven.SUSPENDED) {
                    sm.label = 1;
                    return Woven.SUSPENDED;
                }
            case 1:
                if (failure != null) {
                    throw failure;
                }
                x = (String) value;
                value = Woven.await(sm, (Future<?>) sm.s1);
                if (value == Woven.SUSPENDED) {
                    sm.s1 = x;
                    sm.label = 2;
                    return Woven.SUSPENDED;
                }
                sm.s1 = x;
            case 2:
                x = (String) sm.s1;
                sm.s1 = null;
                if (failure != null) {
                    throw failure;
                }
                return x + value;
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
    }

    @SuppressWarnings("unchecked")
    static Coroutine<Void> failedDone() {
        return (Coroutine<Void>) (Coroutine<?>) new FastPath$weft$failedDone();
    }

    static Object failedDone(FastPath$weft$failedDone sm, Object value, Throwable failure) throws Throwable {
        switch (sm.label) {
            case 0:
                Future<String> f = Aio.getRunningLoop().createFuture();
                f.setException(new IllegalArgumentException("bad"));
                value = Woven.await(sm, f);
                if (value == Woven.SUSPENDED) {
                    sm.label = 1;
                    return Woven.SUSPENDED;
                }
            case 1:
                if (failure != null) {
                    throw failure;
                }
                return null;
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
    }

    // @Async static Coroutine<Void> measure(long[] out) { Future<String> f = done future;
    //     warm up; long before = allocated(); for (200_000 times) await(f); out[0] = allocated() - before; }
    @SuppressWarnings("unchecked")
    static Coroutine<Void> measure(long[] out) {
        FastPath$weft$measure sm = new FastPath$weft$measure();
        sm.p0 = out;
        return (Coroutine<Void>) (Coroutine<?>) sm;
    }

    static Object measure(FastPath$weft$measure sm, Object value, Throwable failure) throws Throwable {
        // Every await below is on a done future, so no label but 0 is ever reached.
        Future<String> f = Aio.getRunningLoop().createFuture();
        f.setResult("x");
        for (int i = 0; i < 200_000; i++) {
            if (Woven.await(sm, f) == Woven.SUSPENDED) {
                throw new AssertionError("a done future suspended");
            }
        }
        long before = WovenTest.allocatedBytes();
        for (int i = 0; i < 200_000; i++) {
            if (Woven.await(sm, f) == Woven.SUSPENDED) {
                throw new AssertionError("a done future suspended");
            }
        }
        sm.p0[0] = WovenTest.allocatedBytes() - before;
        return null;
    }
}

// ------------------------------------------------------------------------------------------------
//   @Async static Coroutine<String> napThrice(double seconds) {
//       int count = 0;
//       for (int i = 0; i < 3; i++) { await(sleep(seconds)); count++; }
//       return result("slept " + count + " times, " + getRunningLoop().time() + " s");
//   }

final class Sleeper$weft$napThrice extends Coroutine<Object> {
    int label;
    double p0;
    int s1;
    int s2;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Sleeper.napThrice(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Sleeper.napThrice";
    }
}

final class Sleeper {
    private Sleeper() {
    }

    @SuppressWarnings("unchecked")
    static Coroutine<String> napThrice(double seconds) {
        Sleeper$weft$napThrice sm = new Sleeper$weft$napThrice();
        sm.p0 = seconds;
        return (Coroutine<String>) (Coroutine<?>) sm;
    }

    static Object napThrice(Sleeper$weft$napThrice sm, Object value, Throwable failure) throws Throwable {
        double seconds;
        int count;
        int i;
        switch (sm.label) {
            case 0:
                seconds = sm.p0;
                count = 0;
                i = 0;
                break;
            case 1:
                seconds = sm.p0;
                count = sm.s1;
                i = sm.s2;
                if (failure != null) {
                    throw failure;
                }
                count++;
                i++;
                break;
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
        for (; i < 3; i++) {
            value = Woven.await(sm, Aio.sleep(seconds));
            if (value == Woven.SUSPENDED) {
                sm.s1 = count;
                sm.s2 = i;
                sm.label = 1;
                return Woven.SUSPENDED;
            }
            count++;
        }
        return "slept " + count + " times, " + Aio.getRunningLoop().time() + " s";
    }
}

// ------------------------------------------------------------------------------------------------
//   class Counter { int total;
//       @Async Coroutine<Integer> addSlowly(int a, int b) { await(sleep(1)); total = a + b; return result(total); } }

final class Counter$weft$addSlowly extends Coroutine<Object> {
    int label;
    Counter r;
    int p0;
    int p1;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Counter.addSlowly(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Counter.addSlowly";
    }
}

final class Counter {
    int total;

    @SuppressWarnings("unchecked")
    Coroutine<Integer> addSlowly(int a, int b) {
        Counter$weft$addSlowly sm = new Counter$weft$addSlowly();
        sm.r = this;
        sm.p0 = a;
        sm.p1 = b;
        return (Coroutine<Integer>) (Coroutine<?>) sm;
    }

    static Object addSlowly(Counter$weft$addSlowly sm, Object value, Throwable failure) throws Throwable {
        switch (sm.label) {
            case 0:
                value = Woven.await(sm, Aio.sleep(1));
                if (value == Woven.SUSPENDED) {
                    sm.label = 1;
                    return Woven.SUSPENDED;
                }
            case 1:
                if (failure != null) {
                    throw failure;
                }
                Counter self = sm.r;
                self.total = sm.p0 + sm.p1;
                return self.total;
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
    }
}

// ------------------------------------------------------------------------------------------------
//   @Async static Coroutine<String> inner(List<String> log) { log.add("inner runs in the outer's task"); return result("inner 1"); }
//   @Async static Coroutine<String> outerInline(List<String> log) {
//       log.add("outer starts"); String s = await(inner(log)); log.add("outer resumed"); return result(s + " inline"); }
//   @Async static Coroutine<Integer> innerSleeping() { await(sleep(1)); return result(10); }
//   @Async static Coroutine<Integer> outerSuspending() { int v = await(innerSleeping()); return result(v + 1); }

final class Nested$weft$inner extends Coroutine<Object> {
    int label;
    List<String> p0;
    Task<?> expectedTask;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Nested.inner(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Nested.inner";
    }
}

final class Nested$weft$outerInline extends Coroutine<Object> {
    int label;
    List<String> p0;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Nested.outerInline(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Nested.outerInline";
    }
}

final class Nested$weft$innerSleeping extends Coroutine<Object> {
    int label;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Nested.innerSleeping(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Nested.innerSleeping";
    }
}

final class Nested$weft$outerSuspending extends Coroutine<Object> {
    int label;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Nested.outerSuspending(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Nested.outerSuspending";
    }
}

final class Nested {
    static Nested$weft$outerInline lastOuter;
    static Task<?> outerTask;

    private Nested() {
    }

    @SuppressWarnings("unchecked")
    static Coroutine<String> inner(List<String> log) {
        Nested$weft$inner sm = new Nested$weft$inner();
        sm.p0 = log;
        return (Coroutine<String>) (Coroutine<?>) sm;
    }

    static Object inner(Nested$weft$inner sm, Object value, Throwable failure) throws Throwable {
        if (sm.label != 0) {
            throw new IllegalStateException("bad label " + sm.label);
        }
        sm.p0.add(Aio.currentTask() == outerTask ? "inner runs in the outer's task" : "inner runs elsewhere");
        return "inner 1";
    }

    @SuppressWarnings("unchecked")
    static Coroutine<String> outerInline(List<String> log) {
        Nested$weft$outerInline sm = new Nested$weft$outerInline();
        sm.p0 = log;
        lastOuter = sm;
        return (Coroutine<String>) (Coroutine<?>) sm;
    }

    static Object outerInline(Nested$weft$outerInline sm, Object value, Throwable failure) throws Throwable {
        switch (sm.label) {
            case 0:
                outerTask = Aio.currentTask();
                sm.p0.add("outer starts");
                value = Woven.await(sm, inner(sm.p0));
                if (value == Woven.SUSPENDED) {
                    sm.label = 1;
                    return Woven.SUSPENDED;
                }
            case 1:
                if (failure != null) {
                    throw failure;
                }
                sm.p0.add("outer resumed");
                return value + " inline";
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
    }

    @SuppressWarnings("unchecked")
    static Coroutine<Integer> innerSleeping() {
        return (Coroutine<Integer>) (Coroutine<?>) new Nested$weft$innerSleeping();
    }

    static Object innerSleeping(Nested$weft$innerSleeping sm, Object value, Throwable failure) throws Throwable {
        switch (sm.label) {
            case 0:
                value = Woven.await(sm, Aio.sleep(1));
                if (value == Woven.SUSPENDED) {
                    sm.label = 1;
                    return Woven.SUSPENDED;
                }
            case 1:
                if (failure != null) {
                    throw failure;
                }
                return 10;
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
    }

    @SuppressWarnings("unchecked")
    static Coroutine<Integer> outerSuspending() {
        return (Coroutine<Integer>) (Coroutine<?>) new Nested$weft$outerSuspending();
    }

    static Object outerSuspending(Nested$weft$outerSuspending sm, Object value, Throwable failure) throws Throwable {
        switch (sm.label) {
            case 0:
                value = Woven.await(sm, innerSleeping());
                if (value == Woven.SUSPENDED) {
                    sm.label = 1;
                    return Woven.SUSPENDED;
                }
            case 1:
                if (failure != null) {
                    throw failure;
                }
                return (Integer) value + 1;
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
    }
}

// ------------------------------------------------------------------------------------------------
//   @Async static Coroutine<String> catchLate() {
//       Future<String> f = loop.createFuture();
//       loop.callLater(1, () -> f.setException(new IllegalArgumentException("boom")));
//       try { return result(await(f)); } catch (IllegalArgumentException e) { return result("caught late: " + e.getMessage()); }
//   }
//   @Async static Coroutine<Void> rethrowChecked() { ... f.setException(new IOException("disk gone")); await(f); return done(); }
//   @Async static Coroutine<String> cancelMe() {
//       Task<?> me = currentTask(); loop.callLater(1, me::cancel);
//       String how;
//       try { await(sleep(10)); how = "not cancelled"; } catch (CancelledError e) { how = "cancelled at " + loop.time(); }
//       await(sleep(2));
//       return result(how + ", then slept to " + loop.time());
//   }

final class Guarded$weft$catchLate extends Coroutine<Object> {
    int label;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Guarded.catchLate(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Guarded.catchLate";
    }
}

final class Guarded$weft$rethrowChecked extends Coroutine<Object> {
    int label;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Guarded.rethrowChecked(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Guarded.rethrowChecked";
    }
}

final class Guarded$weft$cancelMe extends Coroutine<Object> {
    int label;
    Object s1;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Guarded.cancelMe(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Guarded.cancelMe";
    }
}

final class Guarded {
    private Guarded() {
    }

    @SuppressWarnings("unchecked")
    static Coroutine<String> catchLate() {
        return (Coroutine<String>) (Coroutine<?>) new Guarded$weft$catchLate();
    }

    static Object catchLate(Guarded$weft$catchLate sm, Object value, Throwable failure) throws Throwable {
        if (sm.label != 0 && sm.label != 1) {
            throw new IllegalStateException("bad label " + sm.label);
        }
        try {
            switch (sm.label) {
                case 0:
                    EventLoop loop = Aio.getRunningLoop();
                    Future<String> f = loop.createFuture();
                    loop.callLater(1, () -> f.setException(new IllegalArgumentException("boom")));
                    value = Woven.await(sm, f);
                    if (value == Woven.SUSPENDED) {
                        sm.label = 1;
                        return Woven.SUSPENDED;
                    }
                default:
                    // Resumed at label 1: the failure is thrown here, inside the user's try.
                    if (failure != null) {
                        throw failure;
                    }
            }
            return value;
        } catch (IllegalArgumentException e) {
            return "caught late: " + e.getMessage();
        }
    }

    @SuppressWarnings("unchecked")
    static Coroutine<Void> rethrowChecked() {
        return (Coroutine<Void>) (Coroutine<?>) new Guarded$weft$rethrowChecked();
    }

    static Object rethrowChecked(Guarded$weft$rethrowChecked sm, Object value, Throwable failure) throws Throwable {
        switch (sm.label) {
            case 0:
                EventLoop loop = Aio.getRunningLoop();
                Future<String> f = loop.createFuture();
                loop.callLater(1, () -> f.setException(new IOException("disk gone")));
                value = Woven.await(sm, f);
                if (value == Woven.SUSPENDED) {
                    sm.label = 1;
                    return Woven.SUSPENDED;
                }
            case 1:
                if (failure != null) {
                    throw failure;
                }
                return null;
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
    }

    @SuppressWarnings("unchecked")
    static Coroutine<String> cancelMe() {
        return (Coroutine<String>) (Coroutine<?>) new Guarded$weft$cancelMe();
    }

    static Object cancelMe(Guarded$weft$cancelMe sm, Object value, Throwable failure) throws Throwable {
        String how;
        switch (sm.label) {
            case 0:
            case 1:
                try {
                    if (sm.label == 0) {
                        Task<?> me = Aio.currentTask();
                        Aio.getRunningLoop().callLater(1, me::cancel);
                        value = Woven.await(sm, Aio.sleep(10));
                        if (value == Woven.SUSPENDED) {
                            sm.label = 1;
                            return Woven.SUSPENDED;
                        }
                    } else if (failure != null) {
                        throw failure;
                    }
                    how = "not cancelled";
                } catch (CancelledError e) {
                    how = "cancelled at " + Aio.getRunningLoop().time();
                }
                failure = null;
                value = Woven.await(sm, Aio.sleep(2));
                if (value == Woven.SUSPENDED) {
                    sm.s1 = how;
                    sm.label = 2;
                    return Woven.SUSPENDED;
                }
                sm.s1 = how;
            case 2:
                how = (String) sm.s1;
                sm.s1 = null;
                if (failure != null) {
                    throw failure;
                }
                return how + ", then slept to " + Aio.getRunningLoop().time();
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
    }
}

// ------------------------------------------------------------------------------------------------
//   @Async static Coroutine<Integer> depth(int n, boolean sleepAtBottom) {
//       if (n == 0) { if (sleepAtBottom) await(sleep(1)); return result(0); }
//       int below = await(depth(n - 1, sleepAtBottom));
//       return result(below + 1);
//   }

final class Deep$weft$depth extends Coroutine<Object> {
    int label;
    int p0;
    boolean p1;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Deep.depth(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Deep.depth";
    }
}

final class Deep {
    private Deep() {
    }

    @SuppressWarnings("unchecked")
    static Coroutine<Integer> depth(int n, boolean sleepAtBottom) {
        Deep$weft$depth sm = new Deep$weft$depth();
        sm.p0 = n;
        sm.p1 = sleepAtBottom;
        return (Coroutine<Integer>) (Coroutine<?>) sm;
    }

    static Object depth(Deep$weft$depth sm, Object value, Throwable failure) throws Throwable {
        switch (sm.label) {
            case 0:
                int n = sm.p0;
                if (n == 0) {
                    if (sm.p1) {
                        value = Woven.await(sm, Aio.sleep(1));
                        if (value == Woven.SUSPENDED) {
                            sm.label = 2;
                            return Woven.SUSPENDED;
                        }
                    }
                    return 0;
                }
                value = Woven.await(sm, depth(n - 1, sm.p1));
                if (value == Woven.SUSPENDED) {
                    sm.label = 1;
                    return Woven.SUSPENDED;
                }
            case 1:
                if (failure != null) {
                    throw failure;
                }
                return (Integer) value + 1;
            case 2:
                if (failure != null) {
                    throw failure;
                }
                return 0;
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
    }
}

// ------------------------------------------------------------------------------------------------
//   @Async static Coroutine<String> awaitTwice() {
//       Coroutine<String> c = Nested.inner(new ArrayList<>());
//       await(c);
//       return result(await(c));       // IllegalStateException: awaited already
//   }

final class Twice$weft$awaitTwice extends Coroutine<Object> {
    int label;
    Object s1;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Twice.awaitTwice(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Twice.awaitTwice";
    }
}

final class Twice {
    private Twice() {
    }

    @SuppressWarnings("unchecked")
    static Coroutine<String> awaitTwice() {
        return (Coroutine<String>) (Coroutine<?>) new Twice$weft$awaitTwice();
    }

    static Object awaitTwice(Twice$weft$awaitTwice sm, Object value, Throwable failure) throws Throwable {
        Coroutine<?> c;
        switch (sm.label) {
            case 0:
                c = Nested.inner(new ArrayList<>());
                value = Woven.await(sm, c);
                if (value == Woven.SUSPENDED) {
                    sm.s1 = c;
                    sm.label = 1;
                    return Woven.SUSPENDED;
                }
                sm.s1 = c;
            case 1:
                c = (Coroutine<?>) sm.s1;
                sm.s1 = null;
                if (failure != null) {
                    throw failure;
                }
                value = Woven.await(sm, c);
                if (value == Woven.SUSPENDED) {
                    sm.label = 2;
                    return Woven.SUSPENDED;
                }
            case 2:
                if (failure != null) {
                    throw failure;
                }
                return value;
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
    }
}

// ------------------------------------------------------------------------------------------------
//   @Async static Coroutine<String> forward() { return Fetch.fetchData(4, 1); }    // return x == return await(x)

final class Forward$weft$forward extends Coroutine<Object> {
    int label;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Forward.forward(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Forward.forward";
    }
}

final class Forward {
    private Forward() {
    }

    @SuppressWarnings("unchecked")
    static Coroutine<String> forward() {
        return (Coroutine<String>) (Coroutine<?>) new Forward$weft$forward();
    }

    static Object forward(Forward$weft$forward sm, Object value, Throwable failure) throws Throwable {
        switch (sm.label) {
            case 0:
                value = Woven.await(sm, Fetch.fetchData(4, 1));
                if (value == Woven.SUSPENDED) {
                    sm.label = 1;
                    return Woven.SUSPENDED;
                }
            case 1:
                if (failure != null) {
                    throw failure;
                }
                return value;
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
    }
}

// ------------------------------------------------------------------------------------------------
//   @Async static Coroutine<String> awaitStage(CompletableFuture<String> cf, Thread completer) {
//       completer.start();
//       return result(await(cf));        // Aio.await(CompletionStage) becomes Woven.awaitStage
//   }

final class Staged$weft$awaitStage extends Coroutine<Object> {
    int label;
    CompletableFuture<String> p0;
    Thread p1;

    @Override
    protected Object resume(Object value, Throwable failure) throws Throwable {
        return Staged.awaitStage(this, value, failure);
    }

    @Override
    protected String describe() {
        return "Staged.awaitStage";
    }
}

final class Staged {
    private Staged() {
    }

    @SuppressWarnings("unchecked")
    static Coroutine<String> awaitStage(CompletableFuture<String> cf, Thread completer) {
        Staged$weft$awaitStage sm = new Staged$weft$awaitStage();
        sm.p0 = cf;
        sm.p1 = completer;
        return (Coroutine<String>) (Coroutine<?>) sm;
    }

    static Object awaitStage(Staged$weft$awaitStage sm, Object value, Throwable failure) throws Throwable {
        switch (sm.label) {
            case 0:
                CompletableFuture<String> cf = sm.p0;
                sm.p1.start();
                value = Woven.awaitStage(sm, cf);
                if (value == Woven.SUSPENDED) {
                    sm.label = 1;
                    return Woven.SUSPENDED;
                }
            case 1:
                if (failure != null) {
                    throw failure;
                }
                return value;
            default:
                throw new IllegalStateException("bad label " + sm.label);
        }
    }
}
