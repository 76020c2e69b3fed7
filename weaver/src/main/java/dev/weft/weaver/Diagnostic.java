package dev.weft.weaver;

import java.util.Objects;

/**
 * One finding of the weaver about a user's class: an error (the class cannot be woven and the
 * build must fail) or a warning (the class is woven, but the code is probably wrong).
 *
 * <p>Example of {@link #format()}:
 * <pre>{@code
 * Fetch.java:12: error: Fetch.fetchData: await inside a synchronized block: a monitor cannot be held across a suspension; move the await out of the block
 * }</pre>
 *
 * @param kind       error or warning
 * @param sourceFile the source file name as the class file records it ({@code Fetch.java}), or the
 *                   class's simple name followed by {@code .java} when the class file does not say
 * @param line       the source line, or 0 when the class file carries no line numbers
 * @param className  the binary name of the class ({@code com.example.Fetch$Inner})
 * @param method     the method's source name, or null for a finding about the whole class
 * @param message    a sentence for the user: what is wrong and what to do instead
 */
public record Diagnostic(Kind kind, String sourceFile, int line, String className, String method, String message) {

    /** How serious a finding is. */
    public enum Kind {
        /** The class cannot be woven; the build fails and nothing is written. */
        ERROR,
        /** The class is woven, but the code is likely a mistake. */
        WARNING
    }

    /**
     * Checks that the required parts are present.
     *
     * @param kind       error or warning
     * @param sourceFile the source file name
     * @param line       the source line, 0 when unknown
     * @param className  the binary name of the class
     * @param method     the method name, or null
     * @param message    the sentence for the user
     */
    public Diagnostic {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sourceFile, "sourceFile");
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Renders the finding the way compilers do, so IDEs and CI logs link it to the source line.
     *
     * @return {@code File.java:line: error: Class.method: message} (the line is left out when unknown)
     */
    public String format() {
        StringBuilder text = new StringBuilder(sourceFile);
        if (line > 0) {
            text.append(':').append(line);
        }
        text.append(kind == Kind.ERROR ? ": error: " : ": warning: ");
        text.append(className);
        if (method != null) {
            text.append('.').append(method);
        }
        return text.append(": ").append(message).toString();
    }

    /**
     * Whether this finding is an error.
     *
     * @return true for {@link Kind#ERROR}
     */
    public boolean isError() {
        return kind == Kind.ERROR;
    }

    @Override
    public String toString() {
        return format();
    }
}
