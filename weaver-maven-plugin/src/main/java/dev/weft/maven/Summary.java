package dev.weft.maven;

/**
 * The one line a goal prints at info level, e.g.
 * {@code woven 12 methods in 5 classes, 3 unchanged skipped}.
 */
final class Summary {
    private Summary() {
    }

    /**
     * Renders the line.
     *
     * @param wovenMethods     {@code @Async} methods woven in this run
     * @param wovenClasses     class files rewritten in this run (generated classes not counted)
     * @param unchangedSkipped class files not read because they are as the last weave left them
     * @return the line
     */
    static String line(int wovenMethods, int wovenClasses, int unchangedSkipped) {
        return "woven " + count(wovenMethods, "method") + " in " + count(wovenClasses, "class")
                + ", " + unchangedSkipped + " unchanged skipped";
    }

    private static String count(int n, String noun) {
        if (n == 1) {
            return "1 " + noun;
        }
        return n + " " + noun + (noun.endsWith("s") ? "es" : "s");
    }
}
