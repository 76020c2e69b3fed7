package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class ExceptionContextTest {
    private final EventLoop loop = new EventLoop(Clock.virtual());

    @Test
    void aContextMadeUnderTheOldNestedNameReachesTheHandlerAsTheTopLevelType() {
        List<ExceptionContext> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add(context));
        RuntimeException boom = new RuntimeException("boom");
        loop.callExceptionHandler(new EventLoop.ExceptionContext("old name", boom, null, null, null));
        assertEquals(1, reported.size());
        assertInstanceOf(ExceptionContext.class, reported.get(0));
        assertEquals("old name", reported.get(0).message());
        assertSame(boom, reported.get(0).exception());
    }

    @Test
    void aHandlerTypedWithTheOldNameIsStillAccepted() {
        List<EventLoop.ExceptionContext> reported = new ArrayList<>();
        BiConsumer<EventLoop, EventLoop.ExceptionContext> oldHandler = (l, context) -> reported.add(context);
        loop.setExceptionHandler(oldHandler);
        ExceptionContext c = new ExceptionContext("new name", null, null, null, null);
        loop.callExceptionHandler(c);
        assertEquals(List.of(c), reported);
        assertSame(c, reported.get(0));
    }

    @Test
    void contextsWithTheSameValuesAreEqualWhicheverNameMadeThem() {
        RuntimeException boom = new RuntimeException("boom");
        ExceptionContext now = new ExceptionContext("m", boom, null, null, null);
        EventLoop.ExceptionContext old = new EventLoop.ExceptionContext("m", boom, null, null, null);
        assertEquals(now, old);
        assertEquals(old, now);
        assertEquals(now.hashCode(), old.hashCode());
        assertNotEquals(now, new ExceptionContext("other", boom, null, null, null));
        assertEquals("ExceptionContext[message=m, exception=java.lang.RuntimeException: boom, task=null, handle=null, "
                + "future=null]", now.toString());
    }
}
