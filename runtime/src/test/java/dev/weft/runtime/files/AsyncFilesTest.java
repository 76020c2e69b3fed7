package dev.weft.runtime.files;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Async;
import dev.weft.runtime.Aio;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Task;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** aiofiles' semantics: modes, universal newlines, seek and tell, buffered writes, errors, helpers. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncFilesTest {
    @TempDir
    Path dir;

    @Test
    void theSeedExampleReadsAWholeFile() throws Exception {
        Path p = dir.resolve("a.txt");
        Files.writeString(p, "hello\nworld\n");
        assertEquals("hello\nworld\n", Aio.run(readAll(p)));
    }

    @Async
    static Coroutine<String> readAll(Path p) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(p, "r"))) {
            return result(await(f.read()));
        }
    }

    @Test
    void universalNewlinesReadCrAndCrLfAsLf() throws Exception {
        Path p = dir.resolve("nl.txt");
        Files.writeString(p, "a\r\nb\rc\nd");
        assertEquals(List.of("a\n", "b\n", "c\n", "d"), Aio.run(lines(p)));
    }

    @Async
    static Coroutine<List<String>> lines(Path p) throws IOException {
        List<String> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(p, "r"))) {
            for (AsyncIterator<String> it = f.lines(); await(it.hasNext()); ) {
                got.add(it.next());
            }
            assertEquals("", await(f.readLine()), "empty at the end");
        }
        return result(got);
    }

    @Test
    void writeReturnsTheCountAndCloseWritesTheBuffer() throws Exception {
        Path p = dir.resolve("w.txt");
        assertEquals(5, Aio.run(writeText(p, "w", "héllo")));
        assertEquals("héllo", Files.readString(p));
        Aio.run(writeText(p, "a", "\nmore"));
        assertEquals("héllo\nmore", Files.readString(p));
    }

    @Async
    static Coroutine<Integer> writeText(Path p, String mode, String text) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(p, mode))) {
            return result(await(f.write(text)));
        }
    }

    @Test
    void modeXFailsWhenTheFileExistsAndRFailsWhenItIsMissing() throws Exception {
        Path p = dir.resolve("x.txt");
        Files.writeString(p, "there");
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> Aio.run(writeText(p, "x", "new")));
        assertTrue(e.getMessage().contains("x.txt"), e.getMessage());
        NoSuchFileException m = assertThrows(NoSuchFileException.class,
                () -> Aio.run(readAll(dir.resolve("missing.txt"))));
        assertTrue(m.getMessage().contains("missing.txt"), m.getMessage());
    }

    @Test
    void badModesAndWrongModeMethodsFailClearly() throws Exception {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Aio.run(AsyncFiles.open(dir.resolve("f"), "rw")));
        assertTrue(bad.getMessage().contains("'rw'"), bad.getMessage());
        Path p = dir.resolve("b.bin");
        Files.write(p, new byte[] {1, 2, 3});
        IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> Aio.run(readTextOfBinary(p)));
        assertTrue(wrong.getMessage().contains("'rb'"), wrong.getMessage());
        IllegalStateException notWritable = assertThrows(IllegalStateException.class, () -> Aio.run(writeText(p, "r", "x")));
        assertTrue(notWritable.getMessage().contains("not writable"), notWritable.getMessage());
    }

    @Async
    static Coroutine<String> readTextOfBinary(Path p) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(p, "rb"))) {
            return result(await(f.read()));
        }
    }

    @Test
    void binarySeekTellAndPartialReads() throws Exception {
        Path p = dir.resolve("s.bin");
        assertEquals(List.of(10L, 4L, 6L, 10L), Aio.run(seekTell(p)));
    }

    @Async
    static Coroutine<List<Long>> seekTell(Path p) throws IOException {
        List<Long> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(p, "w+b"))) {
            await(f.write("0123456789".getBytes(UTF_8)));
            got.add(await(f.tell()));
            await(f.seek(4));
            got.add(await(f.tell()));
            assertArrayEquals("45".getBytes(UTF_8), await(f.readBytes(2)));
            got.add(await(f.tell()));
            assertArrayEquals("6789".getBytes(UTF_8), await(f.readBytes()));
            got.add(await(f.tell()));
            assertEquals(0, await(f.readBytes(5)).length);
        }
        return result(got);
    }

    @Test
    void tellAfterReadingLinesCountsOnlyWhatWasReturned() throws Exception {
        Path p = dir.resolve("t.txt");
        Files.writeString(p, "one\ntwo\nthree\n");
        assertEquals(List.of("one\n", "4", "two\n", "X"), Aio.run(tellAfterLine(p)));
        assertEquals("one\ntwo\nXhree\n", Files.readString(p));
    }

    @Async
    static Coroutine<List<String>> tellAfterLine(Path p) throws IOException {
        List<String> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(p, "r+"))) {
            got.add(await(f.readLine()));
            got.add(String.valueOf(await(f.tell())));
            got.add(await(f.readLine()));
            await(f.write("X"));
            got.add("X");
        }
        return result(got);
    }

    @Test
    void manyLinesGoThroughBothWays() throws Exception {
        Path p = dir.resolve("many.txt");
        assertEquals(100_000, Aio.run(writeThenCount(p, 100_000)));
        assertEquals(100_000, Files.readAllLines(p).size());
    }

    @Async
    static Coroutine<Integer> writeThenCount(Path p, int n) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(p, "w"))) {
            for (int i = 0; i < n; i++) {
                await(f.write("line " + i + "\n"));
            }
        }
        int count = 0;
        try (AsyncFile f = await(AsyncFiles.open(p, "r"))) {
            for (AsyncIterator<String> it = f.lines(); await(it.hasNext()); ) {
                String line = it.next();
                assertEquals("line " + count + "\n", line);
                count++;
            }
        }
        return result(count);
    }

    @Test
    void theHelpersAsAiofilesOs() throws Exception {
        assertEquals(List.of("b.txt"), Aio.run(helpers(dir)));
    }

    @Async
    static Coroutine<List<String>> helpers(Path dir) throws IOException {
        Path a = dir.resolve("a.txt");
        Path b = dir.resolve("b.txt");
        await(AsyncFiles.writeString(a, "text"));
        assertEquals("text", await(AsyncFiles.readString(a)));
        await(AsyncFiles.write(b, "old".getBytes(UTF_8)));
        await(AsyncFiles.move(a, b));
        assertArrayEquals("text".getBytes(UTF_8), await(AsyncFiles.readAllBytes(b)));
        assertFalse(await(AsyncFiles.exists(a)));
        assertTrue(await(AsyncFiles.exists(b)));
        List<String> names = new ArrayList<>();
        for (Path e : await(AsyncFiles.list(dir))) {
            names.add(e.getFileName().toString());
        }
        await(AsyncFiles.delete(b));
        try {
            await(AsyncFiles.delete(b));
            names.add("deleted twice");
        } catch (NoSuchFileException expected) {
            assertTrue(expected.getMessage().contains("b.txt"), expected.getMessage());
        }
        return result(names);
    }

    @Test
    void aTickerKeepsTickingWhileA256MiBFileIsWrittenAndRead() throws Exception {
        Path p = dir.resolve("big.bin");
        int ticks = Aio.run(tickWhileBig(p, 256 << 20));
        assertTrue(ticks > 0, "the loop kept running while the disk worked: " + ticks + " ticks");
    }

    @Async
    static Coroutine<Integer> tickWhileBig(Path p, int size) throws IOException {
        int[] ticks = {0};
        boolean[] stop = {false};
        Task<Void> ticker = createTask(tick(ticks, stop));
        byte[] block = new byte[1 << 20];
        try (AsyncFile f = await(AsyncFiles.open(p, "wb"))) {
            for (int i = 0; i < size / block.length; i++) {
                await(f.write(block));
            }
        }
        int during = ticks[0];
        long read = 0;
        try (AsyncFile f = await(AsyncFiles.open(p, "rb"))) {
            byte[] part;
            while ((part = await(f.readBytes(1 << 20))).length > 0) {
                read += part.length;
            }
        }
        assertEquals(size, read);
        stop[0] = true;
        await(ticker);
        return result(during);
    }

    @Async
    static Coroutine<Void> tick(int[] ticks, boolean[] stop) {
        // The lateness is printed, not asserted: timing belongs in benchmarks.
        double worst = 0;
        while (!stop[0]) {
            double before = Aio.getRunningLoop().time();
            await(Aio.sleep(0.001));
            worst = Math.max(worst, Aio.getRunningLoop().time() - before - 0.001);
            ticks[0]++;
        }
        System.out.printf("ticker: %d ticks, largest lateness %.1f ms%n", ticks[0], worst * 1000);
        return done();
    }

    @Test
    void aWholeReadAppliesUniversalNewlinesAcrossWhatWasReadAhead() throws Exception {
        Path p = dir.resolve("ahead.txt");
        // A \r ends the first line, its \n starts what read() takes: one newline, not two.
        Files.writeString(p, "first\r\nsecond\r\nthird\rfourth\r");
        assertEquals(List.of("first\n", "second\nthird\nfourth\n"), Aio.run(lineThenRest(p, UTF_8)));
        Files.writeString(p, "é\r\nü\r\n", java.nio.charset.StandardCharsets.UTF_16);
        assertEquals(List.of("é\n", "ü\n"), Aio.run(lineThenRest(p, java.nio.charset.StandardCharsets.UTF_16)));
    }

    @Async
    static Coroutine<List<String>> lineThenRest(Path p, java.nio.charset.Charset cs) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(p, "r", cs))) {
            String line = await(f.readLine());
            return result(List.of(line, await(f.read())));
        }
    }

    @Test
    void linesAndWholeReadsSurviveBufferEdgesMultiByteCharactersAndGrowingFiles() throws Exception {
        Path p = dir.resolve("edges.txt");
        StringBuilder raw = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        List<String> lines = new ArrayList<>();
        for (int i = 0; raw.length() < 300_000; i++) {
            // Lines of every length around the buffer sizes, \r\n and \r ends, two- and three-byte characters.
            String body = "é€".repeat(i % 7) + "x".repeat((i * 37) % 1500);
            raw.append(body).append(i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\r" : "\n");
            expected.append(body).append('\n');
            lines.add(body + "\n");
        }
        Files.writeString(p, raw);
        assertEquals(lines, Aio.run(lines(p)));
        assertEquals(expected.toString(), Aio.run(readAll(p)));
        assertEquals(List.of("small\n", "grown\n" + "y".repeat(200_000)), Aio.run(readWhileGrowing(p)));
    }

    @Async
    static Coroutine<List<String>> readWhileGrowing(Path p) throws IOException {
        Files.writeString(p, "small\n");
        try (AsyncFile f = await(AsyncFiles.open(p, "r"))) {
            String first = await(f.readLine());
            // The read buffer was sized for a small file; the file now grows past it.
            Files.writeString(p, "grown\n" + "y".repeat(200_000), java.nio.file.StandardOpenOption.APPEND);
            return result(List.of(first, await(f.read())));
        }
    }

    @Test
    void aLargeWriteLandsAfterTheBufferedSmallOnes() throws Exception {
        Path p = dir.resolve("big-after-small.bin");
        // Past the 1 MiB slices in which large writes go to the channel.
        byte[] big = new byte[2_500_000];
        java.util.Arrays.fill(big, (byte) 'b');
        Aio.run(smallThenLarge(p, big));
        byte[] got = Files.readAllBytes(p);
        assertEquals(2 + big.length + 1, got.length);
        assertEquals("aa", new String(got, 0, 2, UTF_8));
        assertEquals('b', got[2]);
        assertEquals('b', got[got.length - 2]);
        assertEquals('c', got[got.length - 1]);
    }

    @Async
    static Coroutine<Void> smallThenLarge(Path p, byte[] big) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(p, "wb"))) {
            await(f.write("aa".getBytes(UTF_8)));
            await(f.write(big));
            big[0] = 'z';
            await(f.write("c".getBytes(UTF_8)));
            assertEquals(2L + big.length + 1, (long) await(f.tell()));
        }
        return done();
    }
}
