package dev.weft.runtime.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class QueueShutDownTest {
    @Test
    void isAUncheckedExceptionWithAMessage() {
        RuntimeException e = new QueueShutDown();
        assertEquals("the queue is shut down", e.getMessage());
        assertEquals("why", new QueueShutDown("why").getMessage());
    }
}
