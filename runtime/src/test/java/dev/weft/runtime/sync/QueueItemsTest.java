package dev.weft.runtime.sync;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Clock;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Queue.items(): draining a queue with async for until it is shut down. */
class QueueItemsTest {
    @Test
    void itemsComeAsTheyArePutAndTheIterationEndsAtShutdown() {
        assertEquals(List.of("a@0.0", "b@1.0", "c@1.0", "end@2.0"), Aio.run(drain(), Clock.virtual()));
    }

    @Async
    static Coroutine<List<String>> drain() {
        Queue<String> q = new Queue<>();
        Task<Void> producer = createTask(produce(q));
        List<String> got = new ArrayList<>();
        for (AsyncIterator<String> it = q.items(); await(it.hasNext()); ) {
            got.add(it.next() + "@" + Aio.getRunningLoop().time());
            q.taskDone();
        }
        got.add("end@" + Aio.getRunningLoop().time());
        await(producer);
        await(q.join());
        return result(got);
    }

    @Async
    static Coroutine<Void> produce(Queue<String> q) {
        await(q.put("a"));
        await(sleep(1));
        await(q.put("b"));
        await(q.put("c"));
        await(sleep(1));
        q.shutdown();
        return done();
    }

    @Test
    void nextWithoutAnItemReadyThrowsAndAClosedIteratorEnds() {
        assertEquals(1, (int) Aio.run(closed(), Clock.virtual()));
    }

    @Async
    static Coroutine<Integer> closed() {
        Queue<Integer> q = new Queue<>();
        AsyncIterator<Integer> it = q.items();
        assertThrows(NoSuchElementException.class, it::next);
        q.putNowait(1);
        q.putNowait(2);
        await(it.hasNext());
        int first = it.next();
        it.close();
        assertFalse(await(it.hasNext()));
        assertEquals(1, q.qsize(), "closing the iterator leaves the queue as it is");
        return result(first);
    }
}
