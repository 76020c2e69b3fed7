package dev.weft.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AntPatternsTest {

    @Test
    void everyClassFileIsSelectedWhenNoIncludesAreGiven() {
        AntPatterns patterns = AntPatterns.of(null, null);
        assertTrue(patterns.matches("Top.class"));
        assertTrue(patterns.matches("com/example/deep/Fetch$1.class"));
        assertFalse(patterns.matches("com/example/notes.txt"));
    }

    @Test
    void singleStarStaysInsideOneDirectory() {
        AntPatterns patterns = AntPatterns.of(List.of("com/example/*.class"), null);
        assertTrue(patterns.matches("com/example/Fetch.class"));
        assertFalse(patterns.matches("com/example/sub/Fetch.class"));
        assertFalse(patterns.matches("org/example/Fetch.class"));
    }

    @Test
    void doubleStarSpansZeroOrMoreDirectories() {
        AntPatterns patterns = AntPatterns.of(List.of("com/**/Fetch.class"), null);
        assertTrue(patterns.matches("com/Fetch.class"));
        assertTrue(patterns.matches("com/a/b/c/Fetch.class"));
        assertFalse(patterns.matches("com/a/Fetcher.class"));
    }

    @Test
    void questionMarkIsExactlyOneCharacterButNeverASlash() {
        AntPatterns patterns = AntPatterns.of(List.of("a/Fetch?.class"), null);
        assertTrue(patterns.matches("a/Fetch1.class"));
        assertFalse(patterns.matches("a/Fetch12.class"));
        assertFalse(patterns.matches("a/Fetch/.class"));
    }

    @Test
    void patternEndingInSlashSelectsEverythingBelowTheDirectory() {
        AntPatterns patterns = AntPatterns.of(List.of("com/example/"), null);
        assertTrue(patterns.matches("com/example/Fetch.class"));
        assertTrue(patterns.matches("com/example/x/y/Z.class"));
        assertFalse(patterns.matches("com/other/Fetch.class"));
    }

    @Test
    void excludeWinsOverInclude() {
        AntPatterns patterns = AntPatterns.of(List.of("**/*.class"), List.of("**/generated/**", "**/*Test.class"));
        assertTrue(patterns.matches("com/example/Fetch.class"));
        assertFalse(patterns.matches("com/example/generated/Stub.class"));
        assertFalse(patterns.matches("com/example/FetchTest.class"));
    }

    @Test
    void regexCharactersInPatternsAreTakenLiterally() {
        AntPatterns patterns = AntPatterns.of(List.of("com/example/Outer$Inner.class"), null);
        assertTrue(patterns.matches("com/example/Outer$Inner.class"));
        assertFalse(patterns.matches("com/example/OuterXInner.class"));
    }

    @Test
    void windowsSeparatorsAndLeadingSlashesAreNormalized() {
        AntPatterns patterns = AntPatterns.of(List.of("/com\\example\\**"), null);
        assertTrue(patterns.matches("com\\example\\Fetch.class"));
        assertTrue(patterns.matches("com/example/Fetch.class"));
    }

    @Test
    void blankPatternsFromAnEmptyPropertyMeanTheDefaults() {
        AntPatterns patterns = AntPatterns.of(List.of(" "), List.of(""));
        assertTrue(patterns.matches("com/example/Fetch.class"));
        assertFalse(patterns.matches("com/example/Fetch.java"));
    }
}
