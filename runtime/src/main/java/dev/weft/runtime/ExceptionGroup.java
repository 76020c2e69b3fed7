package dev.weft.runtime;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * Several failures thrown together, Python's {@code ExceptionGroup}: what a {@link TaskGroup} throws
 * when one or more of its children (or its body) failed.
 *
 * <p>Catch it and look at {@link #exceptions()}; each member keeps its own stack trace. When the
 * group was thrown in place of a {@link CancelledError} that the group itself caused in the body, that
 * error is the {@linkplain #getCause() cause}, not a member. {@link #printStackTrace(PrintStream)}
 * prints the group's own trace, then each member's, numbered and indented, as Python's traceback
 * prints a group's sub-exceptions.
 */
public class ExceptionGroup extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The members; an immutable copy. */
    @SuppressWarnings("serial")
    private final List<Throwable> exceptions;

    /**
     * A group of failures.
     *
     * @param message    what they are, as {@code "unhandled errors in a TaskGroup"}
     * @param exceptions the members, at least one, none null
     * @param cause      the failure this group stands in for, or null
     * @throws IllegalArgumentException when {@code exceptions} is empty
     */
    public ExceptionGroup(String message, List<? extends Throwable> exceptions, Throwable cause) {
        super(message + " (" + exceptions.size() + (exceptions.size() == 1 ? " sub-exception)" : " sub-exceptions)"),
                cause);
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("an ExceptionGroup needs at least one exception");
        }
        this.exceptions = List.copyOf(exceptions);
    }

    /**
     * A group of failures without a cause.
     *
     * @param message    what they are
     * @param exceptions the members, at least one, none null
     */
    public ExceptionGroup(String message, List<? extends Throwable> exceptions) {
        this(message, exceptions, null);
    }

    /**
     * The members, in the order they happened.
     *
     * @return an immutable list
     */
    public List<Throwable> exceptions() {
        return exceptions;
    }

    /**
     * Whether {@code failure} is this group itself, a member, or in the cause chain of either (members'
     * groups searched in turn): the test by which a close's failure supersedes the body's.
     *
     * @param failure the failure to look for
     * @return true when this group holds it
     */
    public boolean holds(Throwable failure) {
        return holds(this, failure, 0);
    }

    /**
     * Prints the group's stack trace as {@link Throwable#printStackTrace(PrintStream)} does, then
     * each member's, under a {@code Sub-exception N of M:} line, indented by four spaces.
     *
     * @param out where to print
     */
    @Override
    public void printStackTrace(PrintStream out) {
        synchronized (out) {
            printed().lines().forEach(out::println);
        }
    }

    /**
     * Prints the group's stack trace as {@link Throwable#printStackTrace(PrintWriter)} does, then
     * each member's, under a {@code Sub-exception N of M:} line, indented by four spaces.
     *
     * @param out where to print
     */
    @Override
    public void printStackTrace(PrintWriter out) {
        synchronized (out) {
            printed().lines().forEach(out::println);
        }
    }

    private String printed() {
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text);
        super.printStackTrace(w);
        for (int i = 0; i < exceptions.size(); i++) {
            w.println("  Sub-exception " + (i + 1) + " of " + exceptions.size() + ":");
            StringWriter member = new StringWriter();
            exceptions.get(i).printStackTrace(new PrintWriter(member, true));
            member.toString().lines().forEach(line -> w.println("    " + line));
        }
        w.flush();
        return text.toString();
    }

    static boolean holds(Throwable where, Throwable failure, int depth) {
        for (Throwable t = where; t != null && depth < 64; t = t.getCause(), depth++) {
            if (t == failure) {
                return true;
            }
            if (t instanceof ExceptionGroup group) {
                for (Throwable member : group.exceptions) {
                    if (holds(member, failure, depth + 1)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
