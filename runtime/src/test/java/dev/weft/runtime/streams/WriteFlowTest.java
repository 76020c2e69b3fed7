package dev.weft.runtime.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.runtime.Aio;
import dev.weft.runtime.Clock;
import dev.weft.runtime.EventLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** WriteFlow: a protocol paused once past the high-water mark and resumed once at the low one. */
class WriteFlowTest {
    final EventLoop loop = Aio.newEventLoop(Clock.virtual());

    @AfterEach
    void close() {
        loop.close();
    }

    /** A buffer of a size set by hand, whose protocol and loop's exception handler write into {@link #heard}. */
    static final class Buffer extends WriteFlow {
        final List<String> heard = new ArrayList<>();
        long size;
        boolean failing;
        final Protocol protocol = new Protocol() {
            @Override
            public void pauseWriting() {
                heard.add("pause at " + size);
                if (failing) {
                    throw new IllegalStateException("no pause");
                }
            }

            @Override
            public void resumeWriting() {
                heard.add("resume at " + size);
            }
        };

        Buffer(EventLoop loop) {
            super(loop);
            loop.setExceptionHandler((l, context) -> heard.add(context.message() + ": " + context.exception().getMessage()));
        }

        @Override
        long getWriteBufferSize() {
            return size;
        }

        @Override
        Protocol protocol() {
            return protocol;
        }

        Buffer at(long n) {
            size = n;
            maybePauseProtocol();
            maybeResumeProtocol();
            return this;
        }

        @Override
        public String toString() {
            return "Buffer";
        }
    }

    @Test
    void theProtocolIsPausedOncePastTheHighMarkAndResumedOnceAtTheLowMark() {
        Buffer b = new Buffer(loop).at(WriteFlow.DEFAULT_HIGH).at(WriteFlow.DEFAULT_HIGH + 1).at(100_000)
                .at(WriteFlow.DEFAULT_LOW + 1).at(WriteFlow.DEFAULT_LOW).at(0);
        assertEquals(List.of("pause at 65537", "resume at 16384"), b.heard);
    }

    @Test
    void newMarksCountFromTheNextCheck() {
        Buffer b = new Buffer(loop).at(10);
        b.setWaterMarks(8, 4);
        assertEquals(List.of(), b.heard);
        b.at(10).at(5).at(4);
        assertEquals(List.of(8, 4), List.of(b.highWater(), b.lowWater()));
        assertEquals(List.of("pause at 10", "resume at 4"), b.heard);
    }

    @Test
    void aFailingPauseIsReportedToTheLoopNamingTheBufferAndCountsAsPaused() {
        Buffer b = new Buffer(loop);
        b.failing = true;
        b.at(100_000).at(200_000).at(0);
        assertEquals(List.of("pause at 100000", "protocol.pauseWriting() failed (Buffer): no pause", "resume at 0"), b.heard);
    }

    @Test
    void marksOutOfOrderAreRefusedAndTheOldOnesKept() {
        Buffer b = new Buffer(loop);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.setWaterMarks(4, 8));
        assertEquals("high (4) must be >= low (8) must be >= 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.setWaterMarks(4, -1));
        assertEquals(List.of(WriteFlow.DEFAULT_HIGH, WriteFlow.DEFAULT_LOW), List.of(b.highWater(), b.lowWater()));
    }
}
