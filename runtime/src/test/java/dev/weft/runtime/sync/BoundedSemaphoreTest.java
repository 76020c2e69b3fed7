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

/** CPython's BoundedSemaphore test, and the bound under the hold form. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BoundedSemaphoreTest {
    private static void run(Coroutine<?> main) {
        Aio.run(main, Clock.virtual());
    }

    @Test
    void releasingAboveTheStartValueThrowsIllegalStateException() {
        BoundedSemaphore sem = new BoundedSemaphore(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
        assertTrue(e.getMessage().contains("released too many times"), e.getMessage());
        assertEquals(1, sem.value, "a refused release changes nothing");
    }

    @Test
    void acquireAndReleaseWithinTheBoundWork() {
        run(acquireAndReleaseWithinTheBoundWork(new BoundedSemaphore(2)));
    }

    @Async
    Coroutine<Void> acquireAndReleaseWithinTheBoundWork(BoundedSemaphore sem) {
        await(sem.acquire());
        await(sem.acquire());
        assertTrue(sem.locked());
        sem.release();
        sem.release();
        assertFalse(sem.locked());
        assertThrows(IllegalStateException.class, sem::release);
        return done();
    }

    @Test
    void holdReleasesOnceWhenTheBodyThrows() {
        run(holdReleasesOnceWhenTheBodyThrows(new BoundedSemaphore(1)));
    }

    @Async
    Coroutine<Void> holdReleasesOnceWhenTheBodyThrows(BoundedSemaphore sem) {
        Held kept = null;
        try (Held held = await(sem.hold())) {
            kept = held;
            throw new IllegalArgumentException("the body fails");
        } catch (IllegalArgumentException e) {
            assertFalse(sem.locked());
        }
        kept.close();
        assertEquals(1, sem.value, "closing the handle again does not release above the bound");
        return done();
    }

    @Test
    void toStringNamesTheBoundedSemaphore() {
        assertEquals("BoundedSemaphore[unlocked, value:3]", new BoundedSemaphore(3).toString());
    }
}
