package dev.weft.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * Keeps {@link Jfr#on} equal to "some recording is running", from the moment Flight Recorder is
 * initialized: loaded by {@link Jfr#poll()} only then, so that registering it costs nothing JFR
 * has not loaded already. A recording's settings may change while it runs without a state
 * change, which is why the flag tracks running recordings and each hook asks its event type.
 */
final class JfrWatch implements FlightRecorderListener {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** State changes not yet looked at; the caller that raises it from 0 reads them all. */
    private static final AtomicInteger CHANGES = new AtomicInteger();

    private JfrWatch() {
    }

    /** Registers the listener once, and sets the flag for the recordings already running. */
    static void start() {
        if (STARTED.compareAndSet(false, true)) {
            FlightRecorder.addListener(new JfrWatch());
            update();
        }
    }

    @Override
    public void recordingStateChanged(Recording recording) {
        update();
    }

    /**
     * Reads every recording's state afresh, one caller at a time, until no change came in during
     * the read. No lock of ours is held around JFR's calls: JFR calls listeners on any thread,
     * sometimes holding its own recorder lock (a delayed recording's start), which a lock taken
     * here could meet in the opposite order.
     */
    private static void update() {
        if (CHANGES.getAndIncrement() != 0) {
            return;
        }
        try {
            int seen;
            do {
                seen = CHANGES.get();
                boolean running = anyRunning();
                if (running && !Jfr.on) {
                    // Here, on the thread that started the recording, rather than at a loop's first event.
                    JfrEvents.register();
                }
                Jfr.on = running;
            } while (CHANGES.addAndGet(-seen) != 0);
        } catch (RuntimeException | Error e) {
            // JFR logs a listener's failure and goes on; the next change must not find the count stuck.
            CHANGES.set(0);
            throw e;
        }
    }

    private static boolean anyRunning() {
        for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
            if (r.getState() == RecordingState.RUNNING) {
                return true;
            }
        }
        return false;
    }
}
