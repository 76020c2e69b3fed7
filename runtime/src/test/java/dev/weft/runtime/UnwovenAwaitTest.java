package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What {@link Aio#await} does where the weaver never ran: the one test class of the runtime that the
 * build leaves unwoven on purpose ({@code weave-test} excludes {@code **}{@code /Unwoven*}), since the
 * weaver refuses an await outside an {@code @Async} method.
 */
class UnwovenAwaitTest {
    @Test
    void awaitReachedInAClassThatWasNotWovenNamesTheMethodAndTheFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.await(Aio.done()));
        assertTrue(e.getMessage().contains("UnwovenAwaitTest.lambda$awaitReachedInAClassThatWasNotWovenNamesTheMethodAndTheFix"),
                e.getMessage());
        assertTrue(e.getMessage().contains("UnwovenAwaitTest.java:"), e.getMessage());
        assertTrue(e.getMessage().contains("weft-maven-plugin"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> Aio.await(new java.util.concurrent.CompletableFuture<String>()));
        assertTrue(s.getMessage().contains("was not woven"), s.getMessage());
    }
}
