package dev.weft.runtime.internal;

/**
 * One pending task in a {@link TasksMXBean#getLoops()} snapshot; not API.
 */
public final class TaskInfo {
    private final int id;
    private final String name;
    private final String state;
    private final StackTraceElement[] stack;
    private final int[] awaitedBy;

    /**
     * For the runtime, which takes the snapshot.
     *
     * @param id        the task's number on its loop (the N of {@code Task-N})
     * @param name      its name
     * @param state     {@code running}, {@code ready}, {@code not started}, or {@code awaits ...}
     *                  saying what it waits on
     * @param stack     its await chain, innermost first, as {@code Task.getStack()}
     * @param awaitedBy the ids of the tasks of the same loop that wait for this one: by awaiting it,
     *                  through {@code gather}, {@code waitFor}, {@code wait} or {@code shield}, or
     *                  as the task running the {@code TaskGroup} that made it
     */
    public TaskInfo(int id, String name, String state, StackTraceElement[] stack, int[] awaitedBy) {
        this.id = id;
        this.name = name;
        this.state = state;
        this.stack = stack;
        this.awaitedBy = awaitedBy;
    }

    /**
     * The task's number on its loop.
     *
     * @return the N of {@code Task-N}, from 1
     */
    public int getId() {
        return id;
    }

    /**
     * The task's name.
     *
     * @return as {@code Task.getName()}
     */
    public String getName() {
        return name;
    }

    /**
     * What the task is doing.
     *
     * @return {@code running}, {@code ready}, {@code not started}, or {@code awaits ...}
     */
    public String getState() {
        return state;
    }

    /**
     * The task's await chain.
     *
     * @return innermost first, as {@code Task.getStack()}
     */
    public StackTraceElement[] getStack() {
        return stack.clone();
    }

    /**
     * The tasks that wait for this one.
     *
     * @return their ids, on the same loop
     */
    public int[] getAwaitedBy() {
        return awaitedBy.clone();
    }
}
