package dev.weft.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.runtime.Aio;
import dev.weft.runtime.Clock;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import dev.weft.runtime.VirtualClock;
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
 *
 * <p>Only the protocol itself is tested here: the lazy start, the fast path, suspension and labels,
 * {@code badLabel}, the slow path of a stage, the allocation of a done await, the stack trace, the
 * trampolining of deep chains. What the runtime does with woven code is tested with {@code @Async}
 * code woven by the build, in the test class of the runtime class concerned ({@code CoroutineTest},
 * {@code TaskTest}, {@code AioTest}, ...).
 */
class WovenTest {
    /**
     * An async generator's body as the weaver writes it now ({@code Woven.emit(sm, v)}) and as
     * it falls back to writing it ({@code Woven.await(sm, Woven.emitting(v))}): both hand each value
     * to the consumer's {@code hasNext()}.
     */
    @Test
    void aGeneratorBodyEmitsThroughWovenEmitAndThroughTheEarlierEmittingAwait() {
        for (boolean earlier : new boolean[] {false, true}) {
            Coroutine<Object> body = new Coroutine<>() {
                private int label;

                @Override
                protected Object resume(Object value, Throwable failure) throws Throwable {
                    if (failure != null) {
                        throw failure;
                    }
                    if (label < 2) {
                        String v = label == 0 ? "a" : "b";
                        label++;
                        return earlier ? Woven.await(this, Woven.emitting(v)) : Woven.emit(this, v);
                    }
                    return null;
                }
            };
            dev.weft.runtime.AsyncGenerator<?> g = Woven.generator(body);
            Coroutine<String> consumer = new Coroutine<>() {
                private int label;
                private final StringBuilder seen = new StringBuilder();

                @Override
                protected Object resume(Object value, Throwable failure) throws Throwable {
                    if (failure != null) {
                        throw failure;
                    }
                    while (true) {
                        if (label == 0) {
                            value = Woven.await(this, g.hasNext());
                            if (value == Woven.SUSPENDED) {
                                label = 1;
                                return Woven.SUSPENDED;
                            }
                        }
                        label = 0;
                        if (!(Boolean) value) {
                            return seen.toString();
                        }
                        seen.append(g.next()).append(';');
                    }
                }
            };
            assertEquals("a;b;", Aio.run(consumer, Clock.virtual()), earlier ? "Woven.emitting" : "Woven.emit");
        }
    }

    /** An emit outside an async generator's body fails at once, naming the coroutine. */
    @Test
    void wovenEmitOutsideAGeneratorBodyIsRefused() {
        Coroutine<Object> notABody = new Coroutine<>() {
            @Override
            protected Object resume(Object value, Throwable failure) {
                return Woven.emit(this, "x");
            }

            @Override
            protected String describe() {
                return "Plain.notABody";
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.run(notABody, Clock.virtual()));
        assertTrue(e.getMessage().contains("Plain.notABody"), e.getMessage());
    }

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
// The README's gather example.
//
//   @Async static Coroutine<String> fetchData(int id, double seconds) {
//       LOG.add("Task " + id + ": starting...");
//       await(sleep(seconds));
//       LOG.add("Task " + id + ": done!");
//       return result("Data from " + id);
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

// Each resume body's cases fall through on purpose: the fast path of an await runs on into its resume.
@SuppressWarnings("fallthrough")
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

// Each resume body's cases fall through on purpose: the fast path of an await runs on into its resume.
@SuppressWarnings("fallthrough")
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

// Each resume body's cases fall through on purpose: the fast path of an await runs on into its resume.
@SuppressWarnings("fallthrough")
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

// Each resume body's cases fall through on purpose: the fast path of an await runs on into its resume.
@SuppressWarnings("fallthrough")
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
