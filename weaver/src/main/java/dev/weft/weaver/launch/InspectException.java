package dev.weft.weaver.launch;

/** Why a process cannot be inspected: a sentence for the user, naming the process. */
final class InspectException extends Exception {
    private static final long serialVersionUID = 1L;

    InspectException(String message) {
        super(message);
    }
}
