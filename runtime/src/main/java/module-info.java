/**
 * Weft's runtime: the event loop, futures, tasks, clocks and the asyncio toolbox.
 *
 * <p>Six packages are exported. {@code dev.weft.runtime} is the API,
 * {@code dev.weft.runtime.sync} its synchronization primitives and queues,
 * {@code dev.weft.runtime.streams} its sockets, servers and streams,
 * {@code dev.weft.runtime.subprocess} its child processes, {@code dev.weft.runtime.files} its files. {@code dev.weft.runtime.internal}
 * is not API, but woven code calls {@code Woven.await} and {@code Woven.SUSPENDED} from the user's
 * own classes, in whatever module they live, so the package must be readable from everywhere; its
 * only public members are that protocol and the {@code Tasks} MXBean that Weft's command line
 * creates by name in a JVM it inspects ({@code ps}, {@code pstree}), which needs no
 * {@code requires java.management}: the MBean server reads it by reflection. All runtime state stays package-private in
 * {@code dev.weft.runtime}, out of reach of both. {@code dev.weft.runtime.kernel} (the engine behind
 * that protocol, and the loop's I/O poller) is public only to the runtime's own packages: it is
 * not exported.
 */
module dev.weft.runtime {
    // Only to compile the runtime's own @Async code: the annotation is not read at run time.
    requires static dev.weft.annotations;
    // Flight Recorder events, when a recording asks for them; a JDK image without jdk.jfr runs the
    // runtime all the same (see Jfr, the only class that looks for the module).
    requires static jdk.jfr;

    exports dev.weft.runtime;
    exports dev.weft.runtime.sync;
    exports dev.weft.runtime.streams;
    exports dev.weft.runtime.subprocess;
    exports dev.weft.runtime.files;
    exports dev.weft.runtime.internal;
}
