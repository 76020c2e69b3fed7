package dev.weft.runtime.sync;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class RaiseTest {
    @Test
    void sneakyThrowsACheckedExceptionUnwrapped() {
        IOException failure = new IOException("disk");
        IOException thrown = assertThrows(IOException.class, () -> {
            throw Raise.sneaky(failure);
        });
        assertSame(failure, thrown);
    }
}
