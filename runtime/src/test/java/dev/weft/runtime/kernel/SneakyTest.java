package dev.weft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class SneakyTest {
    @Test
    void raiseThrowsACheckedExceptionUnwrapped() {
        IOException failure = new IOException("disk");
        IOException thrown = assertThrows(IOException.class, () -> {
            throw Sneaky.raise(failure);
        });
        assertSame(failure, thrown);
    }
}
