package dev.weft.runtime;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import java.nio.file.Path;
import jdk.jfr.Recording;

/**
 * The work whose JFR events {@link JfrEventsTest} reads: a task that returns, one that fails, one
 * that is cancelled, one whose first step and one plain callback each busy-work for
 * {@link #SPIN_MILLIS}. Also the main of the child JVMs the test starts, so that a JVM's first
 * loop can be watched from a clean start: {@code plain} runs the work and prints
 * {@code done on=false} (the gate's state after it), {@code late PATH} runs a loop that starts a
 * recording while it runs, makes tasks after it, and dumps the recording to PATH.
 */
final class JfrProbe {
    /** How long the busy step and the busy callback run, well over the tests' 10 ms threshold. */
    static final long SPIN_MILLIS = 30;

    private JfrProbe() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "plain" -> {
                String r = Aio.run(work(), Clock.virtual());
                System.out.println(r + " on=" + Jfr.on);
            }
            case "late" -> {
                String r = Aio.run(startingARecordingMidway(Path.of(args[1])), Clock.virtual());
                System.out.println(r);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** The work: five tasks in all, counting the one running it. */
    @Async
    static Coroutine<String> work() {
        Task<String> ok = createTask(Naps.sleepThen(1, "fine"), "ok");
        Task<String> failing = createTask(Naps.sleepThenFail(1, new IllegalStateException("boom")), "failing");
        Task<String> sleeper = createTask(Naps.sleepThen(10, "never"), "sleeper");
        Task<Void> spinner = createTask(spinThenSleep(), "spinner");
        getRunningLoop().callSoon(new BusyWork());
        String got = await(ok);
        try {
            await(failing);
        } catch (IllegalStateException e) {
            got += ", " + e.getMessage();
        }
        sleeper.cancel("enough");
        await(spinner);
        await(sleep(1));
        return result(got + ", " + (sleeper.isCancelled() ? "cancelled" : "not cancelled"));
    }

    @Async
    static Coroutine<Void> spinThenSleep() {
        spin();
        await(sleep(0.5));
        return done();
    }

    /** A callback that blocks the loop, named so that its event can be told from the others. */
    static final class BusyWork implements Runnable {
        @Override
        public void run() {
            spin();
        }

        @Override
        public String toString() {
            return "busy work";
        }
    }

    static void spin() {
        long end = System.nanoTime() + SPIN_MILLIS * 1_000_000;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    /** A task made before a recording starts, then one made after it, on a loop already running. */
    @Async
    static Coroutine<String> startingARecordingMidway(Path dump) throws Exception {
        await(createTask(Naps.sleepThen(1, "x"), "before"));
        Recording r = new Recording();
        r.enable("dev.weft.TaskCreated");
        r.enable("dev.weft.TaskFinished");
        r.start();
        // The loop sees Flight Recorder from its next iteration on.
        await(sleep(0));
        await(createTask(Naps.sleepThen(1, "y"), "after"));
        r.stop();
        r.dump(dump);
        r.close();
        return result("dumped");
    }
}
