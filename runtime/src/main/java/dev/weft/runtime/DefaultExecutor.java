package dev.weft.runtime;

import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loop's default executor for {@code runInExecutor(null, fn)} and {@code Aio.toThread}: made on
 * first use, as Python's, with daemon threads named {@code weft-executor-N}, at most
 * {@code min(32, cores + 4)} of them. Any thread may use it, so it is guarded by its own monitor.
 */
final class DefaultExecutor {
    private static final System.Logger LOG = System.getLogger("dev.weft.runtime");
    /** How long shutting down waits for the running jobs, as CPython's THREAD_JOIN_TIMEOUT. */
    static final long JOIN_SECONDS = 300;

    private ExecutorService pool;

    synchronized ExecutorService get() {
        if (pool == null) {
            int n = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor p = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "weft-executor-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            p.allowCoreThreadTimeOut(true);
            pool = p;
        }
        return pool;
    }

    /** Shuts the pool down, if one was made, and waits for its running jobs; the next use makes a new one. */
    void shutdown() {
        ExecutorService ex;
        synchronized (this) {
            ex = pool;
            pool = null;
        }
        if (ex != null) {
            ex.shutdown();
            try {
                if (!ex.awaitTermination(JOIN_SECONDS, TimeUnit.SECONDS)) {
                    LOG.log(Level.WARNING, "the default executor did not finish its jobs within " + JOIN_SECONDS
                            + " s; giving up on them (its threads are daemons): a toThread or runInExecutor job is "
                            + "still running; make it interruptible or give it an executor of its own");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
