package dev.weft.runtime.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class QueueEmptyTest {
    @Test
    void isAnUncheckedExceptionWithAMessage() {
        RuntimeException e = new QueueEmpty();
        assertEquals("the queue is empty", e.getMessage());
        assertEquals("why", new QueueEmpty("why").getMessage());
    }
}
