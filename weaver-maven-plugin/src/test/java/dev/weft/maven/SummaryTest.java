package dev.weft.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void lineCountsMethodsClassesAndUnchangedFiles() {
        assertEquals("woven 12 methods in 5 classes, 3 unchanged skipped", Summary.line(12, 5, 3));
    }

    @Test
    void singularNounsForOne() {
        assertEquals("woven 1 method in 1 class, 0 unchanged skipped", Summary.line(1, 1, 0));
    }

    @Test
    void nothingWovenStillSaysHowManyWereSkipped() {
        assertEquals("woven 0 methods in 0 classes, 7 unchanged skipped", Summary.line(0, 0, 7));
    }
}
