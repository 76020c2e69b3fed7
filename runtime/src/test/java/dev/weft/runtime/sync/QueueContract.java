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

/**
 * The join and shutdown cases that CPython runs on each of its three queues
 * ({@code _QueueJoinTestMixin}, {@code _QueueShutdownTestMixin}); {@link QueueTest},
 * {@link LifoQueueTest} and {@link PriorityQueueTest} call them with their own queue.
 */
final class QueueContract {
    private QueueContract() {
    }

    static void taskDoneUnderflowThrows(Queue<Integer> q) {
        IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
        assertEquals("taskDone() called too many times", e.getMessage());
    }

    private static final class Sum {
        int total;
        boolean running = true;
    }

    @Async
    static Coroutine<Void> worker(Queue<Integer> q, Sum sum) {
        while (sum.running) {
            int item = await(q.get());
            sum.total += item;
            q.taskDone();
        }
        return done();
    }

    @Async
    static Coroutine<Void> joinReturnsOnceEveryItemIsDone(Queue<Integer> q) {
        for (int i = 0; i < 100; i++) {
            q.putNowait(i);
        }
        Sum sum = new Sum();
        List<Task<Void>> workers = List.of(createTask(worker(q, sum)), createTask(worker(q, sum)));
        await(q.join());
        assertEquals(4950, sum.total);
        sum.running = false;
        for (int i = 0; i < workers.size(); i++) {
            q.putNowait(0);
        }
        await(gather(workers));
        return done();
    }

    @Async
    static Coroutine<Void> joinOfAnEmptyQueueReturnsAtOnce(Queue<Integer> q) {
        await(q.join());
        await(q.join());
        assertEquals(0.0, getRunningLoop().time());
        return done();
    }

    @Async
    static Coroutine<Void> assertPutsAndGetsFail(Queue<String> q) {
        try {
            await(q.put("data"));
            fail("put on a shut-down queue");
        } catch (QueueShutDown expected) {
            // as CPython
        }
        assertThrows(QueueShutDown.class, () -> q.putNowait("data"));
        try {
            await(q.get());
            fail("get on a shut-down, empty queue");
        } catch (QueueShutDown expected) {
            // as CPython
        }
        assertThrows(QueueShutDown.class, q::getNowait);
        return done();
    }

    @Async
    static Coroutine<Void> shutdownOfAnEmptyQueue(Queue<String> q) {
        Task<String> getTask = createTask(q.get());
        await(sleep(0));
        q.shutdown(false);
        assertEquals(0, q.qsize());
        await(q.join());
        await(sleep(0));
        assertTrue(getTask.isDone());
        try {
            await(getTask);
            fail("the waiting get was not shut down");
        } catch (QueueShutDown expected) {
            // as CPython
        }
        await(assertPutsAndGetsFail(q));
        return done();
    }

    @Async
    static Coroutine<Void> shutdownOfANonEmptyQueue(Queue<String> q) {
        q.putNowait("data");
        Task<Void> joinTask = createTask(q.join());
        Task<Void> putTask = createTask(q.put("data2"));
        await(sleep(0));
        assertFalse(putTask.isDone());

        q.shutdown(false);
        assertEquals(1, q.qsize());
        await(sleep(0));
        assertTrue(putTask.isDone());
        try {
            await(putTask);
            fail("the waiting put was not shut down");
        } catch (QueueShutDown expected) {
            // as CPython
        }
        assertEquals("data", await(q.get()));
        await(sleep(0));
        assertFalse(joinTask.isDone());
        await(assertPutsAndGetsFail(q));

        q.taskDone();
        await(sleep(0));
        assertTrue(joinTask.isDone());
        await(joinTask);
        assertThrows(IllegalStateException.class, q::taskDone);
        return done();
    }

    @Async
    static Coroutine<Void> immediateShutdown(Queue<String> q) {
        q.putNowait("data");
        Task<Void> joinTask = createTask(q.join());
        q.shutdown(true);
        assertEquals(0, q.qsize());
        await(sleep(0));
        assertTrue(joinTask.isDone());
        await(joinTask);
        await(assertPutsAndGetsFail(q));
        assertThrows(IllegalStateException.class, q::taskDone);
        return done();
    }

    @Async
    static Coroutine<Void> immediateShutdownWithUnfinished(Queue<String> q) {
        q.putNowait("data");
        q.putNowait("data");
        Task<Void> joinTask = createTask(q.join());
        assertEquals("data", await(q.get()));
        q.shutdown(true);
        assertEquals(0, q.qsize());
        await(sleep(0));
        assertFalse(joinTask.isDone());
        await(assertPutsAndGetsFail(q));

        q.taskDone();
        assertThrows(IllegalStateException.class, q::taskDone);
        await(sleep(0));
        assertTrue(joinTask.isDone());
        await(joinTask);
        return done();
    }
}
