package dev.weft.weaver.launch;

/** Why a process cannot be inspected: a sentence for the user, naming the process. */
final class InspectException extends Exception {
    private static final long serialVersionUID = 1L;
    /** Whether {@code --agent} could find a runtime that the process's class path does not show. */
    private final boolean agentMayHelp;

    InspectException(String message) {
        this(message, false);
    }

    InspectException(String message, boolean agentMayHelp) {
        super(message);
        this.agentMayHelp = agentMayHelp;
    }

    boolean agentMayHelp() {
        return agentMayHelp;
    }
}
