package dev.weft.benchmarks.jmh;

import dev.weft.benchmarks.weft.AsyncWorkloads;
import dev.weft.runtime.Aio;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import dev.weft.runtime.sync.Lock;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Before the trial, awaits a few other kinds of coroutine than the benchmark's own, as any
 * application does. Every await of a coroutine goes through one call site in the runtime, the
 * start of the awaited state machine; a JVM that has only ever seen two coroutine classes there
 * inlines both bodies into that shared method's own compiled code, which then grows past what C2
 * inlines into callers ({@code InlineSmallCode}), so no await site is inlined and every state
 * machine escapes. With a third class the site is megamorphic, the shared method stays small, and
 * each await site inlines it with the exact type it allocated. A benchmark measures the second
 * case with this state, and the first without it.
 */
@State(Scope.Benchmark)
public class MixedAwaits {
    /** Runs a chain, a lock loop and a woven method over done futures, 200 times each. */
    @Setup(Level.Trial)
    public void awaitOtherCoroutines() {
        EventLoop loop = Aio.newEventLoop();
        try {
            Future<Integer> one = loop.createFuture();
            one.setResult(1);
            for (int i = 0; i < 200; i++) {
                loop.runUntilComplete(AsyncWorkloads.chain(50, 2));
                loop.runUntilComplete(AsyncWorkloads.lockUnlock(new Lock(), 100));
                loop.runUntilComplete(AsyncWorkloads.pricesWithTax(one, one, one, 10));
            }
        } finally {
            loop.close();
        }
    }
}
