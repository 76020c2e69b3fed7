package dev.weft.runtime.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class QueueFullTest {
    @Test
    void isAnUncheckedExceptionWithAMessage() {
        RuntimeException e = new QueueFull();
        assertEquals("the queue is full", e.getMessage());
        assertEquals("why", new QueueFull("why").getMessage());
    }
}
