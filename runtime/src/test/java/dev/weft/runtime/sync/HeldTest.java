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

@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@SuppressWarnings("try") // The resource of an async-with block is the held permit or scope itself; the body never names it.
class HeldTest {
    private int releases;
    private final Releasable counting = () -> releases++;

    @Test
    void closeReleasesExactlyOnce() {
        Held held = new Held(counting);
        assertFalse(held.isClosed());
        held.close();
        held.close();
        assertTrue(held.isClosed());
        assertEquals(1, releases);
    }

    @Test
    void aCloseThatFailsLeavesTheHandleOpenToCloseAgain() {
        boolean[] fail = {true};
        Held held = new Held(() -> {
            if (fail[0]) {
                throw new IllegalStateException("wrong thread");
            }
            releases++;
        });
        assertThrows(IllegalStateException.class, held::close);
        assertFalse(held.isClosed());
        fail[0] = false;
        held.close();
        assertEquals(1, releases);
    }

    @Test
    void aTryWithResourcesBlockReleasesOnEveryPath() {
        Aio.run(aTryWithResourcesBlockReleasesOnEveryPath(new Lock()), Clock.virtual());
    }

    @Async
    Coroutine<Void> aTryWithResourcesBlockReleasesOnEveryPath(Lock lock) {
        for (int i = 0; i < 3; i++) {
            try (Held held = await(lock.hold())) {
                assertTrue(lock.locked());
                if (i == 1) {
                    continue;
                }
                if (i == 2) {
                    throw new IllegalArgumentException("out");
                }
            } catch (IllegalArgumentException expected) {
                assertFalse(lock.locked());
            }
            assertFalse(lock.locked());
        }
        return done();
    }

    @Test
    void toStringNamesWhatIsHeld() {
        Aio.run(toStringNamesWhatIsHeld(new Lock()), Clock.virtual());
    }

    @Async
    Coroutine<Void> toStringNamesWhatIsHeld(Lock lock) {
        Held held = await(lock.hold());
        assertEquals("Held[Lock[locked]]", held.toString());
        held.close();
        assertEquals("Held[released]", held.toString());
        return done();
    }
}
