package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TimeoutErrorTest {
    @Test
    void aTimeoutErrorIsUncheckedAndCarriesItsMessage() {
        RuntimeException e = new TimeoutError("too slow");
        assertEquals("too slow", e.getMessage());
        assertNull(new TimeoutError().getMessage());
    }
}
