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
    /**
     * No wake-up needs a system call: the loop is awake (between a poll and the next
     * {@link #prepareToWait()}, as Netty's {@code NioEventLoop} keeps its {@code AWAKE} state), or
     * one is on its way already. False at first, so that a wake-up before the first poll ends it.
     */
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
        // The loop is awake: a wake-up needs no system call until it prepares to wait again.
        wakeupPending.set(true);
        keys = selector.keys().size();
    }

    @Override
    public void poll(long timeoutNanos) throws IOException {
        // The selects that take an action hand each ready key to it as the selector finds it: no
        // selected-key set to fill and empty at every turn (a HashSet, which the profile of a
        // server showed), as Netty's replaced set avoids it.
        if (timeoutNanos == 0) {
            if (keys == 0) {
                // No system call; a wake-up sent meanwhile at worst ends the next wait early. Only
                // this thread sets the flag false, so a plain read that sees true is current, and
                // the loop that spins on ready work pays no fence for a store that changes nothing.
                if (!wakeupPending.getOpaque()) {
                    wakeupPending.set(true);
                }
                return;
            }
            selector.selectNow(onReady);
        } else if (timeoutNanos < 0) {
            selector.select(onReady);
        } else {
            selector.select(onReady, toMillis(timeoutNanos));
        }
        // Awake until the next prepareToWait(): the loop drains its inbox before it waits again.
        wakeupPending.set(true);
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
    public void prepareToWait() {
        wakeupPending.set(false);
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
