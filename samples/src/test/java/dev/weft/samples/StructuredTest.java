package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.runtime.Aio;
import dev.weft.runtime.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructuredTest {
    @Test
    void leavingTheBlockWaitsForEveryChild() throws Exception {
        List<String> lines = SampleOutput.linesOf(() -> Aio.run(Structured.allSucceed(), Clock.virtual()));
        assertEquals(List.of(
                "users: done at 1.0",
                "orders: done at 2.0",
                "both done at 2.0: users data, orders data"), lines);
    }

    @Test
    void aFailingChildCancelsItsSiblingsAndTheBlockThrowsTheGroup() throws Exception {
        List<String> lines = SampleOutput.linesOf(() -> Aio.run(Structured.oneFails(), Clock.virtual()));
        assertEquals(List.of(
                "users: done at 1.0",
                "flaky: fails at 2.0",
                "reports: cancelled at 2.0",
                "the group failed at 2.0: flaky is down"), lines);
    }
}
