package dev.weft.runtime;

import java.util.Optional;

/**
 * The gate in front of Weft's JFR events ({@link JfrEvents}): what the loop's and the tasks' hooks
 * read, and the only JFR-related class they load while no recording runs.
 *
 * <p>Loading a {@code jdk.jfr.Event} subclass while Flight Recorder is not initialized makes JFR
 * build its whole metadata repository (about 360 classes and 0.3 to 0.5 s on JDK 17 and 25), and
 * registering a recorder listener first costs another hundred classes. So the events load only
 * once a recording runs, and this class touches nothing of {@code jdk.jfr} before Flight Recorder
 * is up: a loop that runs polls {@code FlightRecorder.isInitialized()} (a static read) each
 * iteration until it answers true, then {@link JfrWatch} registers a listener that keeps
 * {@link #on} equal to "some recording is running". Recordings only exist once Flight Recorder is
 * initialized, so no recording is missed, whether it started before the loop or after.
 *
 * <p>The module {@code jdk.jfr} is optional ({@code requires static}): in an image or a layer
 * without it, or a module graph where the runtime does not read it, {@link #AVAILABLE} is false
 * and no {@code jdk.jfr} class is ever named at run time.
 */
final class Jfr {
    /**
     * True while at least one JFR recording is running; then each hook asks its event type
     * whether it is enabled. Written by the recorder listener's thread, read by every loop.
     */
    static volatile boolean on;
    /**
     * Nothing left to poll for: {@code jdk.jfr} is absent, or the listener is registered. A racy
     * read on another loop's thread only costs that loop one more poll.
     */
    static boolean settled;
    private static final boolean AVAILABLE = readable();

    private Jfr() {
    }

    /** Whether this class's module reads a resolved {@code jdk.jfr}; an unnamed module reads all. */
    private static boolean readable() {
        Module self = Jfr.class.getModule();
        ModuleLayer layer = self.isNamed() ? self.getLayer() : ModuleLayer.boot();
        if (layer == null) {
            return false;
        }
        Optional<Module> jfr = layer.findModule("jdk.jfr");
        return jfr.isPresent() && self.canRead(jfr.get());
    }

    /**
     * Called by a loop each iteration while {@link #settled} is false: once Flight Recorder is
     * initialized, hands over to the listener, which sets {@link #on} at once and on every change
     * of a recording's state.
     */
    static void poll() {
        if (!AVAILABLE) {
            settled = true;
        } else if (jdk.jfr.FlightRecorder.isInitialized()) {
            try {
                JfrWatch.start();
            } catch (Throwable refused) {
                // No listener (a SecurityManager without FlightRecorderPermission, a recorder that
                // failed): no events, and never a reason to fail the loop that asked.
                on = false;
            }
            settled = true;
        }
    }
}
