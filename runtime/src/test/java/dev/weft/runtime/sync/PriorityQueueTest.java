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

/** CPython's PriorityQueueTests, with the join and shutdown cases every queue runs. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PriorityQueueTest {
    private static void run(Coroutine<?> main) {
        Aio.run(main, Clock.virtual());
    }

    @Test
    void theSmallestItemComesOutFirst() {
        run(order(new PriorityQueue<>()));
    }

    @Async
    static Coroutine<Void> order(Queue<Integer> q) {
        for (int i : new int[] {1, 3, 2}) {
            await(q.put(i));
        }
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            items.add(await(q.get()));
        }
        assertEquals(List.of(1, 2, 3), items, "the smallest item comes out first");
        return done();
    }

    @Test
    void aBoundedQueueMakesPutWait() {
        run(aBoundedQueueMakesPutWait(new PriorityQueue<>(1)));
    }

    @Async
    static Coroutine<Void> aBoundedQueueMakesPutWait(Queue<Integer> q) {
        assertEquals(1, q.maxsize());
        await(q.put(1));
        assertTrue(q.full());
        Task<Void> putting = createTask(q.put(2));
        await(sleep(0));
        assertFalse(putting.isDone());
        assertEquals(1, (int) q.getNowait());
        await(putting);
        assertEquals(2, (int) q.getNowait());
        return done();
    }

    @Test
    void taskDoneMoreTimesThanItemsThrowsIllegalStateException() {
        QueueContract.taskDoneUnderflowThrows(new PriorityQueue<>());
    }

    @Test
    void joinReturnsOnceEveryItemIsDone() {
        run(QueueContract.joinReturnsOnceEveryItemIsDone(new PriorityQueue<>()));
    }

    @Test
    void joinOfAnEmptyQueueReturnsAtOnce() {
        run(QueueContract.joinOfAnEmptyQueueReturnsAtOnce(new PriorityQueue<>()));
    }

    @Test
    void shutdownOfAnEmptyQueueFailsTheWaitingGetAndEveryLaterPutAndGet() {
        run(QueueContract.shutdownOfAnEmptyQueue(new PriorityQueue<>()));
    }

    @Test
    void shutdownOfANonEmptyQueueFailsThePutsAndLetsTheItemsBeTaken() {
        run(QueueContract.shutdownOfANonEmptyQueue(new PriorityQueue<>(1)));
    }

    @Test
    void anImmediateShutdownDropsTheItemsAndReleasesJoin() {
        run(QueueContract.immediateShutdown(new PriorityQueue<>()));
    }

    @Test
    void anImmediateShutdownCountsOnlyTheDroppedItemsAsDone() {
        run(QueueContract.immediateShutdownWithUnfinished(new PriorityQueue<>()));
    }

    @Test
    void aComparatorSetsTheOrder() {
        PriorityQueue<String> q = new PriorityQueue<>(java.util.Comparator.reverseOrder());
        q.putNowait("a");
        q.putNowait("c");
        q.putNowait("b");
        assertEquals("c", q.getNowait());
        assertEquals("b", q.getNowait());
        assertEquals("a", q.getNowait());
    }

    @Test
    void itemsWithoutANaturalOrderAreRefused() {
        PriorityQueue<Object> q = new PriorityQueue<>();
        assertThrows(ClassCastException.class, () -> q.putNowait(new Object()));
        assertTrue(q.empty());
    }

    @Test
    void toStringNamesThePriorityQueue() {
        assertEquals("PriorityQueue[maxsize=3]", new PriorityQueue<Integer>(3).toString());
    }
}
