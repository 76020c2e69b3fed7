package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeaveReportTest {
    private static final Diagnostic WARNING = new Diagnostic(Diagnostic.Kind.WARNING, "A.java", 3, "A", "m", "w");
    private static final Diagnostic ERROR = new Diagnostic(Diagnostic.Kind.ERROR, "A.java", 4, "A", "m", "e");

    @Test
    void theSummaryLineCountsMethodsClassesAndFindings() {
        WeaveReport report = new WeaveReport(12, 5, 40, 2, List.of(WARNING), List.of(Path.of("A.class")));
        assertEquals("woven 12 methods in 5 classes (40 unchanged, 2 skipped), 1 warning", report.summary());
        assertFalse(report.hasErrors());
        assertEquals(List.of(Path.of("A.class")), report.writtenFiles());
    }

    @Test
    void oneErrorMakesTheReportFailed() {
        WeaveReport report = new WeaveReport(0, 0, 1, 0, List.of(WARNING, ERROR), List.of());
        assertTrue(report.hasErrors());
        assertEquals("woven 0 methods in 0 classes (1 unchanged, 0 skipped), 1 error, 1 warning", report.summary());
    }

    @Test
    void singularCountsReadAsSingular() {
        assertEquals("woven 1 method in 1 class (0 unchanged, 0 skipped)",
                new WeaveReport(1, 1, 0, 0, List.of(), List.of()).summary());
    }
}
