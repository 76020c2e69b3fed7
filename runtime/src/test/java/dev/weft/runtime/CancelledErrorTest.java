package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CancelledErrorTest {
    @Test
    void catchExceptionCannotSwallowACancellation() {
        assertThrows(CancelledError.class, () -> {
            try {
                throw new CancelledError("stop");
            } catch (Exception e) {
                throw new AssertionError("swallowed", e);
            }
        });
    }

    @Test
    void theMessageIsTheCancelMessage() {
        assertEquals("why", new CancelledError("why").getMessage());
        assertNull(new CancelledError().getMessage());
    }
}
