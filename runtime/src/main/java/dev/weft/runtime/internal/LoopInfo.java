package dev.weft.runtime.internal;

/**
 * One event loop in a {@link TasksMXBean#getLoops()} snapshot; not API.
 */
public final class LoopInfo {
    private final int number;
    private final String thread;
    private final TaskInfo[] tasks;

    /**
     * For the runtime, which takes the snapshot.
     *
     * @param number the loop's number, from 1 in the order the JVM made its loops
     * @param thread the name of the thread running it, or empty while it does not run
     * @param tasks  its pending tasks, oldest first
     */
    public LoopInfo(int number, String thread, TaskInfo[] tasks) {
        this.number = number;
        this.thread = thread;
        this.tasks = tasks;
    }

    /**
     * The loop's number.
     *
     * @return from 1, in the order the JVM made its loops
     */
    public int getNumber() {
        return number;
    }

    /**
     * The thread running the loop.
     *
     * @return its name, or empty while the loop does not run
     */
    public String getThread() {
        return thread;
    }

    /**
     * The loop's pending tasks.
     *
     * @return oldest first
     */
    public TaskInfo[] getTasks() {
        return tasks.clone();
    }
}
