package dev.weft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.runtime.Aio;
import dev.weft.runtime.AsyncCloseable;
import dev.weft.runtime.Awaitable;
import dev.weft.runtime.Clock;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Future;
import dev.weft.runtime.internal.Woven;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class EngineTest {
    /** What a class outside the runtime would install to take the woven-code protocol over. */
    private static final class Impostor extends Engine {
        @Override
        public Object await(Coroutine<?> self, Awaitable<?> awaitable) {
            return "hijacked";
        }

        @Override
        public Object awaitStage(Coroutine<?> self, CompletionStage<?> stage) {
            return "hijacked";
        }

        @Override
        public Awaitable<Void> acloseAfter(AsyncCloseable resource, Throwable thrown) {
            return null;
        }

        @Override
        public Throwable rethrow(Throwable thrown) {
            return null;
        }

        @Override
        public LoopIo io(dev.weft.runtime.EventLoop loop) {
            return null;
        }

        @Override
        public Object emit(Coroutine<?> self, Object value) {
            return null;
        }

        @Override
        public Object emitLong(Coroutine<?> self, long value) {
            return null;
        }

        @Override
        public Object emitInt(Coroutine<?> self, int value) {
            return null;
        }

        @Override
        public Object emitDouble(Coroutine<?> self, double value) {
            return null;
        }

        @Override
        public Awaitable<?> emitting(Object value) {
            return null;
        }

        @Override
        public dev.weft.runtime.AsyncGenerator<?> generator(Coroutine<?> body) {
            return null;
        }

        @Override
        public dev.weft.runtime.internal.LoopInfo[] inspectLoops() {
            return null;
        }

        @Override
        public int loopsMade() {
            return 0;
        }

        @Override
        public void finishUnstarted(Coroutine<?> coroutine) {
        }

        @Override
        public boolean reuse(dev.weft.runtime.Future<?> done) {
            return false;
        }

        @Override
        public <T> dev.weft.runtime.Task<T> createTask(dev.weft.runtime.EventLoop loop, dev.weft.runtime.Coroutine<T> coroutine,
                java.util.function.Supplier<String> name, Throwable origin) {
            return null;
        }
    }

    @Test
    void installIsRefusedToAnyCallerButCoroutine() {
        IllegalCallerException e = assertThrows(IllegalCallerException.class, () -> Engine.install(new Impostor()));
        assertEquals("the Weft engine is installed by dev.weft.runtime.Coroutine only, not by "
                + EngineTest.class.getName(), e.getMessage());
    }

    @Test
    void aRefusedInstallLeavesTheRuntimesEngineInPlace() {
        Engine before = Engine.get();
        assertThrows(IllegalCallerException.class, () -> Engine.install(new Impostor()));
        assertSame(before, Engine.get());
        assertNotSame(Impostor.class, before.getClass());
        assertSame(Woven.SUSPENDED, Engine.suspended());
        Coroutine<Object> awaitsADoneFuture = new Coroutine<>() {
            @Override
            protected Object resume(Object value, Throwable failure) throws Throwable {
                Future<String> f = Aio.getRunningLoop().createFuture();
                f.setResult("still the runtime's");
                return Woven.await(this, f);
            }
        };
        assertEquals("still the runtime's", Aio.run(awaitsADoneFuture, Clock.virtual()));
    }
}
