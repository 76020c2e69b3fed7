package dev.weft.weaver.launch;

import java.util.List;

/**
 * One pending task of an inspected JVM, as {@code ps} and {@code pstree} print it.
 *
 * @param loop      the number of its event loop, from 1 in the order the JVM made them
 * @param thread    the name of the thread running that loop, or empty while it does not run
 * @param id        the task's number on its loop (the N of {@code Task-N})
 * @param name      its name
 * @param state     {@code running}, {@code ready}, {@code not started}, or {@code awaits ...}
 * @param stack     its await chain, innermost first
 * @param awaitedBy the ids of the tasks of the same loop that wait for it
 */
record RemoteTask(int loop, String thread, int id, String name, String state, List<Frame> stack,
        List<Integer> awaitedBy) {

    /**
     * One coroutine frame of a task's await chain.
     *
     * @param className  the binary name of the method's class
     * @param methodName the method
     * @param fileName   its source file, or null
     * @param line       the line of the await it is stopped at, or -1
     */
    record Frame(String className, String methodName, String fileName, int line) {
        /** The method as {@code Class.method}, the class without its package, as Python's qualified names. */
        String function() {
            return className.substring(className.lastIndexOf('.') + 1) + "." + methodName;
        }

        /** {@link #function()} with the line: {@code Class.method:12}, for the table. */
        String functionAndLine() {
            return line >= 0 ? function() + ":" + line : function();
        }

        /** {@code Class.method File.java:12}, as CPython's {@code pstree} labels a coroutine. */
        String label() {
            if (fileName == null) {
                return function();
            }
            return function() + " " + fileName + (line >= 0 ? ":" + line : "");
        }
    }
}
