package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.runtime.Aio;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentTest {

    @Test
    void classesWovenAtLoadTimeRunOnTheLoop() {
        assertEquals(List.of("Data from 1", "Data from 2", "Data from 3"), Aio.run(Fetch.fetchAll()));
    }

    @Test
    void misusedClassIsLeftUnwovenAndItsAwaitNamesTheMethod() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Locked().update(null));
        assertTrue(e.getMessage().contains("demo.Locked.update"), e.getMessage());
    }
}
