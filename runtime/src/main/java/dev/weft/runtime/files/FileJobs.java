package dev.weft.runtime.files;

import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import dev.weft.runtime.kernel.Engine;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Where the files' blocking jobs run. On JDK 21 and later, a virtual thread per job, from an
 * executor of the loop's own that its close shuts down and waits for, as it waits for the default
 * executor; elsewhere (JDK 17 to 20), or with {@code -Ddev.weft.files.virtualThreads=false}, the
 * loop's default executor. Measured (docs/performance-files.md): one job a file, a virtual thread
 * per job read 1.6x to 1.8x the 4 KiB files per second of the default executor's pool; with the
 * open and the close as jobs of their own the two were level on a loaded machine. File jobs also
 * get an executor of their own, not capped at {@code cores + 4} threads shared with {@code toThread}.
 *
 * <p>The runtime targets JDK 17, so the JDK 21 factory is looked up once, by reflection.
 */
final class FileJobs {
    private static final System.Logger LOG = System.getLogger("dev.weft.runtime");
    /** How long a closing loop waits for its file jobs, as for the default executor's. */
    private static final long JOIN_SECONDS = 300;
    /** {@code Executors::newVirtualThreadPerTaskExecutor}, or null where there is none or it is turned off. */
    private static final java.lang.reflect.Method VIRTUAL = virtualFactory();
    private static final Map<EventLoop, ExecutorService> BY_LOOP = new ConcurrentHashMap<>();

    private FileJobs() {
    }

    private static java.lang.reflect.Method virtualFactory() {
        if (!Boolean.parseBoolean(System.getProperty("dev.weft.files.virtualThreads", "true"))
                || Runtime.version().feature() < 21) {
            return null;
        }
        try {
            java.lang.reflect.Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            m.invoke(null).getClass(); // fails here, not at the first job, where the JDK refuses
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.DEBUG, "no virtual threads for the files; they use the default executor", e);
            return null;
        }
    }

    /** Whether the file jobs run on virtual threads. */
    static boolean virtual() {
        return VIRTUAL != null;
    }

    /**
     * The executor of {@code loop}'s file jobs, for {@link EventLoop#runInExecutor}: null (the
     * default executor) without virtual threads.
     */
    static ExecutorService executor(EventLoop loop) {
        if (VIRTUAL == null) {
            return null;
        }
        ExecutorService ex = BY_LOOP.get(loop);
        return ex != null ? ex : BY_LOOP.computeIfAbsent(loop, FileJobs::start);
    }

    private static ExecutorService start(EventLoop loop) {
        ExecutorService ex;
        try {
            ex = (ExecutorService) VIRTUAL.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make the files' virtual-thread executor", e);
        }
        Engine.get().io(loop).atClose(() -> {
            BY_LOOP.remove(loop);
            ex.shutdown();
            try {
                if (!ex.awaitTermination(JOIN_SECONDS, TimeUnit.SECONDS)) {
                    LOG.log(Level.WARNING, "file jobs did not finish within " + JOIN_SECONDS
                            + " s of the loop's close; giving up on them");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return ex;
    }

    /** Runs {@code job} off the loop, on the files' executor; the future completes on the loop's thread. */
    static <T> Future<T> run(EventLoop loop, Callable<T> job) {
        return loop.runInExecutor(executor(loop), job);
    }
}
