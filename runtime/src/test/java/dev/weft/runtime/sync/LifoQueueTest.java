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

/** CPython's LifoQueueTests, with the join and shutdown cases every queue runs. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LifoQueueTest {
    private static void run(Coroutine<?> main) {
        Aio.run(main, Clock.virtual());
    }

    @Test
    void theItemPutLastComesOutFirst() {
        run(order(new LifoQueue<>()));
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
        assertEquals(List.of(2, 3, 1), items, "the item put last comes out first");
        return done();
    }

    @Test
    void aBoundedQueueMakesPutWait() {
        run(aBoundedQueueMakesPutWait(new LifoQueue<>(1)));
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
        QueueContract.taskDoneUnderflowThrows(new LifoQueue<>());
    }

    @Test
    void joinReturnsOnceEveryItemIsDone() {
        run(QueueContract.joinReturnsOnceEveryItemIsDone(new LifoQueue<>()));
    }

    @Test
    void joinOfAnEmptyQueueReturnsAtOnce() {
        run(QueueContract.joinOfAnEmptyQueueReturnsAtOnce(new LifoQueue<>()));
    }

    @Test
    void shutdownOfAnEmptyQueueFailsTheWaitingGetAndEveryLaterPutAndGet() {
        run(QueueContract.shutdownOfAnEmptyQueue(new LifoQueue<>()));
    }

    @Test
    void shutdownOfANonEmptyQueueFailsThePutsAndLetsTheItemsBeTaken() {
        run(QueueContract.shutdownOfANonEmptyQueue(new LifoQueue<>(1)));
    }

    @Test
    void anImmediateShutdownDropsTheItemsAndReleasesJoin() {
        run(QueueContract.immediateShutdown(new LifoQueue<>()));
    }

    @Test
    void anImmediateShutdownCountsOnlyTheDroppedItemsAsDone() {
        run(QueueContract.immediateShutdownWithUnfinished(new LifoQueue<>()));
    }

    @Test
    void toStringNamesTheLifoQueue() {
        assertEquals("LifoQueue[maxsize=0]", new LifoQueue<Integer>().toString());
    }
}
