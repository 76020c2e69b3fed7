package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DiagnosticTest {

    @Test
    void anErrorIsFormattedAsCompilersFormatThem() {
        Diagnostic error = new Diagnostic(Diagnostic.Kind.ERROR, "Fetch.java", 12, "Fetch", "fetchData",
                "await inside a synchronized block: a monitor cannot be held across a suspension; move the await out of the block");
        assertEquals("Fetch.java:12: error: Fetch.fetchData: await inside a synchronized block: a monitor cannot be "
                + "held across a suspension; move the await out of the block", error.format());
        assertTrue(error.isError());
    }

    @Test
    void aWarningWithoutALineOrMethodLeavesThemOut() {
        Diagnostic warning = new Diagnostic(Diagnostic.Kind.WARNING, "lib.jar", 0, "com.example.Fetch", null, "signed");
        assertEquals("lib.jar: warning: com.example.Fetch: signed", warning.format());
        assertFalse(warning.isError());
        assertEquals(warning.format(), warning.toString());
    }

    @Test
    void aDiagnosticWithoutAMessageIsRejected() {
        assertThrows(NullPointerException.class,
                () -> new Diagnostic(Diagnostic.Kind.ERROR, "A.java", 1, "A", "m", null));
    }
}
