package dev.weft.runtime.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BrokenBarrierErrorTest {
    @Test
    void isAnIllegalStateExceptionAsPythonsIsARuntimeError() {
        IllegalStateException e = new BrokenBarrierError("Barrier aborted");
        assertEquals("Barrier aborted", e.getMessage());
    }
}
