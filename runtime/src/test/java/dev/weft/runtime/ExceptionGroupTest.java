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

    @Test
    void printingShowsTheGroupThenEachMemberNumberedAndIndentedNestedGroupsIncluded() {
        IllegalStateException first = new IllegalStateException("first");
        ExceptionGroup nested = new ExceptionGroup("nested", List.of(new IllegalArgumentException("deep")));
        ExceptionGroup group = new ExceptionGroup("unhandled errors in a TaskGroup", List.of(first, nested),
                new CancelledError("why"));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        group.printStackTrace(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertEquals("dev.weft.runtime.ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)", lines.get(0));
        int cause = lines.indexOf("Caused by: dev.weft.runtime.CancelledError: why");
        int one = lines.indexOf("  Sub-exception 1 of 2:");
        int two = lines.indexOf("  Sub-exception 2 of 2:");
        assertTrue(cause > 0 && one > cause && two > one, () -> String.join("\n", lines));
        assertEquals("    java.lang.IllegalStateException: first", lines.get(one + 1));
        assertTrue(lines.get(one + 2).startsWith("    \tat "), lines.get(one + 2));
        assertEquals("    dev.weft.runtime.ExceptionGroup: nested (1 sub-exception)", lines.get(two + 1));
        assertTrue(lines.contains("      Sub-exception 1 of 1:"), () -> String.join("\n", lines));
        assertTrue(lines.contains("        java.lang.IllegalArgumentException: deep"), () -> String.join("\n", lines));
        java.io.StringWriter text = new java.io.StringWriter();
        group.printStackTrace(new java.io.PrintWriter(text));
        assertEquals(bytes.toString(java.nio.charset.StandardCharsets.UTF_8), text.toString());
    }
}
