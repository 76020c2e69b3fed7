package dev.weft.samples.flow;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.emit;
import static dev.weft.runtime.Aio.finish;

import dev.weft.Async;
import dev.weft.runtime.AsyncGenerator;
import dev.weft.runtime.AsyncIterators;
import dev.weft.runtime.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK's publisher rules, run against {@link AsyncIterators#toPublisher} over an
 * async generator, on an event loop of its own thread (the TCK's threads subscribe and request).
 * A TestNG class, run by {@link FlowTckTest}.
 */
public class ToPublisherTck extends FlowPublisherVerification<Long> {
    private EventLoop loop;
    private Thread thread;

    /** With the TCK's timeouts: 2 s for a signal, 200 ms for one that must not come. */
    public ToPublisherTck() {
        super(new TestEnvironment(2_000, 200));
    }

    /** Starts the loop the publishers live on. */
    @BeforeClass
    public void startLoop() {
        loop = dev.weft.runtime.Aio.newEventLoop();
        thread = new Thread(loop::runForever, "tck-loop");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops and closes the loop.
     *
     * @throws InterruptedException when interrupted while waiting for it
     */
    @AfterClass
    public void stopLoop() throws InterruptedException {
        loop.stop();
        thread.join(5_000);
        loop.close();
    }

    /** Counts from 0, {@code n} values, with an await of nothing between them. */
    @Async
    static AsyncGenerator<Long> counting(long n) {
        for (long i = 0; i < n; i++) {
            emit(i);
            if (i % 7 == 6) {
                await(dev.weft.runtime.Aio.sleep(0));
            }
        }
        return finish();
    }


    private Flow.Publisher<Long> onLoop(java.util.function.Supplier<Flow.Publisher<Long>> make) {
        CompletableFuture<Flow.Publisher<Long>> made = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> made.complete(make.get()));
        try {
            return made.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the loop did not make the publisher", e);
        }
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return onLoop(() -> AsyncIterators.toPublisher(counting(elements)));
    }

    /**
     * None: a publisher over an iterator fails only when it pulls a value, which it does on demand
     * (rule 1.1), so it cannot be failed before the first request. The TCK's answer for that is null,
     * which skips the two rules about a publisher failed from the start.
     */
    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return null;
    }

    @Override
    public long maxElementsFromPublisher() {
        return Long.MAX_VALUE - 1;
    }
}
