package dev.weft.runtime.files;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.result;
import static java.nio.charset.StandardCharsets.UTF_16LE;
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
import java.nio.charset.Charset;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    void theBatchReadAheadIsGivenBackToTellReadSeekAndTheNextLines() throws Exception {
        Path p = dir.resolve("ahead.txt");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            all.append(String.format("line %04d\n", i % 10_000));
        }
        Files.writeString(p, all);
        String text = all.toString();
        // Ten lines taken: the rest of the first batch is cached, the next batch read ahead.
        assertEquals(List.of(text.substring(0, 100), "100", text.substring(100, 150), text.substring(150, 160),
                "line 0000\n", String.valueOf(text.length() - 10)), Aio.run(aheadThenOthers(p)));
    }

    @Async
    static Coroutine<List<String>> aheadThenOthers(Path p) throws IOException {
        List<String> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(p, "r"))) {
            StringBuilder ten = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                ten.append(await(f.readLine()));
            }
            got.add(ten.toString());
            got.add(String.valueOf(await(f.tell())));
            got.add(await(f.read(50)));
            got.add(await(f.readLine()));
            await(f.seek(0));
            got.add(await(f.readLine()));
            // After the seek the lines read ahead of it are gone: the rest is the file after line 0.
            int rest = 0;
            for (AsyncIterator<String> it = f.lines(); await(it.hasNext()); ) {
                rest += it.next().length();
            }
            got.add(String.valueOf(rest));
        }
        return result(got);
    }

    /**
     * Lines given back (cached and read ahead) go back by the bytes they came from: after lines of
     * a file with {@code \r\n}, lone {@code \r} and non-ASCII characters, {@code tell} is the byte
     * offset of the next line on the disk, in UTF-8 (lines found in the bytes) and in ISO-8859-1
     * (lines found in the characters), and a read, a seek back to it and a write in {@code r+} go on
     * from there.
     */
    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "ISO-8859-1"})
    void linesGivenBackCountTheirCrLfEndsAsTheyAreOnTheDisk(String charsetName) throws Exception {
        Charset cs = Charset.forName(charsetName);
        Path p = dir.resolve("crlf-" + charsetName + ".txt");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            all.append(String.format("ligne \u00e9 %04d", i)).append(i % 7 == 3 ? "\r" : "\r\n");
        }
        String raw = all.toString();
        Files.write(p, raw.getBytes(cs));
        String[] rawLines = raw.split("(?<=\r\n)|(?<=\r)(?!\n)");
        long tenth = 0;
        for (int i = 0; i < 10; i++) {
            tenth += rawLines[i].getBytes(cs).length;
        }
        String eleventh = rawLines[10].replace("\r\n", "\n").replace('\r', '\n');
        for (String m : List.of("r", "r+")) {
            assertEquals(List.of(String.valueOf(tenth), eleventh.substring(0, 5), eleventh.substring(5),
                    String.valueOf(tenth), eleventh), Aio.run(crlfGivenBack(p, m, cs)), m);
        }
        // The r+ run wrote "#" over the first byte of the 12th line.
        byte[] after = Files.readAllBytes(p);
        int twelfth = (int) (tenth + rawLines[10].getBytes(cs).length);
        assertEquals('#', after[twelfth]);
        assertEquals(raw.getBytes(cs).length, after.length);
    }

    /**
     * Lines given back around a tell are never read twice or lost: a UTF-8 line decoded with a
     * replacement for a malformed byte (after {@code read(n)}, lines come from the decoded
     * characters), and a UTF-16 file with a little-endian byte-order mark, whose decoder would take
     * the wrong order if it started again past the mark.
     */
    @Test
    void linesDecodedWithAReplacementOrInUtf16AreNotReadTwiceWhenGivenBack() throws Exception {
        Path bad = dir.resolve("malformed.txt");
        Files.write(bad, new byte[] {'a', '\n', (byte) 0xFF, '\n', 'b', '\n'});
        assertEquals(List.of("a", "\n", "\uFFFD\n", "b\n", ""), Aio.run(partThenLinesAroundATell(bad, UTF_8)));
        Path le = dir.resolve("utf16.txt");
        Files.write(le, new byte[] {(byte) 0xFF, (byte) 0xFE, 'a', 0, '\n', 0, 'b', 0, '\n', 0, 'c', 0, '\n', 0});
        assertEquals(List.of("a", "\n", "b\n", "c\n", ""),
                Aio.run(partThenLinesAroundATell(le, java.nio.charset.StandardCharsets.UTF_16)));
        assertEquals(List.of("a\n", "b\nc\n"), Aio.run(lineThenRest(le, java.nio.charset.StandardCharsets.UTF_16)));
    }

    /**
     * Cases an adversarial run found, each once wrong: a read at the end of a file cut inside a UTF-8
     * sequence (it never returned), a give-back after {@code read(n)} decoded a malformed byte ahead
     * (lines read twice), {@code tell} after a {@code read(n)} that ended on the {@code \r} of a
     * {@code \r\n} (one byte short), and seeks and give-backs in UTF-16 and UTF-32 files with a
     * little-endian mark (decoded big-endian).
     */
    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void edgesOfTellSeekAndDecodingFoundByAnAdversary() throws Exception {
        byte[] cut = {'a', 'b', (byte) 0xE2, (byte) 0x82};
        assertEquals(List.of(new String(cut, UTF_8), ""), Aio.run(ops(file("cut.txt", cut), UTF_8, "N10", "N10")));
        byte[] bad = "aaaaaaaa\nb\nc\u00ff\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(List.of("aaa", "aaaaa\n", "b\nc\uFFFD\n"), Aio.run(ops(file("bad.txt", bad), UTF_8, "N3", "L", "R")));
        byte[] crlf = "ab\r\ncd\r\nef\r\n".getBytes(UTF_8);
        assertEquals(List.of("ab\n", "cd\n", "8", "ef\n"), Aio.run(ops(file("crlf.txt", crlf), UTF_8, "L", "N3", "T", "S8", "R")));
        Charset utf16 = java.nio.charset.StandardCharsets.UTF_16;
        byte[] le16 = withMark(new byte[] {(byte) 0xFF, (byte) 0xFE}, "ab\r\ncd\r\nef\n".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        assertEquals(List.of("ab\n", "10", "cd\nef\n", "cd\n", "18", "ef\n"),
                Aio.run(ops(file("le16.txt", le16), utf16, "L", "T", "R", "S10", "L", "T", "R")));
        Charset utf32 = Charset.forName("UTF-32");
        byte[] le32 = withMark(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, "ab\ncd\nef\n".getBytes(Charset.forName("UTF-32LE")));
        assertEquals(List.of("ab\n", "cd\nef\n", "cd\n", "28", "ef\n"),
                Aio.run(ops(file("le32.txt", le32), utf32, "L", "R", "S16", "L", "T", "R")));
    }

    /**
     * UTF-16 text written in several writes has one byte-order mark, at the start of the file, as
     * Python writes it (Java's encoder puts one before each call's text); appended text follows the
     * order of the file's mark, little-endian included, in mode 'a' (write only) and 'a+'.
     */
    @Test
    void utf16WritesPutTheMarkOnceAndFollowTheFilesOrder() throws Exception {
        Charset utf16 = java.nio.charset.StandardCharsets.UTF_16;
        Path p = dir.resolve("w16.txt");
        Aio.run(writeAll(p, "w", utf16, "a", "b"));
        assertArrayEquals(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, 'a', 0, 'b'}, Files.readAllBytes(p));
        Aio.run(writeAll(p, "a", utf16, "c"));
        assertEquals("abc", Files.readString(p, utf16));
        Path le = file("le-append.txt", new byte[] {(byte) 0xFF, (byte) 0xFE, 'x', 0});
        Aio.run(writeAll(le, "a", utf16, "y"));
        Aio.run(writeAll(le, "a+", utf16, "z"));
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xFE, 'x', 0, 'y', 0, 'z', 0}, Files.readAllBytes(le));
    }

    /** Writes {@code texts} in turn; the sum of the counts the writes gave. */
    @Async
    static Coroutine<Integer> writeAll(Path p, String mode, Charset cs, String... texts) throws IOException {
        int count = 0;
        try (AsyncFile f = await(AsyncFiles.open(p, mode, cs))) {
            for (String t : texts) {
                count += await(f.write(t));
            }
        }
        return result(count);
    }

    /**
     * A last line with no end of line is joined by what another writer appends before the next
     * readLine, as in Python, also when the batch read ahead met the end before the text was
     * appended; with nothing appended it comes on its own, then the end.
     */
    @Test
    void aLastLineWithNoNewlineJoinsWhatIsAppendedBeforeTheNextRead() throws Exception {
        Path p = file("grows.txt", "a\nb\nc".getBytes(UTF_8));
        assertEquals(List.of("a\n", "b\n", "cd\n", "e\n", ""), Aio.run(linesWhileAppending(p, "d\ne\n")));
        Files.write(p, "a\nb\nc".getBytes(UTF_8));
        assertEquals(List.of("a\n", "b\n", "c", "", ""), Aio.run(linesWhileAppending(p, "")));
        // Read ahead to an empty end: the lines appended since come all the same.
        Files.write(p, "a\nb\n".getBytes(UTF_8));
        assertEquals(List.of("a\n", "b\n", "c\n", "", ""), Aio.run(linesWhileAppending(p, "c\n")));
    }

    /**
     * The same where the lines are decoded from characters, not found in the bytes: in UTF-16, and
     * in UTF-8 after a {@code read(n)} that decoded ahead (the last line stayed in the batch, so
     * the text appended came in a line of its own).
     */
    @Test
    void aLastLineWithNoNewlineJoinsWhatIsAppendedAlsoWhenDecodedAsCharacters() throws Exception {
        Path p = file("grows16.txt", "a\nb\nc".getBytes(UTF_16LE));
        assertEquals(List.of("a\n", "b\n", "cd\n", "e\n", ""), Aio.run(linesWhileAppending(p, UTF_16LE, 0, "d\ne\n")));
        Path q = file("grows-after-read.txt", "ab\nc\nd".getBytes(UTF_8));
        assertEquals(List.of("a", "b\n", "c\n", "dQ\n", "", ""), Aio.run(linesWhileAppending(q, UTF_8, 1, "Q\n")));
    }

    /**
     * A last line with a replacement, left for the next batch, is counted by the bytes it came
     * from (it was put back as text, and tell() counted each replacement as three bytes: early,
     * or negative, and an r+ write then landed on what was read); a sequence cut by the end is
     * completed by the bytes appended; text appended to a little-endian UTF-16 file after a read
     * met its end is read little-endian (the decoder, reset at the end, looked for a mark again).
     * Each expected list is Python's.
     */
    @Test
    void aLastLineLeftForTheNextBatchCountsItsBytesAndJoinsWhatIsAppended() throws Exception {
        assertEquals(List.of("x", "a\n", "3", "b\uFFFD"),
                Aio.run(ops(file("tail-bad.txt", new byte[] {'x', 'a', '\n', 'b', (byte) 0xFF}), UTF_8, "N1", "L", "T", "L")));
        assertEquals(List.of("x", "a\n", "3"),
                Aio.run(ops(file("tail-six.txt", new byte[] {'x', 'a', '\n', -1, -1, -1, -1, -1, -1}), UTF_8, "N1", "L", "T")));
        assertEquals(List.of("a\n", "b\n", "8"),
                Aio.run(ops(file("tail-odd.txt", new byte[] {'a', 0, '\n', 0, 'b', 0, '\n', 0, 'c', 0, 'd', 0, 0x41}), UTF_16LE, "L", "L", "T")));
        Path cut = file("tail-cut.txt", java.util.HexFormat.of().parseHex("f50ac3a9610a71e2"));
        assertEquals(List.of("\uFFFD", "\n", "\u00e9a\n", "q\u20ac\n", "", ""),
                Aio.run(linesWhileAppending(cut, UTF_8, 1, java.util.HexFormat.of().parseHex("82ac0a"))));
        Path le = file("tail-le.txt", new byte[] {(byte) 0xFF, (byte) 0xFE, 'a', 0, '\n', 0});
        assertEquals(List.of("a\n", "", "b\n", "", ""),
                Aio.run(linesWhileAppending(le, java.nio.charset.StandardCharsets.UTF_16, 0, new byte[] {'b', 0, '\n', 0})));
    }

    /**
     * A {@code \r} at the end of the file, read ahead in a batch, is not a line end yet: a
     * {@code \n} appended makes it a {@code \r\n}, as Python holds the {@code \r} back (it came as
     * an empty line more, and tell() two bytes early). But once a read has returned it and met
     * the end, as Python's read does looking past it, a {@code \n} appended is a line of its own
     * (it was dropped as the second half of a {@code \r\n}). Each expected list is Python's.
     */
    @Test
    void aCrAtTheEndIsALineEndOnlyOnceAReadMetTheEndAfterIt() throws Exception {
        assertEquals(List.of("a\n", "b\n", "c\n", "", ""), Aio.run(linesWhileAppending(file("cr-tail.txt", "a\nb\nc\r".getBytes(UTF_8)), "\n")));
        assertEquals(List.of("a\n", "b\n", "c\n", "", ""),
                Aio.run(linesWhileAppending(file("cr-tail16.txt", "a\nb\nc\r".getBytes(UTF_16LE)), UTF_16LE, 0, "\n")));
        for (int n : new int[] {4, 2, -1}) {
            Path p = file("cr-read" + n + ".txt", "a\r".getBytes(UTF_8));
            assertEquals(List.of("a\n", "\n", "3"), Aio.run(readNThenAppendThenLine(p, n, "\n")), "read(" + n + ")");
        }
    }

    @Async
    static Coroutine<List<String>> readNThenAppendThenLine(Path p, int n, String appended) throws IOException {
        List<String> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(p, "r", UTF_8))) {
            got.add(await(f.read(n)));
            await(Aio.sleep(0.1));
            Files.writeString(p, appended, java.nio.file.StandardOpenOption.APPEND);
            got.add(await(f.readLine()));
            got.add(String.valueOf(await(f.tell())));
        }
        return result(got);
    }

    /** A write in r+ after a read that stopped at the {@code \r} of a {@code \r\n} lands after the {@code \n}, where tell() is. */
    @Test
    void aWriteAfterAReadEndingInTheCrOfACrLfLandsAfterTheLf() throws Exception {
        Path rw = file("crlf-rw.txt", "a\r\nb".getBytes(UTF_8));
        Aio.run(readThenWriteAtOnce(rw, 2, "X"));
        assertEquals("a\r\nX", Files.readString(rw));
        // tell() in between takes the \n as well: the same place.
        Path told = file("crlf-rw-told.txt", "a\r\nb".getBytes(UTF_8));
        assertEquals(3, Aio.run(readThenWrite(told, 2, "X")));
        assertEquals("a\r\nX", Files.readString(told));
    }

    @Async
    static Coroutine<Void> readThenWriteAtOnce(Path p, int n, String text) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(p, "r+"))) {
            await(f.read(n));
            await(f.write(text));
        }
        return done();
    }

    @Async
    static Coroutine<List<String>> linesWhileAppending(Path p, String appended) throws IOException {
        return result(await(linesWhileAppending(p, UTF_8, 0, appended)));
    }

    @Async
    static Coroutine<List<String>> linesWhileAppending(Path p, Charset cs, int readFirst, String appended) throws IOException {
        return result(await(linesWhileAppending(p, cs, readFirst, appended.getBytes(cs))));
    }

    /** Reads {@code readFirst} characters if not 0, two lines, appends {@code appended}, reads three lines more. */
    @Async
    static Coroutine<List<String>> linesWhileAppending(Path p, Charset cs, int readFirst, byte[] appended) throws IOException {
        List<String> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(p, "r", cs))) {
            if (readFirst > 0) {
                got.add(await(f.read(readFirst)));
            }
            got.add(await(f.readLine()));
            got.add(await(f.readLine()));
            // Time for the batch read ahead after the first to meet the end before the text is
            // appended (the test passes also when it has not; without the time it may not fail
            // when the readLine takes what was read ahead instead of reading again).
            await(Aio.sleep(0.1));
            Files.write(p, appended, java.nio.file.StandardOpenOption.APPEND);
            for (int i = 0; i < 3; i++) {
                got.add(await(f.readLine()));
            }
        }
        return result(got);
    }

    /**
     * After {@code read(n)}, which decodes ahead, {@code tell()} counts a replacement for malformed
     * input as the bytes it stands for (a lone 0xFF is one, a cut sequence two), as Python's offsets
     * do, and a write in {@code r+} lands there (it counted each replacement as its own three bytes:
     * short, or a negative position).
     */
    @Test
    void tellAfterReadOfNCountsTheBytesAReplacementStandsFor() throws Exception {
        byte[] bad = {'a', 'b', (byte) 0xFF, 'c', (byte) 0xE2, (byte) 0x82, 'd', '\n', 'e', 'f', (byte) 0xF0, (byte) 0x9F, '\n'};
        assertEquals(List.of("ab\uFFFD", "3", "c\uFFFD", "6", "d\n", "8", "ef\uFFFD", "12", "\n", "3", "c\uFFFDd\n"),
                Aio.run(ops(file("replaced.txt", bad), UTF_8, "N3", "T", "N2", "T", "L", "T", "N3", "T", "R", "S3", "T", "L")));
        Path rw = file("replaced-rw.txt", bad);
        assertEquals(3, Aio.run(readThenWrite(rw, 3, "XY")));
        byte[] want = bad.clone();
        want[3] = 'X';
        want[4] = 'Y';
        assertArrayEquals(want, Files.readAllBytes(rw));
    }

    /**
     * A replacement for a four-byte sequence cut short, the last character read before tell():
     * counted by the three bytes it took (the decoders want room for two characters before they
     * look at such a sequence, and stopped short of it when counting the characters read, so
     * tell() came out three bytes early, lines were read twice and a write in r+ landed on them).
     */
    @Test
    void tellAfterAReplacementOfACutFourByteSequenceCountsItsThreeBytes() throws Exception {
        byte[] bad = {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, 'a', '\n', (byte) 0xFF, '\n', 'b', '\n'};
        assertEquals(List.of("\uFFFD", "a\n", "5", "\uFFFD\n", "b\n", ""),
                Aio.run(ops(file("cut-four.txt", bad), UTF_8, "N1", "L", "T", "L", "L", "L")));
        byte[] bad2 = {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, 'a', 'b', (byte) 0xFF, '\n'};
        Path rw = file("cut-four-rw.txt", bad2);
        assertEquals(3, Aio.run(readThenWrite(rw, 1, "XY")));
        assertArrayEquals(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, 'X', 'Y', (byte) 0xFF, '\n'}, Files.readAllBytes(rw));
    }

    /**
     * A lone UTF-16 surrogate is one replacement for its own two bytes, and the unit after it is
     * decoded as what it is, as Python decodes it: the JDK's decoders took the next unit into the
     * replacement, so the character after a lone high surrogate was lost (here the euro sign, and
     * a valid pair after one became a second replacement). Offsets count the bytes (Python's too).
     */
    @Test
    void aLoneUtf16SurrogateIsOneReplacementAndLosesNoCharacterAfterIt() throws Exception {
        byte[] le = java.util.HexFormat.of().parseHex("e900620000d8ac200a0000d800d800dc0a0000dc6300");
        assertEquals(List.of("\u00e9b\uFFFD\u20ac\n", "10", "\uFFFD\uD800\uDC00\n", "18", "\uFFFDc", ""),
                Aio.run(ops(file("lone-surrogates.txt", le), UTF_16LE, "L", "T", "L", "T", "L", "L")));
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i += 2) {
            be[i] = le[i + 1];
            be[i + 1] = le[i];
        }
        // With a mark, in UTF-16: the order is the mark's; a high surrogate cut by the end is one replacement.
        byte[] marked = withMark(new byte[] {(byte) 0xFE, (byte) 0xFF}, java.util.Arrays.copyOf(be, be.length + 2));
        marked[marked.length - 2] = (byte) 0xD8;
        assertEquals(List.of("\u00e9b\uFFFD\u20ac\n\uFFFD\uD800\uDC00\n\uFFFDc\uFFFD"),
                Aio.run(ops(file("lone-surrogates-be.txt", marked), java.nio.charset.StandardCharsets.UTF_16, "R")));
    }

    /**
     * Lines decoded with a replacement go back to the file by the bytes the replacement stands
     * for, found by decoding them again (they went back as text, and tell() then counted the
     * replacement as three bytes and a {@code \r\n} end as one).
     */
    @Test
    void linesWithAReplacementGoBackByTheBytesItStandsFor() throws Exception {
        byte[] bad = {'a', '\n', (byte) 0xFF, '\r', '\n', 'b', (byte) 0xE2, (byte) 0x82, '\n', 'c', '\n'};
        assertEquals(List.of("a", "\n", "2", "\uFFFD\n", "5", "b\uFFFD\n", "9", "c\n", "11", ""),
                Aio.run(ops(file("replaced-lines.txt", bad), UTF_8, "N1", "L", "T", "L", "T", "L", "T", "L", "T", "L")));
        assertEquals(List.of("a", "\n", "\uFFFD\n", "5", "\uFFFD\n", "b\uFFFD\n"),
                Aio.run(ops(file("replaced-lines2.txt", bad), UTF_8, "N1", "L", "L", "T", "S2", "L", "L")));
    }

    @Async
    static Coroutine<Long> readThenWrite(Path p, int n, String text) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(p, "r+"))) {
            await(f.read(n));
            long at = await(f.tell());
            await(f.write(text));
            return result(at);
        }
    }

    /** {@code read(n)} and {@code write}'s count are in code points, as Python's: a character outside the BMP is one, never split. */
    @Test
    void readOfNCountsCodePoints() throws Exception {
        Path p = file("astral.txt", "a\uD83D\uDE00b\uD83D\uDE00c".getBytes(UTF_8));
        assertEquals(List.of("a\uD83D\uDE00", "b\uD83D\uDE00", "c"), Aio.run(ops(p, UTF_8, "N2", "N2", "N5")));
        assertEquals(3, Aio.run(writeAll(dir.resolve("astral-out.txt"), "w", UTF_8, "a\uD83D\uDE00b")));
    }

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static byte[] withMark(byte[] mark, byte[] text) {
        byte[] all = java.util.Arrays.copyOf(mark, mark.length + text.length);
        System.arraycopy(text, 0, all, mark.length, text.length);
        return all;
    }

    /** Runs {@code script} on {@code p} opened "r": Nk read(k), L readLine, R read(), T tell, Sk seek(k). */
    @Async
    static Coroutine<List<String>> ops(Path p, Charset cs, String... script) throws IOException {
        List<String> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(p, "r", cs))) {
            for (String op : script) {
                int k = op.length() > 1 ? Integer.parseInt(op.substring(1)) : 0;
                switch (op.charAt(0)) {
                    case 'N' -> got.add(await(f.read(k)));
                    case 'L' -> got.add(await(f.readLine()));
                    case 'R' -> got.add(await(f.read()));
                    case 'T' -> got.add(String.valueOf(await(f.tell())));
                    case 'S' -> await(f.seek(k));
                    default -> throw new IllegalArgumentException(op);
                }
            }
        }
        return result(got);
    }

    @Async
    static Coroutine<List<String>> partThenLinesAroundATell(Path p, Charset cs) throws IOException {
        List<String> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(p, "r", cs))) {
            got.add(await(f.read(1)));
            got.add(await(f.readLine()));
            await(f.tell());
            for (int i = 0; i < 3; i++) {
                got.add(await(f.readLine()));
            }
        }
        return result(got);
    }

    @Async
    static Coroutine<List<String>> crlfGivenBack(Path p, String mode, Charset cs) throws IOException {
        List<String> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(p, mode, cs))) {
            for (int i = 0; i < 10; i++) {
                await(f.readLine());
            }
            long at = await(f.tell());
            got.add(String.valueOf(at));
            got.add(await(f.read(5)));
            got.add(await(f.readLine()));
            await(f.seek(at));
            got.add(String.valueOf(await(f.tell())));
            got.add(await(f.readLine()));
            if (mode.equals("r+")) {
                await(f.write("#"));
            }
        }
        return result(got);
    }

    /**
     * A {@code readLine} cancelled, or timed out, while its batch is read (here held up by a FIFO
     * whose writer waits) loses no line: the batch is the file's until a read takes it, and the
     * next read gives it, even after a second reader was cancelled the same way.
     */
    @Test
    void readLinesCancelledOrTimedOutWhileTheirBatchIsReadLoseNoLine() throws Exception {
        Path fifo = fifo("fifo");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            expected.add(String.format("%099d", i) + "\n");
        }
        // 700 lines first: a FIFO's batch is what its writer sent so far, so the reader takes all
        // 700, then its next batch waits in the FIFO until the writer is let go.
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        Throwable[] writerFailed = new Throwable[1];
        Thread writer = new Thread(() -> {
            try (java.io.OutputStream out = Files.newOutputStream(fifo)) {
                out.write(String.join("", expected.subList(0, 700)).getBytes(UTF_8));
                out.flush();
                gate.await();
                out.write(String.join("", expected.subList(700, 800)).getBytes(UTF_8));
            } catch (IOException | InterruptedException e) {
                writerFailed[0] = e;
            }
        });
        writer.start();
        List<String> got = Aio.run(interruptWhileReading(fifo, gate));
        writer.join();
        assertEquals(null, writerFailed[0]);
        assertEquals(expected, got);
    }

    @Async
    static Coroutine<List<String>> interruptWhileReading(Path fifo, java.util.concurrent.CountDownLatch gate)
            throws IOException {
        List<String> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(fifo, "r"))) {
            Task<Void> reader = createTask(readForever(f, got));
            while (got.size() < 700 && !reader.isDone()) {
                await(Aio.sleep(0));
            }
            // The reader took what was sent and waits for the next batch, which waits for the writer.
            await(Aio.sleep(0));
            assertFalse(reader.isDone());
            reader.cancel();
            try {
                await(reader);
                throw new AssertionError("the reader was not cancelled");
            } catch (dev.weft.runtime.CancelledError expected) {
                // As asked.
            }
            // A second reader, cancelled while its job waits for the first one's batch.
            Task<Void> second = createTask(readForever(f, got));
            await(Aio.sleep(0));
            await(Aio.sleep(0));
            assertFalse(second.isDone());
            second.cancel();
            try {
                await(second);
                throw new AssertionError("the second reader was not cancelled");
            } catch (dev.weft.runtime.CancelledError expected) {
                // As asked.
            }
            // A third read, out of time while the batch still waits.
            try (dev.weft.runtime.Timeout t = Aio.timeout(0.05)) {
                got.add(await(f.readLine()));
                throw new AssertionError("the read did not time out");
            } catch (dev.weft.runtime.TimeoutError expected) {
                // As asked.
            }
            int before = got.size();
            gate.countDown();
            for (AsyncIterator<String> it = f.lines(); await(it.hasNext()); ) {
                got.add(it.next());
            }
            assertEquals(700, before, "lines the readers took before they were stopped");
        }
        return result(got);
    }

    /**
     * A FIFO whose writer sent a line and waits: the line is read at once, and the close does not
     * wait for the writer (no batch is read ahead from a file without a position).
     */
    @Test
    void aLineFromAFifoComesAtOnceAndTheCloseDoesNotWaitForTheWriter() throws Exception {
        Path fifo = fifo("header-fifo");
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        Thread writer = new Thread(() -> {
            try (java.io.OutputStream out = Files.newOutputStream(fifo)) {
                out.write("header\n".getBytes(UTF_8));
                out.flush();
                closed.await();
            } catch (IOException | InterruptedException e) {
                // The reader closed first: the write end may see a broken pipe, which is fine.
            }
        });
        writer.start();
        try {
            assertEquals("header\n", Aio.run(firstLine(fifo)));
        } finally {
            closed.countDown();
            writer.join();
        }
    }

    @Async
    static Coroutine<String> firstLine(Path p) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(p, "r"))) {
            return result(await(f.readLine()));
        }
    }

    /** A reader cancelled after the batch it waits for came in leaves that batch to the next read. */
    @Test
    void aReaderCancelledAfterItsBatchArrivedLosesNoLine() throws Exception {
        Path p = dir.resolve("cancel-late.txt");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            all.append(i).append('\n');
        }
        Files.writeString(p, all);
        assertEquals(all.toString(), Aio.run(cancelLate(p)));
    }

    @Async
    static Coroutine<String> cancelLate(Path p) throws IOException, InterruptedException {
        List<String> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(p, "r"))) {
            got.add(await(f.readLine()));
            Task<Void> reader = createTask(readForever(f, got));
            await(Aio.sleep(0));
            // The loop stands still while the batch the reader waits for is read: it is done by
            // the time the reader is cancelled, and the cancel still reaches the reader first.
            Thread.sleep(300);
            await(Aio.sleep(0));
            await(Aio.sleep(0));
            reader.cancel();
            try {
                await(reader);
                throw new AssertionError("the reader was not cancelled");
            } catch (dev.weft.runtime.CancelledError expected) {
                // As asked.
            }
            for (AsyncIterator<String> it = f.lines(); await(it.hasNext()); ) {
                got.add(it.next());
            }
        }
        return result(String.join("", got));
    }

    /** Two tasks reading lines of one file at once get every line once between them. */
    @Test
    void twoReadersAtOnceGetEveryLineOnce() throws Exception {
        Path p = dir.resolve("two-readers.txt");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            all.append(i).append('\n');
        }
        Files.writeString(p, all);
        List<String> got = Aio.run(twoReaders(p));
        assertEquals(100_000, got.size());
        assertEquals(100_000, new java.util.HashSet<>(got).size());
    }

    @Async
    static Coroutine<List<String>> twoReaders(Path p) throws IOException {
        List<String> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(p, "r"))) {
            got.add(await(f.readLine()));
            await(Aio.gather(untilEnd(f, got), untilEnd(f, got)));
        }
        return result(got);
    }

    @Async
    static Coroutine<Void> untilEnd(AsyncFile f, List<String> got) throws IOException {
        for (String line = await(f.readLine()); !line.isEmpty(); line = await(f.readLine())) {
            got.add(line);
        }
        return done();
    }

    @Test
    void aBatchEndingInTheCrOfACrLfGivesNoEmptyLineWhenItIsGivenBack() throws Exception {
        Path p = dir.resolve("crlf.txt");
        StringBuilder raw = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; raw.length() < 400_000; i++) {
            // Lengths that put the \r of some \r\n last in a batch of 64 Ki characters.
            String body = "y".repeat(i % 97);
            raw.append(body).append("\r\n");
            expected.add(body + "\n");
        }
        Files.writeString(p, raw);
        assertEquals(expected, Aio.run(linesWithTellBetween(p)));
    }

    @Async
    static Coroutine<List<String>> linesWithTellBetween(Path p) throws IOException {
        List<String> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(p, "r"))) {
            while (true) {
                String line = await(f.readLine());
                if (line.isEmpty()) {
                    break;
                }
                got.add(line);
                if (got.size() % 500 == 0) {
                    // Gives the cached and the read-ahead lines back to the file.
                    await(f.tell());
                }
            }
        }
        return result(got);
    }

    @Async
    static Coroutine<Void> readForever(AsyncFile f, List<String> got) throws IOException {
        while (true) {
            got.add(await(f.readLine()));
        }
    }

    /** The eight-bytes-at-a-time scan against the plain one, over bytes of every kind and every offset. */
    @Test
    void theLineEndScanFindsTheFirstLfOrCrAsAPlainScanDoes() {
        java.util.Random random = new java.util.Random(42);
        byte[] kinds = {'\n', '\r', 'x', 0, (byte) 0x8a, (byte) 0x8d, (byte) 0xff, 0x0b, 0x09, 0x0e, 0x0c};
        for (int round = 0; round < 20_000; round++) {
            byte[] a = new byte[random.nextInt(40)];
            for (int i = 0; i < a.length; i++) {
                // Line ends are rare in most arrays, so the fast path and the tail both run.
                a[i] = random.nextInt(round % 3 + 2) == 0 ? kinds[random.nextInt(kinds.length)] : (byte) random.nextInt(256);
            }
            int from = a.length == 0 ? 0 : random.nextInt(a.length);
            int to = from + random.nextInt(a.length - from + 1);
            int plain = from;
            while (plain < to && a[plain] != '\n' && a[plain] != '\r') {
                plain++;
            }
            assertEquals(plain, FileState.endOfLine(a, from, to), () -> java.util.Arrays.toString(a) + " from " + from
                    + " to " + to);
        }
    }

    /** A new FIFO (named pipe) in the test's folder. */
    private Path fifo(String name) throws IOException, InterruptedException {
        Path p = dir.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
        assertEquals(0, mk.waitFor(), "mkfifo " + p);
        return p;
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

    /**
     * A whole read finds a {@code \r} wherever it is: in the first slice, at a slice's edge, deep in
     * a later slice, in what a readLine left buffered, or nowhere (the text is then not scanned again).
     */
    @Test
    void aWholeReadOfABigFileTranslatesACrAnywhereInIt() throws Exception {
        int size = 3 * 1024 * 1024 + 17;
        for (int at : new int[] {5, 1024 * 1024 - 1, 1024 * 1024, 2 * 1024 * 1024 + 12_345, size - 1, -1}) {
            byte[] raw = new byte[size];
            for (int i = 0; i < size; i++) {
                raw[i] = (byte) (i % 80 == 79 ? '\n' : 'a' + i % 26);
            }
            if (at >= 0) {
                raw[at] = '\r';
            }
            Path p = dir.resolve("cr.txt");
            Files.write(p, raw);
            String expected = new String(raw, UTF_8).replace('\r', '\n');
            assertEquals(expected, Aio.run(readAll(p)), "\\r at " + at);
            // A line first: the rest of the buffer it was read from is scanned as well as the channel's.
            int first = expected.indexOf('\n') + 1;
            assertEquals(List.of(expected.substring(0, first), expected.substring(first)), Aio.run(lineThenRest(p, UTF_8)),
                    "\\r at " + at + ", after a line");
        }
    }

    @Test
    void theCrScanFindsACrAtEveryOffsetAndNothingElse() {
        for (int len = 0; len < 80; len++) {
            byte[] a = new byte[len + 3];
            java.util.Arrays.fill(a, (byte) ('\r' + 1));
            a[0] = '\r';
            a[len + 2] = '\r';
            assertFalse(FileState.hasCr(a, 1, len + 2), "none in " + len);
            for (int i = 1; i < len + 2; i++) {
                a[i] = '\r';
                assertTrue(FileState.hasCr(a, 1, len + 2), "at " + i + " of " + len);
                a[i] = (byte) ('\r' - 1);
                assertFalse(FileState.hasCr(a, 1, len + 2), "\\f at " + i + " of " + len);
                a[i] = (byte) ('\r' + 128);
                assertFalse(FileState.hasCr(a, 1, len + 2), "0x8d at " + i + " of " + len);
                a[i] = (byte) ('\r' + 1);
            }
        }
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

    @Test
    void linesOfMalformedUtf8ReadAsTheWholeFileDoes() throws Exception {
        Path p = dir.resolve("malformed.txt");
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 20_000; i++) {
            // A cut three-byte sequence before the end of line, a stray continuation byte, a lone \r.
            raw.writeBytes(("l" + i).getBytes(UTF_8));
            raw.writeBytes(i % 3 == 0 ? new byte[] {(byte) 0xE2, (byte) 0x82} : new byte[] {(byte) 0x82});
            raw.writeBytes(i % 4 == 0 ? new byte[] {'\r'} : new byte[] {'\r', '\n'});
        }
        raw.writeBytes(new byte[] {'e', 'n', 'd', (byte) 0xE2});
        Files.write(p, raw.toByteArray());
        List<String> lines = Aio.run(lines(p));
        assertEquals(20_001, lines.size());
        assertEquals(Aio.run(readAll(p)), String.join("", lines));
        assertEquals("l0\uFFFD\n", lines.get(0));
        assertEquals("end\uFFFD", lines.get(20_000));
    }

    @Test
    void aReadRightAfterTheOpenGivesTheFileAsItWasThenAndTheNextReadWhatCameSince() throws Exception {
        Path p = dir.resolve("grows.txt");
        Files.writeString(p, "at open\r\n");
        assertEquals(List.of("at open\n", "since\n", ""), Aio.run(readGrowRead(p)));
        Files.write(p, new byte[] {1, 2});
        assertEquals(List.of(2, 1, 0), Aio.run(readGrowReadBytes(p)));
        Files.writeString(p, "a\n");
        assertEquals(List.of("a\n", "", "b\n", ""), Aio.run(linesWhileGrowing(p)));
    }

    @Async
    static Coroutine<List<String>> linesWhileGrowing(Path p) throws IOException {
        List<String> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(p, "r"))) {
            got.add(await(f.readLine()));
            got.add(await(f.readLine()));
            // At the end once: a line appended since is read, as Python's readline does.
            Files.writeString(p, "b\n", java.nio.file.StandardOpenOption.APPEND);
            got.add(await(f.readLine()));
            got.add(await(f.readLine()));
        }
        return result(got);
    }

    @Async
    static Coroutine<List<String>> readGrowRead(Path p) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(p, "r"))) {
            // The open read the small file whole; what is appended after it is read by the next read.
            Files.writeString(p, "since\n", java.nio.file.StandardOpenOption.APPEND);
            String first = await(f.read());
            return result(List.of(first, await(f.read()), await(f.read())));
        }
    }

    @Async
    static Coroutine<List<Integer>> readGrowReadBytes(Path p) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(p, "rb"))) {
            Files.write(p, new byte[] {3}, java.nio.file.StandardOpenOption.APPEND);
            int first = await(f.readBytes()).length;
            return result(List.of(first, await(f.readBytes()).length, await(f.readBytes()).length));
        }
    }

    @Test
    void aFileReadWholeAtTheOpenStillSeeksTellsAndReadsInParts() throws Exception {
        Path p = dir.resolve("parts.txt");
        Files.writeString(p, "héllo\nworld\n");
        assertEquals(List.of("0", "hé", "3", "llo\n", "world\n", "13", "world\n"), Aio.run(parts(p)));
    }

    @Async
    static Coroutine<List<String>> parts(Path p) throws IOException {
        List<String> got = new ArrayList<>();
        try (AsyncFile f = await(AsyncFiles.open(p, "r"))) {
            got.add(String.valueOf(await(f.tell())));
            got.add(await(f.read(2)));
            got.add(String.valueOf(await(f.tell())));
            got.add(await(f.readLine()));
            got.add(await(f.read()));
            got.add(String.valueOf(await(f.tell())));
            await(f.seek(7));
            got.add(await(f.read()));
        }
        return result(got);
    }

    @Test
    void writesPastSeveralBuffersLandInOrderWithTellAndFlushBetween() throws Exception {
        Path text = dir.resolve("behind.txt");
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 60_000; i++) {
            expected.append("line ").append(i).append(i % 7 == 0 ? "é€" : "").append('\n');
        }
        Aio.run(writeLinesWithTells(text, 60_000));
        assertEquals(expected.toString(), Files.readString(text));
        Path bin = dir.resolve("behind.bin");
        byte[] got = Aio.run(writeBinaryChunks(bin));
        assertArrayEquals(got, Files.readAllBytes(bin));
    }

    @Async
    static Coroutine<Void> writeLinesWithTells(Path p, int n) throws IOException {
        long written = 0;
        try (AsyncFile f = await(AsyncFiles.open(p, "w"))) {
            for (int i = 0; i < n; i++) {
                String line = "line " + i + (i % 7 == 0 ? "é€" : "") + "\n";
                await(f.write(line));
                written += line.getBytes(UTF_8).length;
                if (i % 9_999 == 0) {
                    // Waits for the write-behind in flight and the buffer: the offset counts every byte.
                    assertEquals(written, (long) await(f.tell()));
                }
                if (i % 20_011 == 0) {
                    await(f.flush());
                    assertEquals(written, Files.size(p));
                }
            }
        }
        return done();
    }

    @Async
    static Coroutine<byte[]> writeBinaryChunks(Path p) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        try (AsyncFile f = await(AsyncFiles.open(p, "wb"))) {
            for (int i = 0; i < 3_000; i++) {
                // Sizes around the buffer's, one past it: a large write after buffered small ones.
                byte[] b = new byte[i % 500 == 0 ? 70_000 : 1 + (i * 131) % 900];
                java.util.Arrays.fill(b, (byte) i);
                await(f.write(b));
                all.write(b, 0, b.length);
                b[0] = (byte) (i + 1); // the file keeps what was written, not what the array holds later
            }
        }
        return result(all.toByteArray());
    }

    @Test
    void aWriteBehindsFailureIsThrownAtALaterAwaitAndCloseStillClosesTheFile() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs /dev/full (Linux)");
        long before = descriptorsOf(full);
        int[] writes = {0};
        IOException e = assertThrows(IOException.class, () -> Aio.run(writeUntilFailure(full, false, writes)));
        // Thrown by the write that sends the buffer after the failed one (the first write-behind takes
        // 64 KiB, the second 128 KiB: 1000-byte writes 66 and 198 send them), not by the flush at the end.
        assertEquals(197, writes[0], "writes that went through");
        assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("space"), e.getMessage());
        assertEquals(before, descriptorsOf(full), "the failed file's channel is closed");
        // Only buffered writes, no flush: close throws their failure, and still closes the channel.
        IOException atClose = assertThrows(IOException.class,
                () -> Aio.run(writeUntilFailure(full, true, new int[1])));
        assertTrue(atClose.getMessage().toLowerCase(java.util.Locale.ROOT).contains("space"), atClose.getMessage());
        assertEquals(before, descriptorsOf(full), "closed although its last write failed");
    }

    @Async
    static Coroutine<Integer> writeUntilFailure(Path p, boolean stopAfterFirstBuffer, int[] writes)
            throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(p, "wb"))) {
            byte[] b = new byte[1000];
            if (stopAfterFirstBuffer) {
                await(f.write(b));
                return result(1);
            }
            // 64 KiB and more: a write-behind starts; its failure is thrown at a later await.
            for (int i = 0; i < 10_000; i++) {
                await(f.write(b));
                writes[0]++;
            }
            await(f.flush());
        }
        return result(writes[0]);
    }

    /**
     * An open cancelled while its job is still opening the file (a FIFO, whose open waits for a
     * writer), its loop closed before the job ends: the job closes the file it opened then, since
     * nothing on the closed loop is left to close it.
     */
    @Test
    void anOpenCancelledWhileItsJobRunsClosesTheFileItOpensAfterTheLoopClosed() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(300);
                // Opening the write end lets the job's open of the read end return; closing it is the end of file.
                java.nio.channels.FileChannel.open(fifo, java.nio.file.StandardOpenOption.WRITE).close();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, "fifo-writer");
        dev.weft.runtime.EventLoop loop = Aio.newEventLoop();
        try {
            assertEquals("cancelled", loop.runUntilComplete(openAndCancel(fifo)));
            writer.start();
        } finally {
            loop.close();   // waits for the file job, which the writer lets finish
        }
        writer.join();
        assertEquals(0, descriptorsOf(fifo), "the file the cancelled open's job opened is closed");
    }

    @Async
    static Coroutine<String> openAndCancel(Path fifo) throws IOException {
        Task<AsyncFile> opening = Aio.createTask(AsyncFiles.open(fifo, "r"));
        await(Aio.sleep(0.05));
        opening.cancel();
        try {
            await(opening);
            return result("opened");
        } catch (dev.weft.runtime.CancelledError e) {
            return result("cancelled");
        }
    }

    private static long descriptorsOf(Path target) throws IOException {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void aCloseStartedOutsideAsyncCodeEndsBeforeTheLoopDoes() throws Exception {
        Path p = dir.resolve("unawaited-close.txt");
        String text = "z".repeat(40_000) + "\n";
        Aio.run(writeAndCloseWithoutWaiting(p, text));
        // Aio.run returned: the loop waited for the close job, which wrote the buffer.
        assertEquals(text, Files.readString(p));
    }

    @Async
    static Coroutine<Void> writeAndCloseWithoutWaiting(Path p, String text) throws IOException {
        AsyncFile f = await(AsyncFiles.open(p, "w"));
        await(f.write(text));
        closeNow(f);
        return done();
    }

    @Test
    void aClosingLoopWaitsForItsFileJobs() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        dev.weft.runtime.EventLoop loop = Aio.newEventLoop();
        loop.runUntilComplete(startAJobThatEndsAfterTheLoopCloses(finished));
        loop.close();
        assertTrue(finished.get(), "the loop's close returned before a file job it started had ended");
    }

    @Async
    static Coroutine<Void> startAJobThatEndsAfterTheLoopCloses(java.util.concurrent.atomic.AtomicBoolean finished) {
        dev.weft.runtime.EventLoop loop = Aio.getRunningLoop();
        java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
        // Runs first as the loop closes: before the files' own close hook, which the first file job
        // registers, and before the default executor is shut down.
        dev.weft.runtime.kernel.Engine.get().io(loop).atClose(closing::countDown);
        FileJobs.run(loop, () -> {
            closing.await();
            Thread.sleep(100);
            finished.set(true);
            return null;
        });
        return done();
    }

    /** Not woven: the plain {@code close()}, which starts the close and returns. */
    private static void closeNow(AsyncFile f) {
        f.close();
    }
}
