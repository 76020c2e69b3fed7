package dev.weft.runtime.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** The {@link Poller} over a {@code java.nio} {@link Selector}. */
public final class SelectorPoller implements Poller {
    private final Selector selector;
    private final Consumer<Runnable> readyQueue;
    private final Consumer<String> threadCheck;
    /** A wake-up is on its way: the next ones until the selector returns need no system call. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** What each select hands a ready key to. */
    private final Consumer<SelectionKey> onReady = this::ready;
    /**
     * The keys the selector held at its last select, plus those registered since. A cancelled key
     * stays until the next select, which must still happen to deregister it, so this only drops
     * when a select has run; while it is 0 a poll that must not wait skips the system call.
     */
    private int keys;

    /**
     * Opens a poller whose ready registrations go to {@code readyQueue}.
     *
     * @param readyQueue  the loop's ready queue, which runs what it is given on the loop's thread
     * @param threadCheck fails, naming the method it is given, when called off the loop's thread
     * @throws UncheckedIOException when no selector can be opened
     */
    public SelectorPoller(Consumer<Runnable> readyQueue, Consumer<String> threadCheck) {
        this.readyQueue = readyQueue;
        this.threadCheck = threadCheck;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event loop's selector", e);
        }
    }

    @Override
    public PollKey register(SelectableChannel channel, int ops, IoCallback callback) throws IOException {
        threadCheck.accept("Poller.register");
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        PollKey k = new PollKey.WithCallback(callback);
        k.key = channel.register(selector, ops, k);
        keys++;
        return k;
    }

    @Override
    public PollKey keyFor(SelectableChannel channel) {
        SelectionKey key = channel.keyFor(selector);
        return key != null && key.isValid() && key.attachment() instanceof PollKey k ? k : null;
    }

    @Override
    public void flushCancelled() throws IOException {
        threadCheck.accept("Poller.flushCancelled");
        selector.selectNow(onReady);
        // That select took up any pending wake-up, as poll's does: the next wakeup() must reach the selector again.
        wakeupPending.set(false);
        keys = selector.keys().size();
    }

    @Override
    public void poll(long timeoutNanos) throws IOException {
        // The selects that take an action hand each ready key to it as the selector finds it: no
        // selected-key set to fill and empty at every turn (a HashSet, which the profile of a
        // server showed), as Netty's replaced set avoids it.
        if (timeoutNanos == 0) {
            if (keys == 0) {
                return;
            }
            selector.selectNow(onReady);
        } else if (timeoutNanos < 0) {
            selector.select(onReady);
        } else {
            selector.select(onReady, toMillis(timeoutNanos));
        }
        wakeupPending.set(false);
        keys = selector.keys().size();
    }

    private void ready(SelectionKey key) {
        if (key.isValid() && key.attachment() instanceof PollKey k) {
            k.readyOps = (byte) (k.readyOps | key.readyOps());
            if (!k.queued) {
                k.queued = true;
                readyQueue.accept(k);
            }
        }
    }

    private static long toMillis(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(nanos, Long.MAX_VALUE - 999_999) + 999_999));
    }

    @Override
    public void wakeup() {
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    @Override
    public boolean hasInterest() {
        if (keys == 0) {
            return false;
        }
        for (SelectionKey key : selector.keys()) {
            if (key.isValid() && key.interestOps() != 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        if (!selector.isOpen()) {
            return;
        }
        IOException failure = null;
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        selector.close();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "SelectorPoller[keys=" + keys + "]";
    }
}
