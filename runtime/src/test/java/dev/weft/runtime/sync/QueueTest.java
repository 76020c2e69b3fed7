package dev.weft.runtime.sync;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static dev.weft.runtime.Aio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Clock;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;
import dev.weft.runtime.Task;
import dev.weft.runtime.TimeoutError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CPython 3.13's queue tests, ported: basics, gets, puts, join and shutdown. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueTest {
    /**
     * A task whose coroutine is a bare {@code get()} or {@code put(x)} shows that frame while it
     * waits, as CPython's {@code create_task(q.get()).get_stack()} shows {@code get} (the get and
     * put written by hand were taken for the runtime's glue, and such a task had no stack).
     */
    @Test
    void aTaskWaitingInABareGetOrPutShowsThatFrame() {
        Aio.run(bareWaits(), Clock.virtual());
    }

    @Async
    Coroutine<Void> bareWaits() {
        Queue<Integer> empty = new Queue<>();
        Queue<Integer> full = new Queue<>(1);
        full.putNowait(0);
        Task<Integer> getter = createTask(empty.get(), "bare-get");
        Task<Void> putter = createTask(full.put(1), "bare-put");
        await(sleep(0));
        StackTraceElement[] g = getter.getStack();
        StackTraceElement[] p = putter.getStack();
        getter.cancel();
        putter.cancel();
        assertEquals(1, g.length, java.util.Arrays.toString(g));
        assertEquals("dev.weft.runtime.sync.Queue", g[0].getClassName());
        assertEquals("get", g[0].getMethodName());
        assertEquals(1, p.length, java.util.Arrays.toString(p));
        assertEquals("put", p[0].getMethodName());
        return done();
    }

    private final List<Object> log = new ArrayList<>();

    private static void run(Coroutine<?> main) {
        Aio.run(main, Clock.virtual());
    }

    @Test
    void emptyAndFullFollowTheItems() {
        run(emptyAndFullFollowTheItems(new Queue<>()));
    }

    @Async
    Coroutine<Void> emptyAndFullFollowTheItems(Queue<Integer> q) {
        assertTrue(q.empty());
        assertFalse(q.full());
        await(q.put(1));
        assertFalse(q.empty());
        assertFalse(q.full(), "an unbounded queue is never full");
        assertEquals(1, (int) await(q.get()));
        assertTrue(q.empty());
        Queue<Integer> one = new Queue<>(1);
        await(one.put(1));
        assertTrue(one.full());
        return done();
    }

    @Test
    void itemsComeOutInTheOrderTheyWentIn() {
        run(itemsComeOutInTheOrderTheyWentIn(new Queue<>()));
    }

    @Async
    Coroutine<Void> itemsComeOutInTheOrderTheyWentIn(Queue<Integer> q) {
        for (int i : new int[] {1, 3, 2}) {
            await(q.put(i));
        }
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            items.add(await(q.get()));
        }
        assertEquals(List.of(1, 3, 2), items);
        return done();
    }

    @Async
    Coroutine<Boolean> putThree(Queue<Integer> q) {
        for (int i = 0; i < 3; i++) {
            await(q.put(i));
            log.add(i);
        }
        return result(true);
    }

    @Test
    void putWaitsWhileTheQueueHoldsMaxsizeItems() {
        run(putWaitsWhileTheQueueHoldsMaxsizeItems(new Queue<>(2)));
    }

    @Async
    Coroutine<Void> putWaitsWhileTheQueueHoldsMaxsizeItems(Queue<Integer> q) {
        assertEquals(2, q.maxsize());
        Task<Boolean> t = createTask(putThree(q));
        await(sleep(0));
        await(sleep(0));
        assertEquals(List.of(0, 1), log);
        assertEquals(0, (int) await(q.get()));
        await(sleep(0));
        assertEquals(List.of(0, 1, 2), log);
        assertEquals(1, (int) await(q.get()));
        assertEquals(2, (int) await(q.get()));
        assertTrue(t.isDone() && t.result());
        return done();
    }

    @Test
    void getTakesAnItemThatIsThereWithoutWaiting() {
        run(getTakesAnItemThatIsThereWithoutWaiting(new Queue<>()));
    }

    @Async
    Coroutine<Void> getTakesAnItemThatIsThereWithoutWaiting(Queue<Integer> q) {
        q.putNowait(1);
        assertEquals(1, (int) await(q.get()));
        assertEquals(0.0, getRunningLoop().time());
        return done();
    }

    @Test
    void getWaitsForAnItem() {
        run(getWaitsForAnItem(new Queue<>()));
    }

    @Async
    Coroutine<Void> getWaitsForAnItem(Queue<Integer> q) {
        getRunningLoop().callLater(0.01, () -> q.putNowait(1));
        assertEquals(1, (int) await(q.get()));
        assertEquals(0.01, getRunningLoop().time());
        return done();
    }

    @Test
    void getNowaitOfAnEmptyQueueThrowsQueueEmpty() {
        Queue<Integer> q = new Queue<>();
        assertThrows(QueueEmpty.class, q::getNowait);
        q.putNowait(1);
        assertEquals(1, q.getNowait());
    }

    @Test
    void aGetterCancelledBeforeAnItemCameLeavesItToTheNext() {
        run(aGetterCancelledBeforeAnItemCameLeavesItToTheNext(new Queue<>()));
    }

    @Async
    Coroutine<Void> aGetterCancelledBeforeAnItemCameLeavesItToTheNext(Queue<String> q) {
        Task<String> t1 = createTask(q.get());
        Task<String> t2 = createTask(q.get());
        await(sleep(0));
        t1.cancel();
        await(sleep(0));
        assertTrue(t1.isDone());
        await(q.put("a"));
        await(sleep(0));
        assertEquals("a", await(t2));
        return done();
    }

    @Test
    void getWithWaitingPuttersTakesTheirItemsInOrder() {
        run(getWithWaitingPuttersTakesTheirItemsInOrder(new Queue<>(1)));
    }

    @Async
    Coroutine<Void> getWithWaitingPuttersTakesTheirItemsInOrder(Queue<String> q) {
        createTask(q.put("a"));
        createTask(q.put("b"));
        assertEquals("a", await(q.get()));
        assertEquals("b", await(q.get()));
        return done();
    }

    @Async
    Coroutine<Void> consume(Queue<Integer> q, int expected) {
        for (int i = 0; i < expected; i++) {
            await(q.get());
        }
        return done();
    }

    @Async
    Coroutine<Void> produce(Queue<Integer> q, int items) {
        for (int i = 0; i < items; i++) {
            await(q.put(i));
        }
        return done();
    }

    @Test
    void aProducerAndAConsumerThroughAQueueOfOneBothFinish() {
        run(aProducerAndAConsumerThroughAQueueOfOneBothFinish(new Queue<>(1)));
    }

    @Async
    Coroutine<Void> aProducerAndAConsumerThroughAQueueOfOneBothFinish(Queue<Integer> q) {
        await(gather(createTask(produce(q, 5)), createTask(consume(q, 5))));
        assertTrue(q.empty());
        return done();
    }

    @Test
    void aGetThatTimesOutLeavesNoGetterBehind() {
        run(aGetThatTimesOutLeavesNoGetterBehind(new Queue<>(5)));
    }

    @Async
    Coroutine<Void> aGetThatTimesOutLeavesNoGetterBehind(Queue<Integer> q) {
        try {
            await(waitFor(q.get(), 0.1));
            fail("no timeout");
        } catch (TimeoutError expected) {
            assertEquals(0, q.getterCount());
        }
        return done();
    }

    @Test
    void putNeverWaitsOnAnUnboundedQueue() {
        run(putNeverWaitsOnAnUnboundedQueue(new Queue<>()));
    }

    @Async
    Coroutine<Void> putNeverWaitsOnAnUnboundedQueue(Queue<Integer> q) {
        await(q.put(1));
        assertEquals(1, (int) await(q.get()));
        return done();
    }

    private boolean finished;

    @Async
    Coroutine<Void> putTwo(Queue<Integer> q) {
        await(q.put(1));
        await(q.put(2));
        finished = true;
        return done();
    }

    @Test
    void putWaitsForAFreeSlot() {
        run(putWaitsForAFreeSlot(new Queue<>(1)));
    }

    @Async
    Coroutine<Void> putWaitsForAFreeSlot(Queue<Integer> q) {
        getRunningLoop().callLater(0.01, q::getNowait);
        Task<Void> putting = createTask(putTwo(q));
        await(sleep(0));
        assertFalse(finished);
        await(putting);
        assertTrue(finished);
        assertEquals(0.01, getRunningLoop().time());
        return done();
    }

    @Test
    void aGetterCancelledAfterItWasWokenLosesNoItem() {
        run(aGetterCancelledAfterItWasWokenLosesNoItem(new Queue<>()));
    }

    @Async
    Coroutine<Void> aGetterCancelledAfterItWasWokenLosesNoItem(Queue<Integer> q) {
        Task<Integer> reader = createTask(q.get());
        await(sleep(0));
        q.putNowait(1);
        q.putNowait(2);
        reader.cancel();
        try {
            await(reader);
        } catch (CancelledError e) {
            reader = createTask(q.get());
            await(reader);
        }
        assertEquals(1, (int) reader.result(), "a 2 would mean that the 1 was dropped");
        return done();
    }

    @Test
    void oneOfManyGettersCancelledAfterItWasWokenLosesNoItem() {
        run(oneOfManyGettersCancelledAfterItWasWokenLosesNoItem(new Queue<>()));
    }

    @Async
    Coroutine<Void> oneOfManyGettersCancelledAfterItWasWokenLosesNoItem(Queue<Integer> q) {
        Task<Integer> reader1 = createTask(q.get());
        Task<Integer> reader2 = createTask(q.get());
        Task<Integer> reader3 = createTask(q.get());
        await(sleep(0));
        q.putNowait(1);
        q.putNowait(2);
        reader1.cancel();
        try {
            await(reader1);
            fail("reader1 was not cancelled");
        } catch (CancelledError expected) {
            // as CPython
        }
        await(reader3);
        await(reader2);
        List<Integer> got = new ArrayList<>(List.of(reader2.result(), reader3.result()));
        got.sort(null);
        assertEquals(List.of(1, 2), got);
        return done();
    }

    @Test
    void aPutterCancelledAfterItWasWokenCanPutAgain() {
        run(aPutterCancelledAfterItWasWokenCanPutAgain(new Queue<>(1)));
    }

    @Async
    Coroutine<Void> aPutterCancelledAfterItWasWokenCanPutAgain(Queue<Integer> q) {
        q.putNowait(1);
        Task<Void> writer = createTask(q.put(2));
        await(sleep(0));
        assertEquals(1, (int) q.getNowait());
        writer.cancel();
        try {
            await(writer);
        } catch (CancelledError e) {
            writer = createTask(q.put(2));
            await(writer);
        }
        assertEquals(2, (int) q.getNowait());
        assertEquals(0, q.qsize());
        return done();
    }

    @Test
    void putNowaitOfAFullQueueThrowsQueueFull() {
        Queue<Integer> q = new Queue<>(1);
        q.putNowait(1);
        assertThrows(QueueFull.class, () -> q.putNowait(2));
    }

    @Test
    void aWaitingGetterTakesThePutItem() {
        run(aWaitingGetterTakesThePutItem(new Queue<>()));
    }

    @Async
    Coroutine<Void> aWaitingGetterTakesThePutItem(Queue<String> q) {
        Task<String> t = createTask(q.get());
        await(sleep(0));
        await(q.put("a"));
        assertEquals("a", await(t));
        return done();
    }

    @Test
    void aPutterCancelledWhileWaitingIsSkipped() {
        run(aPutterCancelledWhileWaitingIsSkipped(new Queue<>(1)));
    }

    @Async
    Coroutine<Void> aPutterCancelledWhileWaitingIsSkipped(Queue<String> q) {
        Task<Void> putA = createTask(q.put("a"));
        Task<Void> putB = createTask(q.put("b"));
        Task<Void> putC = createTask(q.put("X"));
        await(sleep(0));
        assertTrue(putA.isDone());
        assertFalse(putB.isDone());

        putC.cancel();
        await(sleep(0));
        assertTrue(putC.isDone());
        assertEquals("a", q.getNowait());
        await(sleep(0));
        assertEquals("b", q.getNowait());
        await(putB);
        assertTrue(q.empty());
        return done();
    }

    @Async
    Coroutine<Void> putOne(Queue<Integer> q, int item) {
        await(q.put(item));
        return done();
    }

    @Async
    Coroutine<Void> drainAfterAYield(Queue<Integer> q) {
        await(sleep(0));
        int num = q.qsize();
        for (int i = 0; i < num; i++) {
            q.getNowait();
        }
        return done();
    }

    @Test
    void puttersWaitingForSlotsFreedByGetNowaitAllFinish() {
        run(puttersWaitingForSlotsFreedByGetNowaitAllFinish(new Queue<>(2)));
    }

    @Async
    Coroutine<Void> puttersWaitingForSlotsFreedByGetNowaitAllFinish(Queue<Integer> q) {
        await(gather(createTask(drainAfterAYield(q)), createTask(putOne(q, 0)), createTask(putOne(q, 1)),
                createTask(putOne(q, 2)), createTask(putOne(q, 3))));
        assertEquals(2, q.qsize());
        return done();
    }

    @Test
    void aCancelledPutLeavesNoPutterBehind() {
        run(aCancelledPutLeavesNoPutterBehind(new Queue<>(1)));
    }

    @Async
    Coroutine<Void> aCancelledPutLeavesNoPutterBehind(Queue<Integer> q) {
        q.putNowait(1);
        Task<Void> putTask = createTask(q.put(1));
        await(sleep(0));
        assertEquals(1, q.putterCount());
        putTask.cancel();
        try {
            await(putTask);
            fail("the put was not cancelled");
        } catch (CancelledError expected) {
            assertEquals(0, q.putterCount());
        }
        return done();
    }

    @Test
    void aPutCancelledAfterGetNowaitTookItsPutterOutEndsCancelled() {
        run(aPutCancelledAfterGetNowaitTookItsPutterOutEndsCancelled(new Queue<>(1)));
    }

    @Async
    Coroutine<Void> aPutCancelledAfterGetNowaitTookItsPutterOutEndsCancelled(Queue<Integer> q) {
        q.putNowait(1);
        Task<Void> putTask = createTask(q.put(1));
        await(sleep(0));
        q.getNowait();
        putTask.cancel();
        try {
            await(putTask);
            fail("the put was not cancelled");
        } catch (CancelledError expected) {
            assertEquals(0, q.putterCount());
        }
        return done();
    }

    @Test
    void aNullItemIsRefused() {
        assertThrows(NullPointerException.class, () -> new Queue<String>().putNowait(null));
    }

    // ---- join and taskDone, as CPython's _QueueJoinTestMixin (the other queues run them too)

    @Test
    void taskDoneMoreTimesThanItemsThrowsIllegalStateException() {
        QueueContract.taskDoneUnderflowThrows(new Queue<>());
    }

    @Test
    void joinReturnsOnceEveryItemIsDone() {
        run(QueueContract.joinReturnsOnceEveryItemIsDone(new Queue<>()));
    }

    @Test
    void joinOfAnEmptyQueueReturnsAtOnce() {
        run(QueueContract.joinOfAnEmptyQueueReturnsAtOnce(new Queue<>()));
    }

    // ---- shutdown, as CPython 3.13's _QueueShutdownTestMixin

    @Test
    void shutdownOfAnEmptyQueueFailsTheWaitingGetAndEveryLaterPutAndGet() {
        run(QueueContract.shutdownOfAnEmptyQueue(new Queue<>()));
    }

    @Test
    void shutdownOfANonEmptyQueueFailsThePutsAndLetsTheItemsBeTaken() {
        run(QueueContract.shutdownOfANonEmptyQueue(new Queue<>(1)));
    }

    @Test
    void anImmediateShutdownDropsTheItemsAndReleasesJoin() {
        run(QueueContract.immediateShutdown(new Queue<>()));
    }

    @Test
    void anImmediateShutdownCountsOnlyTheDroppedItemsAsDone() {
        run(QueueContract.immediateShutdownWithUnfinished(new Queue<>()));
    }

    @Test
    void aPutterWaitingOnAFullQueueFailsAtAnImmediateShutdown() {
        run(aPutterWaitingOnAFullQueueFailsAtAnImmediateShutdown(new Queue<>(1)));
    }

    @Async
    Coroutine<Void> aPutterWaitingOnAFullQueueFailsAtAnImmediateShutdown(Queue<Integer> q) {
        q.putNowait(1);
        Task<Void> putting = createTask(q.put(2));
        await(sleep(0));
        q.shutdown(true);
        try {
            await(putting);
            fail("the put went through a shut-down queue");
        } catch (QueueShutDown expected) {
            assertTrue(q.empty());
        }
        return done();
    }

    @Test
    void putAndGetAreLazy() {
        run(putAndGetAreLazy(new Queue<>()));
    }

    @Async
    Coroutine<Void> putAndGetAreLazy(Queue<String> q) {
        Coroutine<Void> putting = q.put("a");
        assertTrue(q.empty(), "nothing is put before the coroutine is awaited");
        Coroutine<String> getting = q.get();
        await(putting);
        assertEquals(1, q.qsize());
        assertEquals("a", await(getting));
        return done();
    }

    @Test
    void toStringShowsTheSizeTheWaitersAndTheState() {
        run(toStringShowsTheSizeTheWaitersAndTheState(new Queue<>()));
    }

    @Async
    Coroutine<Void> toStringShowsTheSizeTheWaitersAndTheState(Queue<Integer> q) {
        assertEquals("Queue[maxsize=0]", q.toString());
        Task<Integer> getter = createTask(q.get());
        await(sleep(0));
        assertEquals("Queue[maxsize=0, getters:1]", q.toString());
        q.putNowait(0);
        assertEquals(0, (int) await(getter));
        q.putNowait(1);
        assertEquals("Queue[maxsize=0, qsize=1, tasks=2]", q.toString());
        q.shutdown();
        assertEquals("Queue[maxsize=0, qsize=1, tasks=2, shutdown]", q.toString());
        return done();
    }
}
