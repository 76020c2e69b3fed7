package dev.weft.runtime.kernel;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Awaitable;
import dev.weft.runtime.Clock;
import dev.weft.runtime.Coroutine;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** PullIterator: one fetch per value, until a value or a failure that marks the end. */
class PullIteratorTest {
    /** Over a script: "" is the end, "shut" a failure that ends it, "io" one that fails it; the rest are values. */
    static final class Scripted extends PullIterator<String> {
        final ArrayDeque<String> script;
        int fetches;

        Scripted(String... script) {
            super("word");
            this.script = new ArrayDeque<>(Arrays.asList(script));
        }

        @Override
        protected Awaitable<String> fetch() throws IOException {
            fetches++;
            return take(script.poll());
        }

        @Override
        protected boolean endsAt(String value) {
            return value.isEmpty();
        }

        @Override
        protected boolean endsWith(Exception failure) {
            return failure instanceof IllegalStateException;
        }
    }

    static final IOException BROKEN = new IOException("broken");

    @Async
    static Coroutine<String> take(String next) throws IOException {
        await(sleep(1));
        if (next.equals("io")) {
            throw BROKEN;
        }
        if (next.equals("shut")) {
            throw new IllegalStateException("shut down");
        }
        return result(next);
    }

    @Async
    static Coroutine<List<String>> drain(AsyncIterator<String> it) {
        List<String> got = new ArrayList<>();
        while (await(it.hasNext())) {
            got.add(it.next());
        }
        return result(got);
    }

    @Test
    void valuesComeInOrderAndAValueThatMarksTheEndEndsTheIteration() {
        Scripted it = new Scripted("a", "b", "", "never");
        assertEquals(List.of("a", "b"), Aio.run(drain(it), Clock.virtual()));
        assertEquals(3, it.fetches);
    }

    @Test
    void aFailureThatMarksTheEndEndsTheIteration() {
        Scripted it = new Scripted("a", "shut", "never");
        assertEquals(List.of("a"), Aio.run(drain(it), Clock.virtual()));
        assertEquals(2, it.fetches);
    }

    @Test
    void anyOtherFailureIsThrownAsItIsACheckedOneToo() {
        IOException e = assertThrows(IOException.class, () -> Aio.run(drain(new Scripted("a", "io")), Clock.virtual()));
        assertSame(BROKEN, e);
    }

    @Test
    void hasNextAwaitedAgainBeforeNextSkipsNoValueAndFetchesOnce() {
        assertEquals("a, a, 1 fetch", Aio.run(twice(new Scripted("a", "b")), Clock.virtual()));
    }

    @Async
    static Coroutine<String> twice(Scripted it) {
        await(it.hasNext());
        await(it.hasNext());
        String first = it.next();
        return result(first + ", " + first + ", " + it.fetches + " fetch");
    }

    @Test
    void nextWithNoValueReadyFailsNamingWhatAValueIs() {
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> new Scripted("a").next());
        assertEquals("no word ready: await hasNext() first", e.getMessage());
    }

    @Test
    void closingEndsTheIterationWithoutAnotherFetchAndDropsAValueReady() {
        assertEquals("false after 1 fetch", Aio.run(closeEarly(new Scripted("a", "b")), Clock.virtual()));
    }

    @Async
    static Coroutine<String> closeEarly(Scripted it) {
        assertTrue(await(it.hasNext()));
        await(it.aclose());
        boolean more = await(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
        return result(more + " after " + it.fetches + " fetch");
    }
}
