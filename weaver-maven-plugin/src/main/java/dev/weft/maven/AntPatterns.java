package dev.weft.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Include and exclude patterns in Ant's syntax, matched against class file paths relative to the
 * classes directory ({@code com/example/Fetch.class}), as Maven's own resource and compiler
 * plugins match them: {@code *} stays inside one directory, {@code **} spans any number of
 * directories (none included), {@code ?} is one character, and a pattern ending in {@code /}
 * means everything below that directory.
 */
final class AntPatterns {
    /** What a goal weaves when the user names no includes. */
    static final List<String> DEFAULT_INCLUDES = List.of("**/*.class");

    private final List<Pattern> includes;
    private final List<Pattern> excludes;

    private AntPatterns(List<Pattern> includes, List<Pattern> excludes) {
        this.includes = includes;
        this.excludes = excludes;
    }

    /**
     * Compiles the patterns.
     *
     * @param includes patterns a path must match one of; null, empty or blank for {@link #DEFAULT_INCLUDES}
     * @param excludes patterns a path must match none of; null for none
     * @return the matcher
     */
    static AntPatterns of(List<String> includes, List<String> excludes) {
        List<Pattern> included = compile(includes == null ? List.of() : includes);
        return new AntPatterns(included.isEmpty() ? compile(DEFAULT_INCLUDES) : included,
                compile(excludes == null ? List.of() : excludes));
    }

    /**
     * Whether a class file is selected.
     *
     * @param relativePath the path below the classes directory, with {@code /} or the platform's separator
     * @return true when an include matches and no exclude does
     */
    boolean matches(String relativePath) {
        String path = relativePath.replace('\\', '/');
        return includes.stream().anyMatch(p -> p.matcher(path).matches())
                && excludes.stream().noneMatch(p -> p.matcher(path).matches());
    }

    private static List<Pattern> compile(List<String> patterns) {
        List<Pattern> compiled = new ArrayList<>();
        for (String pattern : patterns) {
            String trimmed = pattern.trim();
            if (!trimmed.isEmpty()) {
                compiled.add(toRegex(trimmed));
            }
        }
        return compiled;
    }

    /**
     * Translates one Ant pattern to a regular expression.
     *
     * @param antPattern the pattern
     * @return the regular expression matching exactly the paths the pattern selects
     */
    static Pattern toRegex(String antPattern) {
        String pattern = antPattern.replace('\\', '/');
        while (pattern.startsWith("/")) {
            pattern = pattern.substring(1);
        }
        if (pattern.endsWith("/")) {
            pattern += "**";
        }
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (pattern.startsWith("**/", i)) {
                regex.append("(?:.*/)?");
                i += 3;
            } else if (pattern.startsWith("/**", i) && i + 3 == pattern.length()) {
                regex.append("(?:/.*)?");
                i += 3;
            } else if (pattern.startsWith("**", i)) {
                regex.append(".*");
                i += 2;
            } else if (c == '*') {
                regex.append("[^/]*");
                i++;
            } else if (c == '?') {
                regex.append("[^/]");
                i++;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return Pattern.compile(regex.toString());
    }
}
