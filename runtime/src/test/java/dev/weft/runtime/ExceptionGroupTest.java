package dev.weft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExceptionGroupTest {
    @Test
    void theMessageCountsTheMembersAndTheListIsACopy() {
        List<Throwable> members = new ArrayList<>(List.of(new IllegalStateException("a"), new RuntimeException("b")));
        ExceptionGroup group = new ExceptionGroup("unhandled errors in a TaskGroup", members);
        members.clear();
        assertEquals("unhandled errors in a TaskGroup (2 sub-exceptions)", group.getMessage());
        assertEquals(2, group.exceptions().size());
        assertThrows(UnsupportedOperationException.class, () -> group.exceptions().add(new Error()));
        assertEquals("one (1 sub-exception)", new ExceptionGroup("one", List.of(new Error())).getMessage());
    }

    @Test
    void anEmptyGroupIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ExceptionGroup("x", List.of()));
        assertEquals("an ExceptionGroup needs at least one exception", e.getMessage());
    }

    @Test
    void holdsFindsAMemberTheCauseAndMembersOfNestedGroupsAndTheirCauses() {
        RuntimeException direct = new RuntimeException("direct");
        CancelledError cause = new CancelledError("by the group");
        RuntimeException deep = new RuntimeException("deep");
        RuntimeException deepCause = new RuntimeException("deep cause");
        RuntimeException wrapped = new RuntimeException("wrapper", deepCause);
        ExceptionGroup inner = new ExceptionGroup("inner", List.of(deep, wrapped));
        ExceptionGroup outer = new ExceptionGroup("outer", List.of(direct, inner), cause);
        assertSame(cause, outer.getCause());
        assertTrue(outer.holds(outer));
        assertTrue(outer.holds(direct));
        assertTrue(outer.holds(cause));
        assertTrue(outer.holds(deep));
        assertTrue(outer.holds(deepCause));
        assertFalse(outer.holds(new RuntimeException("elsewhere")));
        assertFalse(inner.holds(direct));
    }
}
