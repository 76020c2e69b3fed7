package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.weft.Async;
import dev.weft.runtime.kernel.Sneaky;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link AsyncWith}, driven as javac's try-with-resources handler drives it: the close awaited inside
 * a {@code catch (Throwable)} that suppresses its failure in the body's, then the body's failure thrown
 * through {@link AsyncWith#rethrow}.
 */
class AsyncWithTest {
    private final List<String> log = new ArrayList<>();
    private final IllegalStateException thrown = new IllegalStateException("body");

    /** A resource whose exceptional close fails with what {@code closing} makes of the body's failure. */
    private final class Resource implements AsyncCloseable {
        final String name;
        final Function<Throwable, Throwable> closing;

        Resource(String name, Function<Throwable, Throwable> closing) {
            this.name = name;
            this.closing = closing;
        }

        @Override
        public Awaitable<Void> aclose() {
            return aclose(null);
        }

        @Override
        public Awaitable<Void> aclose(Throwable failure) {
            return slowClose(this, failure);
        }

        @Override
        public void close() {
            throw new AssertionError("not woven");
        }
    }

    @Async
    Coroutine<Void> slowClose(Resource r, Throwable failure) {
        await(sleep(1));
        log.add(r.name + " closed after " + (failure == null ? null : failure.getMessage()));
        Throwable failed = r.closing.apply(failure);
        if (failed != null) {
            throw Sneaky.raise(failed);
        }
        return Aio.done();
    }

    /** javac's handler for one resource: close, suppress what the close threw, throw the body's failure. */
    @Async
    Coroutine<Throwable> exit(Throwable body, Resource... resources) {
        for (Resource r : resources) {
            try {
                await(AsyncWith.closeAfter(r, body));
            } catch (Throwable closing) {
                body.addSuppressed(closing);
            }
        }
        return result(AsyncWith.rethrow(body));
    }

    private Throwable run(Coroutine<Throwable> main) {
        return Aio.run(main, Clock.virtual());
    }

    @Test
    void aCloseThatSucceedsLeavesTheBodysFailureToBeThrown() {
        assertSame(thrown, run(exit(thrown, new Resource("r", f -> null))));
        assertEquals(List.of("r closed after body"), log);
    }

    @Test
    void aCloseThatFailsWithAnErrorOfItsOwnIsSuppressedInTheBodysFailure() {
        IllegalArgumentException own = new IllegalArgumentException("own");
        assertSame(thrown, run(exit(thrown, new Resource("r", f -> own))));
        assertArrayEquals(new Throwable[] {own}, thrown.getSuppressed());
    }

    @Test
    void aCloseThatFailsWithAGroupHoldingTheBodysFailureIsThrownInstead() {
        ExceptionGroup group = new ExceptionGroup("closing", List.of(new RuntimeException("child")), thrown);
        assertSame(group, run(exit(thrown, new Resource("r", f -> group))));
        assertEquals(0, thrown.getSuppressed().length);
    }

    @Test
    void aCloseThatRethrowsTheBodysFailureItselfCompletesWithoutSuppressingItInItself() {
        assertSame(thrown, run(exit(thrown, new Resource("r", f -> f))));
        assertEquals(0, thrown.getSuppressed().length);
    }

    @Test
    void aLaterCloseOfTheSameBlockGetsTheReplacementAndItsOwnErrorIsSuppressedThere() {
        RuntimeException replacement = new RuntimeException("replacement", thrown);
        IllegalArgumentException own = new IllegalArgumentException("own");
        Throwable result = run(exit(thrown, new Resource("b", f -> replacement), new Resource("a", f -> own)));
        assertSame(replacement, result);
        assertEquals(List.of("b closed after body", "a closed after replacement"), log);
        assertArrayEquals(new Throwable[] {own}, replacement.getSuppressed());
        assertEquals(0, thrown.getSuppressed().length);
    }

    @Test
    void theReplacementIsThrownOnceThenTheFailureIsItselfAgain() {
        RuntimeException replacement = new RuntimeException("replacement", thrown);
        assertSame(replacement, run(exit(thrown, new Resource("r", f -> replacement))));
        assertSame(thrown, Aio.run(rethrowLater(thrown), Clock.virtual()));
    }

    @Async
    static Coroutine<Throwable> rethrowLater(Throwable body) {
        return result(AsyncWith.rethrow(body));
    }

    @Async
    Coroutine<List<Throwable>> twoTasksClosingAfterTheSameFailure() {
        RuntimeException replacement = new RuntimeException("replacement", thrown);
        // The superseding task still closes its second resource when the other throws.
        Task<Throwable> superseding = Aio.createTask(exit(thrown, new Resource("s1", f -> replacement),
                new Resource("s2", f -> null)));
        Task<Throwable> plain = Aio.createTask(exit(thrown, new Resource("p", f -> null)));
        return result(List.of(await(superseding), await(plain)));
    }

    @Test
    void aReplacementBelongsToTheTaskWhoseCloseMadeIt() {
        List<Throwable> results = Aio.run(twoTasksClosingAfterTheSameFailure(), Clock.virtual());
        assertEquals("replacement", results.get(0).getMessage());
        assertSame(thrown, results.get(1));
        assertEquals(List.of("s1 closed after body", "p closed after body", "s2 closed after replacement"), log);
    }
}
