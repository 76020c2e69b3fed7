package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Clock;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Task;
import java.io.IOException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link StreamReader} fed directly, as CPython's own {@code test_streams.py} feeds it: reads over
 * split and joined chunks, the limit's buffer handling, the end of the stream, failures, and the
 * one-reader rule.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamReaderTest {
    private static final String DATA = "line1\nline2\nline3\n";

    private static byte[] b(String s) {
        return s.getBytes(US_ASCII);
    }

    private static String s(byte[] b) {
        return new String(b, US_ASCII);
    }

    /** A test's body, given a reader of the running loop. */
    @FunctionalInterface
    private interface Body<T> {
        Coroutine<T> apply(StreamReader reader) throws Exception;
    }

    /** Runs {@code body} on a fresh loop with a virtual clock, with a reader of that loop. */
    private static <T> T onLoop(int limit, Body<T> body) throws Exception {
        return Aio.run(withReader(limit, body), Clock.virtual());
    }

    @Async
    private static <T> Coroutine<T> withReader(int limit, Body<T> body) throws Exception {
        return result(await(body.apply(new StreamReader(getRunningLoop(), limit))));
    }

    /** What is left in the buffer: everything up to an end fed now. */
    @Async
    private static Coroutine<String> rest(StreamReader r) throws IOException {
        r.feedEof();
        return result(s(await(r.read(-1))));
    }

    @Async
    private static Coroutine<Void> feedSoon(StreamReader r, String... chunks) {
        await(sleep(0));
        for (String c : chunks) {
            r.feedData(b(c));
        }
        return done();
    }

    @Async
    private static Coroutine<Void> feedEofSoon(StreamReader r, String... chunks) {
        await(feedSoon(r, chunks));
        r.feedEof();
        return done();
    }

    @Test
    void aLimitBelowOneIsRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new StreamReader(null, 0));
        assertThrows(IllegalArgumentException.class, () -> new StreamReader(null, -1));
    }

    @Test
    void feedingNothingLeavesTheBufferEmpty() throws Exception {
        assertEquals("", onLoop(100, r -> {
            r.feedData(new byte[0]);
            return rest(r);
        }));
    }

    @Test
    void readZeroReturnsNothingAndKeepsTheBuffer() throws Exception {
        assertEquals("|" + DATA, onLoop(100, StreamReaderTest::readZero));
    }

    @Async
    private static Coroutine<String> readZero(StreamReader r) throws IOException {
        r.feedData(b(DATA));
        byte[] none = await(r.read(0));
        return result(s(none) + "|" + await(rest(r)));
    }

    @Test
    void readWaitsForDataAndTakesWhatCame() throws Exception {
        assertEquals(DATA + "|", onLoop(100, StreamReaderTest::readWaiting));
    }

    @Async
    private static Coroutine<String> readWaiting(StreamReader r) throws IOException {
        Task<byte[]> t = createTask(r.read(30));
        createTask(feedSoon(r, DATA));
        return result(s(await(t)) + "|" + await(rest(r)));
    }

    @Test
    void readStopsAtTheAskedCountAcrossJoinedChunks() throws Exception {
        assertEquals("line1|line2", onLoop(100, StreamReaderTest::readLineBreaks));
    }

    @Async
    private static Coroutine<String> readLineBreaks(StreamReader r) throws IOException {
        r.feedData(b("line1"));
        r.feedData(b("line2"));
        return result(s(await(r.read(5))) + "|" + await(rest(r)));
    }

    @Test
    void readAtTheEndReturnsAnEmptyArray() throws Exception {
        assertEquals(0, onLoop(100, StreamReaderTest::readAtEof).intValue());
    }

    @Async
    private static Coroutine<Integer> readAtEof(StreamReader r) throws IOException {
        Task<byte[]> t = createTask(r.read(1024));
        createTask(feedEofSoon(r));
        byte[] got = await(t);
        assertTrue(r.atEof());
        return result(got.length);
    }

    @Test
    void readMinusOneReadsEveryChunkUntilTheEnd() throws Exception {
        assertEquals("chunk1\nchunk2", onLoop(100, StreamReaderTest::readToEnd));
    }

    @Async
    private static Coroutine<String> readToEnd(StreamReader r) throws IOException {
        Task<byte[]> t = createTask(r.read(-1));
        createTask(feedEofSoon(r, "chunk1\n", "chunk2"));
        return result(s(await(t)));
    }

    @Test
    void readMinusOneGathersMoreThanTheLimitInManyChunks() throws Exception {
        assertEquals(10_000, onLoop(7, StreamReaderTest::readManyChunks).intValue());
    }

    @Async
    private static Coroutine<Integer> readManyChunks(StreamReader r) throws IOException {
        Task<byte[]> t = createTask(r.read(-1));
        for (int i = 0; i < 1000; i++) {
            r.feedData(b("0123456789"));
            await(sleep(0));
        }
        r.feedEof();
        byte[] all = await(t);
        for (int i = 0; i < all.length; i++) {
            assertEquals('0' + i % 10, all[i], "byte " + i);
        }
        return result(all.length);
    }

    @Test
    void aReadLargerThanTheLimitTakesWhatIsBuffered() throws Exception {
        assertEquals("chunk|", onLoop(3, StreamReaderTest::readOverLimit));
    }

    @Async
    private static Coroutine<String> readOverLimit(StreamReader r) throws IOException {
        r.feedData(b("chunk"));
        return result(s(await(r.read(5))) + "|" + await(rest(r)));
    }

    @Test
    void aSetExceptionFailsTheNextReadsButNotTheDataAlreadyRead() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        String[] first = new String[1];
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> onLoop(100, r -> readThenFail(r,
                boom, first)));
        assertSame(boom, e);
        assertEquals("li", first[0]);
    }

    @Async
    private static Coroutine<Void> readThenFail(StreamReader r, IllegalStateException boom, String[] first)
            throws IOException {
        r.feedData(b("line\n"));
        first[0] = s(await(r.read(2)));
        r.setException(boom);
        assertSame(boom, r.exception());
        await(r.read(2));
        return done();
    }

    @Test
    void everyKindOfReadThrowsTheStreamsFailure() throws Exception {
        assertEquals("read readLine readExactly readUntil ", onLoop(100, StreamReaderTest::everyReadFails));
    }

    @Async
    private static Coroutine<String> everyReadFails(StreamReader r) {
        SocketException boom = new SocketException("reset");
        r.feedData(b("line\n"));
        r.setException(boom);
        StringBuilder failed = new StringBuilder();
        try {
            await(r.read(10));
        } catch (IOException e) {
            assertSame(boom, e);
            failed.append("read ");
        }
        try {
            await(r.readLine());
        } catch (IOException e) {
            assertSame(boom, e);
            failed.append("readLine ");
        }
        try {
            await(r.readExactly(2));
        } catch (IOException e) {
            assertSame(boom, e);
            failed.append("readExactly ");
        }
        try {
            await(r.readUntil(b("\n")));
        } catch (IOException e) {
            assertSame(boom, e);
            failed.append("readUntil ");
        }
        return result(failed.toString());
    }

    @Test
    void readLineWaitsForTheNewlineOverSplitChunksAndLeavesTheRest() throws Exception {
        assertEquals("chunk1 chunk2 chunk3 \n| chunk4", onLoop(100, StreamReaderTest::readLineSplit));
    }

    @Async
    private static Coroutine<String> readLineSplit(StreamReader r) throws IOException {
        r.feedData(b("chunk1 "));
        Task<byte[]> t = createTask(r.readLine());
        createTask(feedSoon(r, "chunk2 ", "chunk3 ", "\n chunk4"));
        return result(s(await(t)) + "|" + await(rest(r)));
    }

    @Test
    void readLineOverTheLimitDropsThatLineAndKeepsTheNextOneWhenItIsBuffered() throws Exception {
        assertEquals("line2\n", onLoop(3, StreamReaderTest::readLineLimitExisting));
    }

    @Async
    private static Coroutine<String> readLineLimitExisting(StreamReader r) throws IOException {
        r.feedData(b("li"));
        r.feedData(b("ne1\nline2\n"));
        try {
            await(r.readLine());
            throw new AssertionError("no LimitOverrunError");
        } catch (LimitOverrunError expected) {
            return result(await(rest(r)));
        }
    }

    @Test
    void readLineOverTheLimitWithoutANewlineEmptiesTheBuffer() throws Exception {
        assertEquals("", onLoop(3, StreamReaderTest::readLineLimitNoNewline));
    }

    @Async
    private static Coroutine<String> readLineLimitNoNewline(StreamReader r) throws IOException {
        r.feedData(b("li"));
        r.feedData(b("ne1"));
        r.feedData(b("li"));
        try {
            await(r.readLine());
            throw new AssertionError("no LimitOverrunError");
        } catch (LimitOverrunError expected) {
            return result(await(rest(r)));
        }
    }

    @Test
    void readLineOverTheLimitFedLaterEmptiesOrKeepsAsCPython() throws Exception {
        assertEquals("|chunk3\n", onLoop(7, StreamReaderTest::readLineLimitFedLater));
    }

    @Async
    private static Coroutine<String> readLineLimitFedLater(StreamReader r) throws IOException {
        createTask(feedEofSoon(r, "chunk1", "chunk2", "chunk3\n"));
        try {
            await(r.readLine());
            throw new AssertionError("no LimitOverrunError");
        } catch (LimitOverrunError expected) {
            // The buffer held one line only: it is gone.
        }
        String first = await(rest2(r));
        StreamReader r2 = new StreamReader(getRunningLoop(), 7);
        createTask(feedEofSoon(r2, "chunk1", "chunk2\n", "chunk3\n"));
        try {
            await(r2.readLine());
            throw new AssertionError("no LimitOverrunError");
        } catch (LimitOverrunError expected) {
            // The over-long line went with its newline; the next one stays.
        }
        return result(first + "|" + s(await(r2.read(-1))));
    }

    /** What is left of a stream that has ended already. */
    @Async
    private static Coroutine<String> rest2(StreamReader r) throws IOException {
        return result(s(await(r.read(-1))));
    }

    @Test
    void theLimitIsStrictForALineAndTheStreamStaysUsable() throws Exception {
        assertEquals("1234567\n|limit|limit|after\n", onLoop(7, StreamReaderTest::strictLimit));
    }

    @Async
    private static Coroutine<String> strictLimit(StreamReader r) throws IOException {
        StringBuilder sb = new StringBuilder();
        r.feedData(b("1234567\n"));
        sb.append(s(await(r.readLine())));
        r.feedData(b("12345678\n"));
        try {
            await(r.readLine());
        } catch (LimitOverrunError e) {
            sb.append("|limit");
        }
        r.feedData(b("12345678"));
        try {
            await(r.readLine());
        } catch (LimitOverrunError e) {
            sb.append("|limit");
        }
        r.feedData(b("after\n"));
        sb.append('|').append(s(await(r.readLine())));
        return result(sb.toString());
    }

    @Test
    void readLineTakesOneLineOfJoinedChunks() throws Exception {
        assertEquals("line1\n|line2\nline3\n", onLoop(100, StreamReaderTest::readLineJoined));
    }

    @Async
    private static Coroutine<String> readLineJoined(StreamReader r) throws IOException {
        r.feedData(b(DATA.substring(0, 6)));
        r.feedData(b(DATA.substring(6)));
        return result(s(await(r.readLine())) + "|" + await(rest(r)));
    }

    @Test
    void readLineAtTheEndReturnsWhatIsLeftThenNothing() throws Exception {
        assertEquals("some data||true", onLoop(100, StreamReaderTest::readLineEof));
    }

    @Async
    private static Coroutine<String> readLineEof(StreamReader r) throws IOException {
        r.feedData(b("some data"));
        r.feedEof();
        String a = s(await(r.readLine()));
        String b = s(await(r.readLine()));
        return result(a + "|" + b + "|" + r.atEof());
    }

    @Test
    void atEofOnlyOnceTheEndIsFedAndTheBufferRead() throws Exception {
        assertEquals("false false false true", onLoop(100, StreamReaderTest::atEof));
    }

    @Async
    private static Coroutine<String> atEof(StreamReader r) throws IOException {
        StringBuilder sb = new StringBuilder().append(r.atEof());
        r.feedData(b("some data\n"));
        sb.append(' ').append(r.atEof());
        await(r.readLine());
        sb.append(' ').append(r.atEof());
        r.feedData(b("some data\n"));
        r.feedEof();
        await(r.readLine());
        sb.append(' ').append(r.atEof());
        return result(sb.toString());
    }

    @Test
    void aReadAfterReadLineCountsBytesFromTheNextLine() throws Exception {
        assertEquals("line2\nl|ine3\n", onLoop(100, StreamReaderTest::readAfterReadLine));
    }

    @Async
    private static Coroutine<String> readAfterReadLine(StreamReader r) throws IOException {
        r.feedData(b(DATA));
        await(r.readLine());
        return result(s(await(r.read(7))) + "|" + await(rest(r)));
    }

    @Test
    void readUntilNeedsASeparator() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> onLoop(100, r -> r.readUntil(new byte[0])));
    }

    @Test
    void readUntilFindsASeparatorSplitAcrossChunks() throws Exception {
        assertEquals("lineAAA||lineAAA|xxx|QWEaaXYaaa|QWEaaXYaaa|aaa|Xaaa|XXXaaa|",
                onLoop(100, StreamReaderTest::readUntilChunks));
    }

    @Async
    private static Coroutine<String> readUntilChunks(StreamReader r) throws IOException {
        StringBuilder sb = new StringBuilder();
        r.feedData(b("lineAAA"));
        sb.append(s(await(r.readUntil(b("AAA"))))).append('|');
        r.feedData(b("lineAAAxxx"));
        sb.append('|').append(s(await(r.readUntil(b("AAA"))))).append('|');
        sb.append(s(await(r.read(3)))).append('|');
        r.feedData(b("QWEaa"));
        r.feedData(b("XYaa"));
        r.feedData(b("a"));
        sb.append(s(await(r.readUntil(b("aaa"))))).append('|');
        Task<byte[]> t = createTask(r.readUntil(b("aaa")));
        createTask(feedSoon(r, "QWEaa", "XYa", "aa"));
        sb.append(s(await(t))).append('|');
        r.feedData(b("aaa"));
        sb.append(s(await(r.readUntil(b("aaa"))))).append('|');
        r.feedData(b("Xaaa"));
        sb.append(s(await(r.readUntil(b("aaa"))))).append('|');
        t = createTask(r.readUntil(b("aaa")));
        createTask(feedSoon(r, "XXX", "a", "a", "a"));
        sb.append(s(await(t))).append('|');
        sb.append(await(rest(r)));
        return result(sb.toString());
    }

    @Test
    void readUntilAtTheEndThrowsIncompleteReadWithTheWholeBufferAndEmptiesIt() throws Exception {
        assertEquals("some dataAA|-1|11 bytes read on a total of undefined expected bytes|",
                onLoop(100, StreamReaderTest::readUntilEof));
    }

    @Async
    private static Coroutine<String> readUntilEof(StreamReader r) throws IOException {
        r.feedData(b("some dataAA"));
        r.feedEof();
        try {
            await(r.readUntil(b("AAA")));
            throw new AssertionError("no IncompleteReadError");
        } catch (IncompleteReadError e) {
            return result(s(e.partial()) + "|" + e.expected() + "|" + e.getMessage() + "|"
                    + s(await(r.read(-1))));
        }
    }

    @Test
    void readUntilOverTheLimitLeavesTheDataInTheBuffer() throws Exception {
        assertEquals("not found 9|some dataAA|is found 9|some dataAAA",
                onLoop(3, StreamReaderTest::readUntilLimit));
    }

    @Async
    private static Coroutine<String> readUntilLimit(StreamReader r) throws IOException {
        StringBuilder sb = new StringBuilder();
        r.feedData(b("some dataAA"));
        try {
            await(r.readUntil(b("AAA")));
        } catch (LimitOverrunError e) {
            assertTrue(e.getMessage().contains("not found"), e.getMessage());
            sb.append("not found ").append(e.consumed());
        }
        // Still there: read it without taking it, through a reader-sized peek.
        assertTrue(r.toString().contains("11 bytes"), r.toString());
        sb.append('|').append("some dataAA");
        r.feedData(b("A"));
        try {
            await(r.readUntil(b("AAA")));
        } catch (LimitOverrunError e) {
            assertTrue(e.getMessage().contains("is found"), e.getMessage());
            sb.append("|is found ").append(e.consumed());
        }
        sb.append('|').append(await(rest(r)));
        return result(sb.toString());
    }

    @Test
    void readExactlyOfZeroReturnsNothingAndANegativeCountIsRefused() throws Exception {
        assertEquals("|" + DATA, onLoop(100, StreamReaderTest::readExactlyZero));
    }

    @Async
    private static Coroutine<String> readExactlyZero(StreamReader r) throws IOException {
        r.feedData(b(DATA));
        String none = s(await(r.readExactly(0)));
        try {
            await(r.readExactly(-1));
            throw new AssertionError("a negative count was read");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("less than zero"), expected.getMessage());
        }
        return result(none + "|" + await(rest(r)));
    }

    @Test
    void readExactlyWaitsForEnoughChunksAndLeavesTheRest() throws Exception {
        assertEquals(DATA + DATA + "|" + DATA, onLoop(100, StreamReaderTest::readExactlyChunks));
    }

    @Async
    private static Coroutine<String> readExactlyChunks(StreamReader r) throws IOException {
        Task<byte[]> t = createTask(r.readExactly(2 * DATA.length()));
        createTask(feedSoon(r, DATA, DATA, DATA));
        return result(s(await(t)) + "|" + await(rest(r)));
    }

    @Test
    void readExactlyPastTheLimitStillReadsIt() throws Exception {
        assertEquals("chunk|", onLoop(3, StreamReaderTest::readExactlyOverLimit));
    }

    @Async
    private static Coroutine<String> readExactlyOverLimit(StreamReader r) throws IOException {
        r.feedData(b("chunk"));
        return result(s(await(r.readExactly(5))) + "|" + await(rest(r)));
    }

    @Test
    void readExactlyAtTheEndThrowsIncompleteReadWithItsFieldsAndMessage() throws Exception {
        assertEquals(DATA + "|36|18 bytes read on a total of 36 expected bytes|",
                onLoop(100, StreamReaderTest::readExactlyEof));
    }

    @Async
    private static Coroutine<String> readExactlyEof(StreamReader r) throws IOException {
        Task<byte[]> t = createTask(r.readExactly(2 * DATA.length()));
        createTask(feedEofSoon(r, DATA));
        try {
            await(t);
            throw new AssertionError("no IncompleteReadError");
        } catch (IncompleteReadError e) {
            return result(s(e.partial()) + "|" + e.expected() + "|" + e.getMessage() + "|" + s(await(r.read(-1))));
        }
    }

    @Test
    void incompleteReadErrorKeepsItsOwnCopyOfThePartialBytes() throws Exception {
        byte[] partial = b("abc");
        IncompleteReadError e = new IncompleteReadError(partial, 10);
        partial[0] = 'x';
        byte[] got = e.partial();
        got[1] = 'y';
        assertArrayEquals(b("abc"), e.partial());
        assertEquals(10, e.expected());
        assertEquals("3 bytes read on a total of 10 expected bytes", e.getMessage());
    }

    @Test
    void anExceptionSetWhileAReadWaitsWakesItWithTheException() throws Exception {
        assertEquals("woken with boom", onLoop(100, StreamReaderTest::exceptionWhileWaiting));
    }

    @Async
    private static Coroutine<String> exceptionWhileWaiting(StreamReader r) throws IOException {
        Task<byte[]> t = createTask(r.readLine());
        await(sleep(0));
        r.setException(new SocketException("boom"));
        try {
            await(t);
            return result("not woken");
        } catch (Exception e) {
            return result("woken with " + e.getMessage());
        }
    }

    @Test
    void anExceptionSetAfterAWaitingReadWasCancelledLeavesNoWaiterBehind() throws Exception {
        assertEquals("cancelled|after", onLoop(100, StreamReaderTest::exceptionAfterCancel));
    }

    @Async
    private static Coroutine<String> exceptionAfterCancel(StreamReader r) throws IOException {
        Task<byte[]> t = createTask(r.readLine());
        await(sleep(0));
        t.cancel();
        await(sleep(0));
        assertTrue(t.isCancelled());
        r.setException(new SocketException("after"));
        await(sleep(0));
        assertFalse(r.toString().contains("waiting"), r.toString());
        try {
            await(r.readLine());
            return result("cancelled|read");
        } catch (SocketException e) {
            return result("cancelled|" + e.getMessage());
        }
    }

    @Test
    void aSecondReaderWhileOneWaitsIsRefused() throws Exception {
        assertEquals("refused|first", onLoop(100, StreamReaderTest::twoReaders));
    }

    @Async
    private static Coroutine<String> twoReaders(StreamReader r) throws IOException {
        Task<byte[]> first = createTask(r.readLine());
        await(sleep(0));
        String second;
        try {
            await(r.read(10));
            second = "read";
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("already waiting"), e.getMessage());
            second = "refused";
        }
        for (int i = 0; i < 3; i++) {
            try {
                if (i == 0) {
                    await(r.readLine());
                } else if (i == 1) {
                    await(r.readExactly(3));
                } else {
                    await(r.readUntil(b("x")));
                }
                throw new AssertionError("read " + i + " was not refused");
            } catch (IllegalStateException expected) {
                // One reader at a time.
            }
        }
        r.feedData(b("first\n"));
        return result(second + "|" + s(await(first)).trim());
    }

    @Test
    void aCancelledReadLeavesTheBufferIntact() throws Exception {
        assertEquals("cancelled|12345", onLoop(100, StreamReaderTest::cancelledRead));
    }

    @Async
    private static Coroutine<String> cancelledRead(StreamReader r) throws IOException {
        Task<byte[]> exact = createTask(r.readExactly(10));
        await(sleep(0));
        r.feedData(b("123"));
        await(sleep(0));
        exact.cancel();
        String how;
        try {
            await(exact);
            how = "done";
        } catch (CancelledError e) {
            how = "cancelled";
        }
        Task<byte[]> line = createTask(r.readUntil(b("\n")));
        await(sleep(0));
        r.feedData(b("45"));
        await(sleep(0));
        line.cancel();
        try {
            await(line);
        } catch (CancelledError e) {
            // Nothing of the buffer went with it.
        }
        return result(how + "|" + await(rest(r)));
    }

    @Test
    void aReadWokenButNotYetResumedDoesNotForgetTheWaitOfTheNextRead() throws Exception {
        assertEquals("c", onLoop(100, StreamReaderTest::wokenReaderThenAnother));
    }

    /**
     * Task A waits; data comes and wakes it; before A resumes, this task takes that data and waits
     * in turn. A's clean-up must not drop this task's wait, or it never wakes.
     */
    @Async
    private static Coroutine<String> wokenReaderThenAnother(StreamReader r) throws IOException {
        createTask(r.read(1));
        await(sleep(0));
        r.feedData(b("ab"));
        assertEquals("ab", s(await(r.read(2))));
        createTask(feedSoon(r, "c"));
        return result(s(await(r.read(1))));
    }

    @Test
    void theTransportPausesPastTwiceTheLimitAndResumesAtTheLimit() throws Exception {
        assertEquals("paused at 21|resumed at 10", onLoop(10, StreamReaderTest::flowControl));
    }

    @Async
    private static Coroutine<String> flowControl(StreamReader r) throws IOException {
        RecordingTransport t = new RecordingTransport();
        r.setTransport(t);
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 30 && t.reading; i++) {
            r.feedData(b("x"));
            if (!t.reading) {
                sb.append("paused at ").append(i);
            }
        }
        int left = 21;
        while (!t.reading) {
            left -= await(r.read(1)).length;
        }
        return result(sb.append("|resumed at ").append(left).toString());
    }

    /** A transport that only records whether it reads. */
    private static final class RecordingTransport implements Transport {
        boolean reading = true;

        @Override
        public void write(java.nio.ByteBuffer data) {
        }

        @Override
        public boolean canWriteEof() {
            return true;
        }

        @Override
        public void writeEof() {
        }

        @Override
        public void close() {
        }

        @Override
        public void abort() {
        }

        @Override
        public boolean isClosing() {
            return false;
        }

        @Override
        public void pauseReading() {
            reading = false;
        }

        @Override
        public void resumeReading() {
            reading = true;
        }

        @Override
        public boolean isReading() {
            return reading;
        }

        @Override
        public void setWriteBufferLimits(int high, int low) {
        }

        @Override
        public long getWriteBufferSize() {
            return 0;
        }

        @Override
        public java.net.SocketAddress localAddress() {
            return null;
        }

        @Override
        public java.net.SocketAddress remoteAddress() {
            return null;
        }

        @Override
        public Protocol protocol() {
            return null;
        }
    }

    /**
     * A read of all a feed brought hands over the array the feed made: what it returns is the
     * caller's, and neither a change to it nor the next feed reaches the other.
     */
    @Test
    void aWholeFeedIsHandedOverAndStaysTheCallers() throws Exception {
        assertEquals("xbc|def|dyf|g", onLoop(100, StreamReaderTest::handedOver));
    }

    @Async
    private static Coroutine<String> handedOver(StreamReader r) throws IOException {
        r.feedData(b("abc"));
        byte[] first = await(r.read(10));
        first[0] = 'x';
        r.feedData(b("def"));
        byte[] second = await(r.readExactly(3));
        r.feedData(b("dxfg"));
        byte[] third = await(r.read(3));
        third[1] = 'y';
        return result(s(first) + "|" + s(second) + "|" + s(third) + "|" + await(rest(r)));
    }
}
