package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AioTest {
    private final VirtualClock clock = Clock.virtual();
    private final List<String> log = new ArrayList<>();

    private <T> T run(Coroutine<T> main) {
        return Aio.run(main, clock);
    }

    private double now() {
        return Aio.getRunningLoop().time();
    }

    // ---------------------------------------------------------------- the design's example

    @Test
    void gatherOfThreeSleepersTakesTheLongestSleepOnTheVirtualClock() {
        Coroutine<List<String>> main = Script.<List<String>>named("main")
                .then(v -> Aio.gather(fetch(1, 2), fetch(2, 3), fetch(3, 1)));
        assertEquals(List.of("Data 1", "Data 2", "Data 3"), run(main));
        assertEquals(List.of("3 done at 1.0", "1 done at 2.0", "2 done at 3.0"), log);
        assertEquals(3_000_000_000L, clock.nanoTime());
    }

    private Coroutine<String> fetch(int id, double seconds) {
        return Script.<String>named("fetch " + id).then(v -> Aio.sleep(seconds)).then(v -> {
            log.add(id + " done at " + now());
            return "Data " + id;
        });
    }

    @Test
    void aTaskAwaitsAFutureSetByATimer() {
        assertEquals("set", run(Script.<String>named("main").then(v -> {
            Future<String> f = Aio.getRunningLoop().createFuture();
            Aio.getRunningLoop().callLater(1, () -> f.setResult("set"));
            return Aio.createTask(Script.awaiting(f));
        })));
    }

    // ---------------------------------------------------------------- sleep

    @Test
    void sleepZeroYieldsExactlyOneIteration() {
        int[] iterations = {0};
        int[] seen = new int[2];
        run(Script.named("main").then(v -> {
            EventLoop loop = Aio.getRunningLoop();
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                iterations[0]++;
                loop.callSoon(tick[0]);
            };
            loop.callSoon(tick[0]);
            return Aio.sleep(0);
        }).then(v -> {
            seen[0] = iterations[0];
            return Aio.sleep(0);
        }).then(v -> {
            seen[1] = iterations[0];
            return null;
        }));
        assertEquals(1, seen[1] - seen[0]);
    }

    @Test
    void sleepZeroLetsTheOtherTasksRunInTurn() {
        run(Script.named("main").then(v -> Aio.gather(turns("a"), turns("b"))));
        assertEquals(List.of("a1", "b1", "a2", "b2", "a3", "b3"), log);
    }

    private Coroutine<Object> turns(String who) {
        return Script.named(who).then(v -> {
            log.add(who + 1);
            return Aio.sleep(0);
        }).then(v -> {
            log.add(who + 2);
            return Aio.sleep(Duration.ZERO);
        }).then(v -> {
            log.add(who + 3);
            return null;
        });
    }

    @Test
    void sleepZeroIsAFutureThatCompletesForAnyObserver() {
        assertEquals(Arrays.asList(null, null), run(Script.named("main").then(v -> Aio.gather(Aio.sleep(0), Aio.sleep(-1)))));
    }

    @Test
    void sleepTakesExactlyItsTimeOnTheVirtualClock() {
        assertEquals(3.5, run(Script.<Double>named("main").then(v -> Aio.sleep(Duration.ofMillis(3500))).then(v -> now())));
        assertEquals(3_500_000_000L, clock.nanoTime());
    }

    // ---------------------------------------------------------------- gather

    @Test
    void gatherKeepsArgumentOrderAndRunsConcurrently() {
        List<String> results = run(Script.<List<String>>named("main").then(v -> Aio.gather(
                Script.sleepThen(3, "slow"), Script.sleepThen(1, "fast"), Script.sleepThen(2, "middle"))));
        assertEquals(List.of("slow", "fast", "middle"), results);
        assertEquals(3.0, clock.nanoTime() / 1e9);
    }

    @Test
    void gatherOfNothingIsAnEmptyList() {
        assertEquals(List.of(), run(Script.named("main").then(v -> Aio.gather(List.of()))));
    }

    @Test
    void theFirstFailureOfGatherPropagatesWhileSiblingsKeepRunning() {
        Task<?>[] sibling = new Task<?>[1];
        String outcome = run(Script.<String>named("main").then(v -> {
            sibling[0] = Aio.createTask(Script.sleepThen(2, "sibling done"));
            return Aio.gather(Script.sleepThenFail(1, new IOException("first")), sibling[0],
                    Script.sleepThenFail(1.5, new IOException("second")));
        }).recover(e -> {
            log.add(e.getMessage() + " at " + now() + ", sibling done: " + sibling[0].isDone());
            return sibling[0];
        }).then(v -> v + " at " + now()));
        assertEquals(List.of("first at 1.0, sibling done: false"), log);
        assertEquals("sibling done at 2.0", outcome);
    }

    @Test
    void gatherWithReturnExceptionsCollectsFailuresInPlace() {
        IOException failure = new IOException("in place");
        List<Object> results = run(Script.<List<Object>>named("main").then(v -> Aio.gather(
                List.of(Script.sleepThen(1, "ok"), Script.sleepThenFail(2, failure)), true)));
        assertEquals(Arrays.asList("ok", failure), results);
    }

    @Test
    void cancellingTheGatherCancelsTheChildren() {
        Task<?>[] children = new Task<?>[2];
        String outcome = run(Script.<String>named("main").then(v -> {
            children[0] = Aio.createTask(Script.sleepThen(5, "a"));
            children[1] = Aio.createTask(Script.sleepThen(5, "b"));
            Future<List<Object>> g = Aio.gather(children[0], children[1]);
            Aio.getRunningLoop().callLater(1, g::cancel);
            return g;
        }).recover(e -> e.getClass().getSimpleName() + " at " + now()));
        assertEquals("CancelledError at 1.0", outcome);
        assertTrue(children[0].isCancelled());
        assertTrue(children[1].isCancelled());
    }

    @Test
    void cancellingATaskThatAwaitsAGatherCancelsTheChildren() {
        Task<?>[] child = new Task<?>[1];
        run(Script.named("main").then(v -> {
            Task<Object> waiter = Aio.createTask(Script.named("waiter").then(x -> {
                child[0] = Aio.createTask(Script.sleepThen(5, "a"));
                return Aio.gather(child[0]);
            }));
            Aio.getRunningLoop().callLater(1, waiter::cancel);
            return Aio.wait(List.of(waiter));
        }));
        assertTrue(child[0].isCancelled());
    }

    // ---------------------------------------------------------------- waitFor

    @Test
    void waitForCancelsTheInnerTaskWaitsForItThenRaisesTimeoutError() {
        Task<?>[] inner = new Task<?>[1];
        String outcome = run(Script.<String>named("main").then(v -> {
            inner[0] = Aio.createTask(Script.named("inner").then(x -> Aio.sleep(10)).recover(e -> {
                log.add("inner cancelled at " + now());
                return Aio.sleep(1);
            }).then(x -> {
                log.add("inner cleaned up at " + now());
                throw new CancelledError();
            }));
            return Aio.waitFor(inner[0], 2);
        }).recover(e -> {
            log.add(e.getClass().getSimpleName() + " at " + now());
            return "timed out";
        }));
        assertEquals("timed out", outcome);
        assertEquals(List.of("inner cancelled at 2.0", "inner cleaned up at 3.0", "TimeoutError at 3.0"), log);
        assertTrue(inner[0].isCancelled());
    }

    @Test
    void waitForGivesTheResultWhenInTime() {
        assertEquals("quick at 1.0", run(Script.<String>named("main")
                .then(v -> Aio.waitFor(Script.sleepThen(1, "quick"), 5)).then(v -> v + " at " + now())));
        assertEquals(1.0, clock.nanoTime() / 1e9, "the timer of waitFor does not hold the loop");
    }

    @Test
    void waitForPassesTheInnerFailureOn() {
        IOException e = assertThrows(IOException.class, () -> run(Script.named("main")
                .then(v -> Aio.waitFor(Script.sleepThenFail(1, new IOException("inner")), 5))));
        assertEquals("inner", e.getMessage());
    }

    // ---------------------------------------------------------------- wait and asCompleted

    @Test
    void waitFirstCompletedReturnsTheFirstDoneAndCancelsNothing() {
        Aio.WaitResult<?> r = run(Script.<Aio.WaitResult<String>>named("main").then(v -> Aio.wait(List.of(
                Script.sleepThen(2, "b"), Script.sleepThen(1, "a"), Script.sleepThen(3, "c")), -1,
                Aio.ReturnWhen.FIRST_COMPLETED)).then(v -> {
                    log.add("returned at " + now() + ", pending cancelled: "
                            + ((Aio.WaitResult<?>) v).pending().stream().anyMatch(Future::isCancelled));
                    return v;
                }));
        assertEquals(List.of("returned at 1.0, pending cancelled: false"), log);
        assertEquals(List.of("a"), r.done().stream().map(Future::result).toList());
        assertEquals(2, r.pending().size());
    }

    @Test
    void waitFirstExceptionReturnsAtTheFirstFailureWithoutRaising() {
        Aio.WaitResult<?> r = run(Script.<Aio.WaitResult<String>>named("main").then(v -> {
            Future<String> cancelled = Aio.getRunningLoop().createFuture();
            cancelled.cancel();
            return Aio.wait(List.of(cancelled, Script.sleepThen(1, "a"), Script.<String>sleepThenFail(2,
                    new IOException("x")), Script.sleepThen(3, "c")), -1, Aio.ReturnWhen.FIRST_EXCEPTION);
        }).then(v -> {
            log.add("returned at " + now());
            return v;
        }));
        assertEquals(List.of("returned at 2.0"), log, "a cancelled future is no exception");
        assertEquals(3, r.done().size());
        assertEquals(1, r.pending().size());
    }

    @Test
    void waitAllCompletedWithATimeoutReturnsDoneAndPendingAtTheTimeout() {
        Aio.WaitResult<?> r = run(Script.<Aio.WaitResult<String>>named("main").then(v -> Aio.wait(List.of(
                Script.sleepThen(1, "a"), Script.<String>sleepThenFail(1, new IOException("not raised")),
                Script.sleepThen(3, "c")), 1.5, Aio.ReturnWhen.ALL_COMPLETED)).then(v -> {
                    log.add("returned at " + now() + ", pending cancelled: "
                            + ((Aio.WaitResult<?>) v).pending().iterator().next().isCancelled());
                    return v;
                }));
        assertEquals(List.of("returned at 1.5, pending cancelled: false"), log);
        assertEquals(2, r.done().size());
        assertEquals(1, r.pending().size());
    }

    @Test
    void waitWithoutTimeoutWaitsForAll() {
        Aio.WaitResult<?> r = run(Script.<Aio.WaitResult<String>>named("main")
                .then(v -> Aio.wait(List.of(Script.sleepThen(1, "a"), Script.sleepThen(2, "b")))));
        assertEquals(2, r.done().size());
        assertTrue(r.pending().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> run(Script.named("main").then(v -> Aio.wait(List.of()))));
    }

    @Test
    void asCompletedGivesOutcomesInTheOrderTheyFinish() {
        run(Script.named("main").then(v -> {
            List<Future<String>> fs = Aio.asCompleted(List.of(Script.sleepThen(3, "three"),
                    Script.sleepThen(1, "one"), Script.sleepThen(2, "two")));
            Script<Object> reader = Script.named("reader");
            for (Future<String> f : fs) {
                reader.then(x -> f).then(x -> {
                    log.add(x + " at " + now());
                    return null;
                });
            }
            return reader;
        }));
        assertEquals(List.of("one at 1.0", "two at 2.0", "three at 3.0"), log);
    }

    @Test
    void asCompletedWithATimeoutFailsWhatIsStillToComeWithTimeoutError() {
        run(Script.named("main").then(v -> {
            List<Future<String>> fs = Aio.asCompleted(List.of(Script.sleepThen(3, "three"),
                    Script.sleepThen(1, "one"), Script.sleepThen(5, "five")), 2);
            Script<Object> reader = Script.named("reader");
            for (Future<String> f : fs) {
                reader.then(x -> f).recover(e -> e.getClass().getSimpleName()).then(x -> {
                    log.add(x + " at " + now());
                    return null;
                });
            }
            return reader;
        }));
        assertEquals(List.of("one at 1.0", "TimeoutError at 2.0", "TimeoutError at 2.0"), log);
    }

    // ---------------------------------------------------------------- shield

    @Test
    void shieldProtectsTheInnerTaskFromTheCancellationOfItsAwaiter() {
        Task<?>[] inner = new Task<?>[1];
        run(Script.named("main").then(v -> {
            inner[0] = Aio.createTask(Script.sleepThen(3, "inner survived"));
            Task<Object> waiter = Aio.createTask(Script.named("waiter").then(x -> Aio.shield(inner[0]))
                    .recover(e -> {
                        log.add("waiter got " + e.getClass().getSimpleName() + " at " + now());
                        throw e;
                    }));
            Aio.getRunningLoop().callLater(1, waiter::cancel);
            return inner[0];
        }));
        assertEquals(List.of("waiter got CancelledError at 1.0"), log);
        assertEquals("inner survived", inner[0].result());
    }

    @Test
    void shieldOfADoneFutureIsTheFutureItself() {
        run(Script.named("main").then(v -> {
            Future<String> f = Aio.getRunningLoop().createFuture();
            f.setResult("x");
            assertSame(f, Aio.shield(f));
            return null;
        }));
    }

    // ---------------------------------------------------------------- threads

    @Test
    void toThreadRunsTheBlockingFunctionOnTheDefaultExecutor() {
        Thread me = Thread.currentThread();
        Thread worker = run(Script.<Thread>named("main").then(v -> Aio.toThread(Thread::currentThread)));
        assertNotEquals(me, worker);
    }

    @Test
    void runShutsTheDefaultExecutorDownSoItsThreadsEnd() throws InterruptedException {
        Thread worker = run(Script.<Thread>named("main").then(v -> Aio.toThread(Thread::currentThread)));
        worker.join(10_000);
        assertFalse(worker.isAlive(), "the executor's thread outlived Aio.run");
    }

    @Test
    void toThreadPassesTheFailureOnUnwrapped() {
        IOException e = assertThrows(IOException.class, () -> run(Script.named("main").then(v -> Aio.toThread(() -> {
            throw new IOException("blocked and failed");
        }))));
        assertEquals("blocked and failed", e.getMessage());
    }

    // ---------------------------------------------------------------- run and loops

    @Test
    void runReturnsTheResultAndClosesItsLoop() {
        EventLoop[] used = new EventLoop[1];
        assertEquals("r", run(Script.<String>named("main").then(v -> {
            used[0] = Aio.getRunningLoop();
            return "r";
        })));
        assertTrue(used[0].isClosed());
    }

    @Test
    void runCancelsLeftoverTasksAndWaitsForThem() {
        Task<?>[] leftover = new Task<?>[1];
        run(Script.named("main").then(v -> {
            leftover[0] = Aio.createTask(Script.named("leftover").then(x -> Aio.sleep(100)).recover(e -> {
                log.add("leftover cancelled at " + now());
                return Aio.sleep(1);
            }).then(x -> {
                log.add("leftover cleaned up at " + now());
                return null;
            }));
            return Aio.sleep(1);
        }));
        assertEquals(List.of("leftover cancelled at 1.0", "leftover cleaned up at 2.0"), log);
        assertTrue(leftover[0].isDone());
    }

    @Test
    void runRefusesToStartInsideARunningLoop() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> run(Script.named("main").then(v -> Aio.run(Script.sleepThen(1, "inner")))));
        assertTrue(e.getMessage().contains("cannot be called from a running event loop"), e.getMessage());
    }

    @Test
    void runThrowsTheFailureOfMainUnwrapped() {
        IOException e = assertThrows(IOException.class, () -> run(Script.sleepThenFail(1, new IOException("main"))));
        assertEquals("main", e.getMessage());
    }

    @Test
    void runOnTheSystemClockWorks() {
        assertEquals("real", Aio.run(Script.sleepThen(0.001, "real")));
    }

    @Test
    void newEventLoopMakesAnIdleLoopOnTheGivenClock() {
        EventLoop loop = Aio.newEventLoop(clock);
        assertSame(clock, loop.clock());
        assertFalse(loop.isRunning());
        loop.close();
        EventLoop system = Aio.newEventLoop();
        assertSame(Clock.system(), system.clock());
        system.close();
    }

    @Test
    void getRunningLoopOutsideALoopFailsWithAnExplanation() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Aio::getRunningLoop);
        assertTrue(e.getMessage().startsWith("no running event loop"), e.getMessage());
        assertNull(Aio.currentTask());
    }

    @Test
    void ensureFutureWrapsACoroutineInATaskAndKeepsAFuture() {
        run(Script.named("main").then(v -> {
            Future<String> f = Aio.getRunningLoop().createFuture();
            assertSame(f, Aio.ensureFuture(f));
            Future<String> t = Aio.ensureFuture(Script.sleepThen(1, "x"));
            assertInstanceOf(Task.class, t);
            return t;
        }));
    }

    @Test
    void createTaskWithANameNamesIt() {
        assertEquals("worker", run(Script.<String>named("main")
                .then(v -> Aio.createTask(Script.sleepThen(1, "w"), "worker").getName())));
    }

    @Test
    void resultAndDoneReachedUnwovenAreCoroutinesAlreadyComplete() {
        assertEquals("v", run(Aio.result("v")));
        assertNull(Aio.run(Aio.done(), Clock.virtual()));
    }

    @Test
    void allTasksListsThePendingTasksOfTheRunningLoop() {
        Set<?> all = run(Script.<Set<Task<?>>>named("main").then(v -> {
            Aio.createTask(Script.sleepThen(1, "x"), "other");
            return Aio.allTasks();
        }));
        assertEquals(2, all.size());
    }

    @Test
    void runReportsALeftoverTaskThatFailsWhileBeingCancelled() {
        List<EventLoop.ExceptionContext> reported = new ArrayList<>();
        run(Script.named("main").then(v -> {
            Aio.getRunningLoop().setExceptionHandler((l, c) -> reported.add(c));
            Aio.createTask(Script.named("background").then(x -> Aio.sleep(10)).recover(e -> {
                throw new IllegalStateException("cleanup failed");
            }));
            return Aio.sleep(1);
        }));
        assertEquals(1, reported.size(), reported::toString);
        assertTrue(reported.get(0).message().contains("failed while being cancelled"), reported.get(0).message());
        assertEquals("cleanup failed", reported.get(0).exception().getMessage());
    }

    @Test
    void cancellingATaskWhoseWaitForInnerJustCompletedStillCancelsIt() {
        Task<?>[] task = new Task<?>[1];
        String outcome = run(Script.<String>named("main").then(v -> {
            Future<Integer> f = Aio.getRunningLoop().createFuture();
            task[0] = Aio.createTask(Script.awaiting(Aio.waitFor(f, 10)));
            Aio.getRunningLoop().callLater(1, () -> {
                f.setResult(42);
                task[0].cancel();
            });
            return Aio.sleep(2);
        }).then(v -> "cancelled " + task[0].isCancelled()));
        assertEquals("cancelled true", outcome);
    }

    @Test
    void waitTakesItsCallbacksOffFuturesThatAreStillPending() {
        Future<?>[] stop = new Future<?>[1];
        int rounds = run(Script.<Integer>named("main").then(v -> {
            stop[0] = Aio.getRunningLoop().createFuture();
            return loopOfWaits(stop[0], 200);
        }));
        assertEquals(200, rounds);
        assertEquals(0, stop[0].waiterCount());
    }

    @SuppressWarnings("unchecked")
    private Coroutine<Integer> loopOfWaits(Future<?> stop, int rounds) {
        Script<Integer> s = Script.named("waits");
        for (int i = 0; i < rounds; i++) {
            s.then(v -> Aio.wait(List.of((Future<Object>) stop, (Future<Object>) (Future<?>) Aio.sleep(0.001)), -1,
                    Aio.ReturnWhen.FIRST_COMPLETED));
        }
        return s.then(v -> rounds);
    }

    @Test
    void aCancelledWaitCancelsItsTimer() {
        int[] timersLeft = {-1};
        run(Script.named("main").then(v -> {
            Future<Object> never = Aio.getRunningLoop().createFuture();
            Task<?> waiter = Aio.createTask(Script.awaiting(Aio.wait(List.of(never), 3600, Aio.ReturnWhen.ALL_COMPLETED)));
            Aio.getRunningLoop().callLater(1, waiter::cancel);
            return Aio.sleep(2);
        }).then(v -> {
            timersLeft[0] = Aio.getRunningLoop().timers().size();
            return null;
        }));
        assertEquals(0, timersLeft[0]);
    }

    @Test
    void aCancelledShieldLetsGoOfTheInnerFuture() {
        int[] waiters = {-1};
        run(Script.named("main").then(v -> {
            Future<String> inner = Aio.getRunningLoop().createFuture();
            Future<String> outer = Aio.shield(inner);
            outer.cancel();
            waiters[0] = inner.waiterCount();
            inner.setResult("done anyway");
            return null;
        }));
        assertEquals(0, waiters[0]);
    }
}
