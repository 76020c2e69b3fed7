package dev.weft.runtime.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The blocking side of an {@link AsyncFile}, run on executor threads, one call at a time: a
 * {@link FileChannel} with a read buffer, and in text mode a decoder with Python's universal
 * newlines ({@code \r} and {@code \r\n} read as {@code \n}).
 */
final class FileState {
    private static final int BUFFER = 64 * 1024;
    /** The smallest read buffer: a small file gets one of about its size, not 64 KiB of zeroes. */
    private static final int MIN_BUFFER = 512;
    /** Large reads and writes go to the channel in slices of this, as the JDK copies each through a direct buffer. */
    private static final int SLICE = 1024 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final Mode mode;
    private final Charset charset;
    /** Null in binary mode; after a seek past the start of a UTF-16 or UTF-32 file, one of the order its mark gave. */
    private CharsetDecoder decoder;
    /** Text in UTF-8: lines are found in the bytes ({@link #readLineUtf8()}). */
    private final boolean utf8;
    /** UTF-16 or UTF-32, whose decoders find the byte order in a mark at the file's start ({@link #markAtStart}). */
    private final boolean orderFromMark;
    /** Bytes read from the channel and not yet returned or decoded; in read mode (flipped). */
    private ByteBuffer bytes;
    /** Decoded characters not yet returned (text mode); in read mode. */
    private CharBuffer chars;
    /**
     * The byte offset in the file of {@link #chars}' first character, decoded from there by one
     * {@link #decodeMore}; -1 when unknown (text put back by {@link #unread}, a file with no
     * position). {@link #tell()} decodes from it again to count a replacement's bytes.
     */
    private long charsFrom = -1;
    /** A {@code \r} was returned as {@code \n}: a {@code \n} right after it is dropped. */
    private boolean skipLf;
    /** Set by {@link #readAll}: false only when the bytes it returned were scanned and hold no {@code \r}. */
    private boolean restHasCr;
    /**
     * Bytes taken by the line scan of the bytes ({@link #readLineUtf8()}, {@link #takeLfAfterCr()}):
     * {@link #readLines} gives each line the bytes it came from, so a batch given back is put back
     * by its bytes ({@link #seekToLine}), exactly, whatever its line ends were.
     */
    private long taken;
    /** The bytes of the byte-order mark {@link Charset#encode} puts first, once known ({@link #encodedLength}); -1 before. */
    private int mark = -1;
    private boolean eof;
    /** Set by {@link #prefetch}: the read buffer holds the whole file as it was then, up to its end. */
    private boolean prefetchedWhole;
    /** Set when the channel turned out to have no position (a FIFO, a device). */
    private volatile boolean noPosition;
    /** A write-behind's failure, thrown by the next job of the file ({@link #throwDeferred()}). */
    private final java.util.concurrent.atomic.AtomicReference<Exception> deferred =
            new java.util.concurrent.atomic.AtomicReference<>();

    FileState(Path path, FileChannel channel, Mode mode, Charset charset) {
        this.path = path;
        this.channel = channel;
        this.mode = mode;
        this.charset = charset;
        this.utf8 = !mode.binary() && charset.equals(StandardCharsets.UTF_8);
        this.orderFromMark = charset.name().equals("UTF-16") || charset.name().equals("UTF-32");
        this.decoder = mode.binary() ? null : decoderOf(charset);
    }

    private static CharsetDecoder decoderOf(Charset cs) {
        CharsetDecoder ours = Utf16Decoder.of(cs);
        return (ours != null ? ours : cs.newDecoder()).onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }

    /**
     * The decoder for text from {@code offset} on. UTF-16 and UTF-32 find their byte order in the
     * mark at the file's start; a decoder started anywhere else would guess big-endian, so past the
     * start it is the fixed order the file's first bytes give (big-endian without a mark, as theirs).
     */
    private CharsetDecoder decoderAt(long offset) throws IOException {
        if (!orderFromMark) {
            decoder.reset();
            return decoder;
        }
        if (offset == 0) {
            return decoderOf(charset);
        }
        return decoderOf(Charset.forName(charset.name() + (markAtStart() < 0 ? "LE" : "BE")));
    }

    /**
     * The byte-order mark at the start of a UTF-16 or UTF-32 file: its length, negated when it
     * says little-endian; 0 without one or in another charset. Positional reads: the channel's
     * position stays where it is.
     */
    private int markAtStart() throws IOException {
        return markAtStart(channel);
    }

    /** {@link #markAtStart()} read through {@code from}. */
    private int markAtStart(FileChannel from) throws IOException {
        if (!orderFromMark) {
            return 0;
        }
        boolean utf16 = charset.name().equals("UTF-16");
        ByteBuffer head = ByteBuffer.allocate(4);
        while (head.hasRemaining()) {
            if (from.read(head, head.position()) <= 0) {
                break;
            }
        }
        byte[] h = head.array();
        int n = head.position();
        int b0 = h[0] & 0xFF;
        int b1 = h[1] & 0xFF;
        if (utf16) {
            return n < 2 ? 0 : b0 == 0xFE && b1 == 0xFF ? 2 : b0 == 0xFF && b1 == 0xFE ? -2 : 0;
        }
        if (n < 4) {
            return 0;
        }
        return b0 == 0 && b1 == 0 && h[2] == (byte) 0xFE && h[3] == (byte) 0xFF ? 4
                : b0 == 0xFF && b1 == 0xFE && h[2] == 0 && h[3] == 0 ? -4 : 0;
    }

    // ---------------------------------------------------------------- prefetch

    /**
     * Reads a file shorter than {@code max} bytes whole into the read buffer, in the open's job, so
     * that a {@code read()} right after the open needs no job of its own. A failure here is left for
     * the read to meet again and report.
     */
    synchronized void prefetch(int max) {
        try {
            // Right after the open of a read-only file: at its start.
            long left = channel.size();
            if (left >= max) {
                return;
            }
            if (left == 0) {
                // Empty, or a FIFO (no position): the open must not wait for a FIFO's first bytes.
                leftOnDisk();
                if (noPosition) {
                    return;
                }
            }
            // Room for the whole file and one byte more, so that the read after it meets the end.
            bytes = ByteBuffer.allocate((int) Math.max(MIN_BUFFER, left + 1)).flip();
            while (!eof && bytes.limit() < bytes.capacity()) {
                fill();
            }
            prefetchedWhole = eof;
        } catch (IOException | RuntimeException e) {
            // What was read stays buffered for the reads; they meet the failure again.
            prefetchedWhole = false;
        }
    }

    /** Whether {@link #prefetch} read the whole file; read once, on the loop's thread, after the open. */
    synchronized boolean prefetchedWhole() {
        boolean w = prefetchedWhole;
        prefetchedWhole = false;
        return w;
    }

    /**
     * The rest of a prefetched file as text, from the read buffer only (no system call: for the
     * loop's thread). The next read asks the channel again, so what was written to the file since
     * the open is read then.
     */
    synchronized String takePrefetchedText() {
        eof = false;
        return decodeRest(takeBuffered(), true);
    }

    /** {@link #takePrefetchedText()} in bytes. */
    synchronized byte[] takePrefetchedBytes() {
        eof = false;
        return takeBuffered();
    }

    private byte[] takeBuffered() {
        if (bytes == null) {
            return new byte[0];
        }
        byte[] r = new byte[bytes.remaining()];
        bytes.get(r);
        return r;
    }

    /** Forgets that a read met the end, so that the next read asks the channel again. */
    synchronized void forgetEnd() {
        eof = false;
    }

    // ---------------------------------------------------------------- write-behind

    /** Writes {@code data[0, len)} for a write-behind job: a failure is kept for the next job to throw. */
    synchronized void writeBehind(byte[] data, int len) {
        try {
            writeBytes(data, len);
        } catch (IOException | RuntimeException e) {
            deferred.compareAndSet(null, e);
        }
    }

    /** Throws, once, what a write-behind failed with. From any thread: it takes no lock. */
    void throwDeferred() throws IOException {
        Exception e = deferred.getAndSet(null);
        if (e != null) {
            if (e instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e;
        }
    }

    // ---------------------------------------------------------------- bytes

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        ensureBytes();
        bytes.compact();
        int n;
        try {
            n = channel.read(bytes);
        } finally {
            bytes.flip();
        }
        if (n < 0) {
            eof = true;
            return false;
        }
        return true;
    }

    /**
     * Gives the read buffer a size fit for what is left of the file (a 4 KiB file costs no 64 KiB
     * buffer), and lets it grow to {@link #BUFFER} when an empty one is too small.
     */
    private void ensureBytes() throws IOException {
        if (bytes != null && (bytes.capacity() >= BUFFER || bytes.hasRemaining())) {
            return;
        }
        int want = (int) Math.min(BUFFER, Math.max(MIN_BUFFER, leftOnDisk() + 1));
        if (bytes == null || bytes.capacity() < want) {
            bytes = ByteBuffer.allocate(want).flip();
        }
    }

    /**
     * How many bytes the file holds past the channel's position, as far as its size tells; 0 for
     * one that has no position (a FIFO: its reads go on until its writer closes it).
     */
    private long leftOnDisk() throws IOException {
        long size = channel.size();
        long at;
        try {
            at = channel.position();
        } catch (IOException notSeekable) {
            // "Illegal seek": a pipe or a device. A real failure of the file meets the read again.
            noPosition = true;
            return 0;
        }
        return Math.max(0, size - at);
    }

    /**
     * Whether the channel has a position, as far as its reads showed (a FIFO's first read finds
     * out); from any thread.
     */
    boolean hasPosition() {
        return !noPosition;
    }

    /**
     * Reads into {@code b} (a heap buffer) until it is full or the channel ends, a slice at a time.
     * With {@code scanCr}, looks for a {@code \r} byte in each slice as it arrives, while it is in
     * the processor's cache: whether it found one. Without, false.
     */
    private boolean readFully(ByteBuffer b, boolean scanCr) throws IOException {
        int end = b.limit();
        boolean cr = false;
        try {
            while (b.hasRemaining()) {
                int from = b.position();
                b.limit(Math.min(end, from + SLICE));
                if (channel.read(b) < 0) {
                    break;
                }
                b.limit(end);
                if (scanCr && !cr) {
                    cr = hasCr(b.array(), b.arrayOffset() + from, b.arrayOffset() + b.position());
                }
            }
        } finally {
            b.limit(end);
        }
        return cr;
    }

    /**
     * Whether {@code a[from, to)} holds a {@code \r}: 32 bytes a step, as {@link #endOfLine}. A whole
     * read of a big file made its {@code String} first and scanned it for a {@code \r} afterwards, a
     * pass over memory that cost as much as the read; scanned slice by slice as the slices arrive,
     * the whole read runs about 1.3x faster.
     */
    static boolean hasCr(byte[] a, int from, int to) {
        final long crs = ONES * '\r';
        int i = from;
        for (; i + 4 * Long.BYTES <= to; i += 4 * Long.BYTES) {
            long w0 = (long) LONGS.get(a, i) ^ crs;
            long w1 = (long) LONGS.get(a, i + Long.BYTES) ^ crs;
            long w2 = (long) LONGS.get(a, i + 2 * Long.BYTES) ^ crs;
            long w3 = (long) LONGS.get(a, i + 3 * Long.BYTES) ^ crs;
            if ((((w0 - ONES) & ~w0 | (w1 - ONES) & ~w1 | (w2 - ONES) & ~w2 | (w3 - ONES) & ~w3) & HIGHS) != 0) {
                return true;
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\r') {
                return true;
            }
        }
        return false;
    }

    synchronized byte[] readBytes(int n) throws IOException {
        if (n < 0) {
            return readAll(false);
        }
        if ((bytes == null || !bytes.hasRemaining()) && !fill()) {
            return new byte[0];
        }
        int k = Math.min(n, bytes.remaining());
        byte[] r = new byte[k];
        bytes.get(r);
        return r;
    }

    /**
     * The rest of the file, what is buffered first. With {@code scanCr}, {@link #restHasCr} tells
     * afterwards whether the bytes may hold a {@code \r} (false only where none was seen in them).
     */
    private byte[] readAll(boolean scanCr) throws IOException {
        restHasCr = true;
        int have = bytes == null ? 0 : bytes.remaining();
        long left = leftOnDisk();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        if (have + left < Integer.MAX_VALUE - 8) {
            // One array of the size seen now, filled from the read-ahead and the channel.
            ByteBuffer whole = ByteBuffer.allocate((int) (have + left));
            boolean cr = scanCr && have > 0 && hasCr(bytes.array(), bytes.arrayOffset() + bytes.position(),
                    bytes.arrayOffset() + bytes.limit());
            if (have > 0) {
                whole.put(bytes);
            }
            cr |= readFully(whole, scanCr && !cr);
            if (whole.hasRemaining()) {
                // The file shrank meanwhile: this is its end.
                eof = true;
                restHasCr = !scanCr || cr;
                return java.util.Arrays.copyOf(whole.array(), whole.position());
            }
            ByteBuffer more = ByteBuffer.allocate(1);
            if (channel.read(more) <= 0) {
                eof = true;
                restHasCr = !scanCr || cr;
                return whole.array();
            }
            // The file grew meanwhile: the rest follows in chunks.
            all.write(whole.array(), 0, whole.capacity());
            all.write(more.array(), 0, 1);
        } else if (have > 0) {
            all.write(bytes.array(), bytes.position(), have);
            bytes.position(bytes.limit());
        }
        eof = false;
        while (fill()) {
            all.write(bytes.array(), bytes.position(), bytes.remaining());
            bytes.position(bytes.limit());
        }
        return all.toByteArray();
    }

    synchronized int writeBytes(byte[] data) throws IOException {
        return writeBytes(data, data.length);
    }

    /** Writes {@code data[0, len)}. */
    synchronized int writeBytes(byte[] data, int len) throws IOException {
        dropReadAhead();
        ByteBuffer b = ByteBuffer.wrap(data, 0, len);
        if (mode.append()) {
            channel.position(channel.size());
        }
        while (b.position() < len) {
            b.limit(Math.min(len, b.position() + SLICE));
            channel.write(b);
        }
        return len;
    }

    /** Puts the channel back where the caller is (before what was read ahead), so a write lands there. */
    private void dropReadAhead() throws IOException {
        if (!noPosition) {
            // After a \r returned as \n, the \n of a \r\n is part of what was read, as tell() counts it.
            takeLfAfterCr();
        }
        long back = readAheadBytes();
        if (back > 0) {
            channel.position(channel.position() - back);
        }
        if (bytes != null) {
            bytes.clear().flip();
        }
        if (chars != null) {
            chars.clear().flip();
        }
        eof = false;
    }

    // ---------------------------------------------------------------- text

    /** Decodes more characters; false at the end with nothing more. */
    private boolean decodeMore() throws IOException {
        ensureBytes();
        if (chars == null || chars.capacity() < bytes.capacity() && !chars.hasRemaining()) {
            // UTF-8 and the like decode n bytes to at most n characters; surrogate pairs need room for two.
            chars = CharBuffer.allocate(Math.max(bytes.capacity(), 16)).flip();
        }
        chars.compact();
        charsFrom = chars.position() > 0 || noPosition ? -1 : decodedFrom();
        try {
            while (true) {
                boolean more = bytes.hasRemaining() || fill();
                int before = chars.position();
                decoder.decode(bytes, chars, !more);
                if (!more) {
                    decoder.flush(chars);
                    endOfInput();
                    return chars.position() > before;
                }
                if (chars.position() > before) {
                    return true;
                }
                if (!fill()) {
                    // The end, with bytes the decoder holds back (a sequence cut short): decoded as
                    // the end of input, so they become a replacement instead of being waited on for ever.
                    decoder.decode(bytes, chars, true);
                    decoder.flush(chars);
                    endOfInput();
                    return chars.position() > before;
                }
            }
        } finally {
            chars.flip();
        }
    }

    /**
     * The decoder met the end of the file: it starts afresh for text appended later, in the byte
     * order of the file's mark past its start (a UTF-16 decoder reset would look for a mark again,
     * and read text appended to a little-endian file as big-endian).
     */
    private void endOfInput() {
        decoder.reset();
        if (orderFromMark) {
            long at = decodedFrom();
            if (at > 0) {
                try {
                    decoder = decoderAt(at);
                } catch (IOException markUnread) {
                    // The mark could not be read again: the next read meets the failure itself.
                }
            }
        }
    }

    /** The byte offset of the next byte to decode: the channel's position less the bytes read ahead; -1 without a position. */
    private long decodedFrom() {
        try {
            return channel.position() - (bytes == null ? 0 : bytes.remaining());
        } catch (IOException notSeekable) {
            return -1;
        }
    }

    /** The next character with universal newlines, or -1 at the end. */
    private int nextChar() throws IOException {
        while (true) {
            if ((chars == null || !chars.hasRemaining()) && !decodeMore()) {
                return -1;
            }
            char c = chars.get();
            if (skipLf) {
                skipLf = false;
                if (c == '\n') {
                    continue;
                }
            }
            if (c == '\r') {
                skipLf = true;
                return '\n';
            }
            return c;
        }
    }

    synchronized String readText(int n) throws IOException {
        if (n < 0) {
            return readRest();
        }
        StringBuilder sb = new StringBuilder(Math.min(n, 8192));
        // Code points, as Python counts: a surrogate pair is one, never split.
        int taken = 0;
        int c;
        while (taken < n && (c = nextChar()) >= 0) {
            sb.append((char) c);
            if (!Character.isHighSurrogate((char) c)) {
                taken++;
            }
        }
        if (skipLf && (chars == null || !chars.hasRemaining()) && !decodeMore()) {
            // A \r returned last, and the end of the file after it: Python's read looks past a
            // \r to know whether a \n follows, meets the end, and ends the line there, so a \n
            // appended later is a line of its own.
            skipLf = false;
        }
        return sb.toString();
    }

    /**
     * The rest of the file as text, decoded in one go rather than a character at a time: what is
     * decoded already, then the undecoded bytes and the rest of the channel.
     */
    private String readRest() throws IOException {
        String head = "";
        if (chars != null && chars.hasRemaining()) {
            head = newlines(chars.toString());
            chars.position(chars.limit());
        }
        byte[] rest = readAll(utf8);
        String body = decodeRest(rest, restHasCr);
        return head.isEmpty() ? body : head + body;
    }

    /**
     * Decodes {@code rest}, the bytes up to the end of the file, with universal newlines; with
     * {@code mayHaveCr} false (UTF-8 bytes known to hold no {@code \r}) the text is not scanned for one.
     */
    private String decodeRest(byte[] rest, boolean mayHaveCr) {
        String text = decodeRestOf(rest, mayHaveCr);
        // The end was met: a \r that ends the text is a line end of its own, and a \n appended
        // later is a line, as Python's decoder, told the input is final, decides.
        skipLf = false;
        return text;
    }

    private String decodeRestOf(byte[] rest, boolean mayHaveCr) {
        String body;
        if (charset.equals(StandardCharsets.UTF_8)) {
            // The JDK's own UTF-8 decoding, which replaces malformed input as the decoder does, and is
            // several times faster; UTF-8's decoder keeps no state between calls to skip.
            body = new String(rest, StandardCharsets.UTF_8);
            if (!mayHaveCr) {
                if (skipLf && !body.isEmpty()) {
                    skipLf = false;
                    return body.charAt(0) == '\n' ? body.substring(1) : body;
                }
                return body;
            }
        } else {
            CharBuffer out = CharBuffer.allocate((int) Math.ceil(rest.length * (double) decoder.maxCharsPerByte()) + 16);
            decoder.decode(ByteBuffer.wrap(rest), out, true);
            decoder.flush(out);
            endOfInput();
            body = out.flip().toString();
        }
        return newlines(body);
    }

    /** Python's universal newlines over {@code s}, the next characters of the file. */
    private String newlines(String s) {
        int start = 0;
        if (skipLf && !s.isEmpty()) {
            skipLf = false;
            if (s.charAt(0) == '\n') {
                start = 1;
            }
        }
        int cr = s.indexOf('\r', start);
        if (cr < 0) {
            return start == 0 ? s : s.substring(start);
        }
        StringBuilder sb = new StringBuilder(s.length());
        int i = start;
        while (cr >= 0) {
            sb.append(s, i, cr).append('\n');
            i = cr + 1;
            if (i == s.length()) {
                skipLf = true;
            } else if (s.charAt(i) == '\n') {
                i++;
            }
            cr = s.indexOf('\r', i);
        }
        return sb.append(s, i, s.length()).toString();
    }

    /**
     * {@link #readLine()} for UTF-8 with nothing decoded ahead: the line is found in the bytes (a
     * {@code \n} or {@code \r} byte is never part of a longer UTF-8 sequence) and decoded once, by
     * the JDK's UTF-8 decoding (malformed input replaced as the decoder would), with no detour
     * through characters.
     */
    private String readLineUtf8() throws IOException {
        byte[] acc = null;
        int accLen = 0;
        while (true) {
            if (bytes == null || !bytes.hasRemaining()) {
                if (!fill()) {
                    return acc == null ? "" : new String(acc, 0, accLen, StandardCharsets.UTF_8);
                }
                continue;
            }
            byte[] a = bytes.array();
            int off = bytes.arrayOffset();
            int p = bytes.position();
            int lim = bytes.limit();
            if (skipLf) {
                skipLf = false;
                if (a[off + p] == '\n') {
                    bytes.position(++p);
                    taken++;
                    continue;
                }
            }
            int i = endOfLine(a, off + p, off + lim) - off;
            if (i == lim) {
                // No end of line in what is buffered: keep these bytes and read on.
                int n = lim - p;
                if (acc == null || accLen + n > acc.length) {
                    acc = java.util.Arrays.copyOf(acc == null ? new byte[0] : acc, Math.max(2 * (accLen + n), 128));
                }
                System.arraycopy(a, off + p, acc, accLen, n);
                accLen += n;
                bytes.position(lim);
                taken += n;
                continue;
            }
            boolean cr = a[off + i] == '\r';
            skipLf = cr;
            bytes.position(i + 1);
            taken += i + 1 - p;
            if (acc == null) {
                return cr ? new String(a, off + p, i - p, StandardCharsets.UTF_8) + "\n"
                        : new String(a, off + p, i - p + 1, StandardCharsets.UTF_8);
            }
            int n = i - p;
            if (accLen + n + 1 > acc.length) {
                acc = java.util.Arrays.copyOf(acc, accLen + n + 1);
            }
            System.arraycopy(a, off + p, acc, accLen, n);
            acc[accLen + n] = '\n';
            return new String(acc, 0, accLen + n + 1, StandardCharsets.UTF_8);
        }
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The index of the first {@code \n} or {@code \r} in {@code a[from, to)}, or {@code to}: eight
     * bytes at a time (a zero byte of {@code word ^ '\n'} or {@code word ^ '\r'} is a line end; the
     * lowest flagged byte is exact), then byte by byte. The profile of the line rows had this
     * scan, a byte at a time, as the job's largest cost.
     */
    static int endOfLine(byte[] a, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long w = (long) LONGS.get(a, i);
            long lf = w ^ (ONES * '\n');
            long cr = w ^ (ONES * '\r');
            long found = ((lf - ONES) & ~lf | (cr - ONES) & ~cr) & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        while (i < to && a[i] != '\n' && a[i] != '\r') {
            i++;
        }
        return i;
    }

    /** Whether the next line comes from the bytes (UTF-8 with no decoded characters left) or the characters. */
    private boolean linesFromBytes() {
        return utf8 && (chars == null || !chars.hasRemaining());
    }

    /** A line with its {@code \n}, found by scanning the decoded characters rather than taking them one by one. */
    synchronized String readLine() throws IOException {
        if (linesFromBytes()) {
            return readLineUtf8();
        }
        StringBuilder sb = null;
        while ((chars != null && chars.hasRemaining()) || decodeMore()) {
            char[] a = chars.array();
            int off = chars.arrayOffset();
            int p = chars.position();
            int lim = chars.limit();
            if (skipLf) {
                skipLf = false;
                if (a[off + p] == '\n') {
                    chars.position(++p);
                    continue;
                }
            }
            int i = p;
            while (i < lim && a[off + i] != '\n' && a[off + i] != '\r') {
                i++;
            }
            if (i == lim) {
                if (sb == null) {
                    sb = new StringBuilder(Math.max(80, 2 * (lim - p)));
                }
                sb.append(a, off + p, lim - p);
                chars.position(lim);
                continue;
            }
            skipLf = a[off + i] == '\r';
            chars.position(i + 1);
            if (sb == null) {
                sb = new StringBuilder(i - p + 1);
            }
            return sb.append(a, off + p, i - p).append('\n').toString();
        }
        return sb == null ? "" : sb.toString();
    }

    // ---------------------------------------------------------------- UTF-16 writes

    /** Set by {@link #chooseWriteEncoding()} in the open's job: the charset writes use, or null for the file's. */
    private Charset writeCharset;
    /** Set with {@link #writeCharset}: the first write starts the file, so it begins with the byte-order mark. */
    private boolean markFirst;

    /**
     * In the open's job of a text file opened for writing: Java's {@code UTF-16} encoder puts a
     * big-endian byte-order mark before each call's text, so a file written in several writes got
     * one per write, and an appended little-endian file big-endian text. As Python: the mark once,
     * at the start of an empty file, and after it (or in a file that has one) text in the file's
     * order, without a mark.
     */
    void chooseWriteEncoding() throws IOException {
        if (decoder == null || !mode.write() || !charset.name().equals("UTF-16")) {
            return;
        }
        if (channel.size() == 0) {
            writeCharset = StandardCharsets.UTF_16BE;
            markFirst = true;
        } else {
            int m;
            if (mode.read()) {
                m = markAtStart();
            } else {
                // Opened for writing only ('a', 'w' of a file that stays): its mark is read apart.
                try (FileChannel r = FileChannel.open(path, java.nio.file.StandardOpenOption.READ)) {
                    m = markAtStart(r);
                } catch (IOException unreadable) {
                    m = 0;
                }
            }
            writeCharset = m < 0 ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE;
        }
    }

    /** What {@link #chooseWriteEncoding()} chose: read on the loop's thread once the open's job is done. */
    Charset writeCharset() {
        return writeCharset;
    }

    /** Whether the first write begins with the byte-order mark ({@link #chooseWriteEncoding()}). */
    boolean markFirst() {
        return markFirst;
    }

    // ---------------------------------------------------------------- position

    synchronized long tell() throws IOException {
        if (!noPosition) {
            // After a \r returned as \n: the \n of a \r\n is part of what was read, as in Python.
            takeLfAfterCr();
        }
        return channel.position() - readAheadBytes();
    }

    /** The bytes read from the channel and not yet returned: those buffered, and those decoded ahead. */
    private long readAheadBytes() throws IOException {
        long buffered = bytes == null ? 0 : bytes.remaining();
        if (chars == null || !chars.hasRemaining()) {
            return buffered;
        }
        if (charsFrom >= 0 && indexOf(chars, '\uFFFD') >= 0) {
            // A replacement for malformed input is not the bytes it stands for: counted by decoding again.
            return buffered + decodedAheadBytes();
        }
        return buffered + encodedLength(chars);
    }

    /**
     * The bytes of the characters decoded ahead, counted as Python's {@code tell()} counts them:
     * the bytes they were decoded from (at most a read buffer's) decoded again from
     * {@link #charsFrom} up to the first of them; the rest are theirs.
     */
    private long decodedAheadBytes() throws IOException {
        long end = channel.position() - (bytes == null ? 0 : bytes.remaining());
        int len = (int) (end - charsFrom);
        if (chars.position() == 0) {
            return len;
        }
        ByteBuffer in = ByteBuffer.allocate(len);
        while (in.hasRemaining() && channel.read(in, charsFrom + in.position()) >= 0) {
            // Positional reads: the channel's position stays where it is.
        }
        in.flip();
        skipChars(in, chars.position(), charsFrom);
        return len - in.position();
    }

    /**
     * Moves {@code in}, the bytes from file offset {@code at}, past the bytes of its first
     * {@code count} characters as the reads decoded them. Not by decoding into a buffer of exactly
     * {@code count}: the JDK's decoders want room for two characters before they look at a
     * four-byte sequence, even one that turns out malformed and becomes one replacement, so with
     * one place left they stop short of it; that one is taken alone ({@link #takeOneChar}).
     */
    private void skipChars(ByteBuffer in, int count, long at) throws IOException {
        int start = in.position();
        CharsetDecoder d = freshDecoderAt(at);
        CharBuffer out = CharBuffer.allocate(count);
        while (out.hasRemaining()) {
            CoderResult r = d.decode(in, out, false);
            if (!out.hasRemaining()) {
                return;
            }
            if (r.isUnderflow()) {
                // A sequence cut short by the end: the reads made a replacement of it.
                d.decode(in, out, true);
                return;
            }
            int n = takeOneChar(freshDecoderAt(at + in.position() - start), in);
            if (n == 0) {
                return;
            }
            out.position(Math.min(out.limit(), out.position() + n));
        }
    }

    /**
     * Takes the bytes of the next character of {@code in} through {@code d}, a decoder of its own
     * at that offset, giving it a byte more at a time so that nothing after that character is
     * taken; a malformed sequence is the one replacement the reads made of it. How many characters
     * it took (1, or 2 for a surrogate pair); 0 when nothing is left.
     */
    private static int takeOneChar(CharsetDecoder d, ByteBuffer in) {
        d.onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int limit = in.limit();
        CharBuffer two = CharBuffer.allocate(2);
        try {
            for (int end = in.position() + 1; end <= limit; end++) {
                in.limit(end);
                CoderResult r = d.decode(in, two, end == limit);
                if (r.isError()) {
                    in.position(in.position() + r.length());
                    return 1;
                }
                if (two.position() > 0) {
                    return two.position();
                }
            }
            return 0;
        } finally {
            in.limit(limit);
        }
    }

    /** A decoder of its own for the text from {@code offset} on, as {@link #decoderAt} but never the file's. */
    private CharsetDecoder freshDecoderAt(long offset) throws IOException {
        return orderFromMark ? decoderAt(offset) : decoderOf(charset);
    }

    synchronized void seek(long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative seek position " + offset + " in " + path);
        }
        channel.position(offset);
        if (bytes != null) {
            bytes.clear().flip();
        }
        if (chars != null) {
            chars.clear().flip();
        }
        skipLf = false;
        eof = false;
        charsFrom = -1;
        if (decoder != null) {
            decoder = decoderAt(offset);
        }
    }

    /** Puts {@code text}, characters read ahead by the loop's line cache, back before the unread rest. */
    synchronized void unread(String text) {
        if (text.isEmpty()) {
            return;
        }
        CharBuffer rest = chars == null ? CharBuffer.allocate(0) : chars;
        CharBuffer joined = CharBuffer.allocate(Math.max(BUFFER, text.length() + rest.remaining()));
        joined.put(text).put(rest).flip();
        chars = joined;
        charsFrom = -1;
        skipLf = false;
    }

    /**
     * Whole lines, up to about {@code budget} characters (at least one line unless at the end),
     * each with the bytes it came from: exact where the lines are found in the bytes (UTF-8),
     * else {@link LineBatch#ENCODE}, {@link LineBatch#ENCODE_CRLF}, {@link LineBatch#DECODE} or {@link LineBatch#DECODE_CRLF}, for
     * {@link #seekToLine} to count.
     */
    synchronized LineBatch readLines(int budget) throws IOException {
        java.util.List<String> lines = new java.util.ArrayList<>();
        boolean openEnd = false;
        int[] raw = new int[16];
        int used = 0;
        // A \n left by an earlier read that ended on a \r comes before this batch, not in its first line.
        takeLfAfterCr();
        long start = exactStart();
        while (used < budget) {
            boolean fromBytes = linesFromBytes();
            long before = taken;
            // Where the line starts among the decoded characters: the buffer's byte offset and the
            // characters taken from it, for a last line that goes back to the disk.
            long lineFrom = fromBytes || chars == null ? -1 : charsFrom;
            int lineAt = chars == null ? 0 : chars.position();
            String line = readLine();
            if (line.isEmpty()) {
                break;
            }
            boolean fromCr = skipLf;
            // The \n of a \r\n is this line's: a batch given back from a line on starts at that line.
            boolean crlf = takeLfAfterCr();
            // A line that ends in a \r at the end of the file is not ended yet: Python holds the
            // \r back until it knows whether a \n follows, and a \n appended makes it a \r\n.
            boolean open = line.charAt(line.length() - 1) != '\n' || fromCr && !crlf && atEnd();
            if (start >= 0 && !lines.isEmpty() && open) {
                // The end, in a line with no end of line: left for the next batch, so that text
                // another writer appends before then joins it (a sequence cut by the end too), as
                // in Python: on the disk, where the line came from the bytes or its start is known
                // in them; else put back as text before the end, which is read again.
                if (fromBytes) {
                    seek(tell() - (taken - before));
                    break;
                }
                if (lineFrom >= 0) {
                    // Its start is where the decoded characters before it end: exact, also for a
                    // line with a replacement or a sequence cut by the end.
                    seek(lineFrom + bytesOfChars(lineFrom, lineAt));
                    break;
                }
                if (line.indexOf('\uFFFD') < 0) {
                    unread(fromCr ? line.substring(0, line.length() - 1) + '\r' : line);
                    eof = false;
                    break;
                }
                // Text with a replacement, put back, could not be counted in bytes: it stays in the batch.
            }
            if (lines.size() == raw.length) {
                raw = java.util.Arrays.copyOf(raw, 2 * raw.length);
            }
            raw[lines.size()] = fromBytes ? (int) (taken - before)
                    : line.indexOf('\uFFFD') >= 0 ? (crlf ? LineBatch.DECODE_CRLF : LineBatch.DECODE)
                    : crlf ? LineBatch.ENCODE_CRLF : LineBatch.ENCODE;
            lines.add(line);
            openEnd = open;
            used += line.length();
            if (noPosition && (bytes == null || !bytes.hasRemaining()) && (chars == null || !chars.hasRemaining())) {
                // A FIFO: what its writer sent so far is the batch; the next read waits for more.
                break;
            }
        }
        return new LineBatch(lines, raw, start, openEnd || lines.isEmpty());
    }

    /** Nothing is left to read: the end of the file was met, with nothing buffered or decoded ahead. */
    private boolean atEnd() {
        return eof && (bytes == null || !bytes.hasRemaining()) && (chars == null || !chars.hasRemaining());
    }

    private static int indexOf(CharBuffer b, char c) {
        for (int i = b.position(); i < b.limit(); i++) {
            if (b.get(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The byte offset of the next line, for a batch that starts there: -1 where lines cannot go back
     * to the file by their bytes, a file with no position (a FIFO), or text put back with a
     * replacement for malformed input (which {@link #tell()} cannot count).
     */
    private long exactStart() throws IOException {
        if (noPosition || decoder == null) {
            return -1;
        }
        if (charsFrom < 0 && chars != null && chars.hasRemaining() && indexOf(chars, '\uFFFD') >= 0) {
            // Text put back with a replacement for malformed input, whose bytes tell() cannot count.
            return -1;
        }
        try {
            long at = tell();
            // At the start of a UTF-16 or UTF-32 file the first line starts after the mark, which
            // the decoder takes without a character for it.
            return at == 0 ? Math.abs(markAtStart()) : at;
        } catch (IOException notSeekable) {
            // "Illegal seek": found out here before a read did. A real failure meets the read.
            noPosition = true;
            return -1;
        }
    }

    /**
     * After a line that ended with a {@code \r}: takes the {@code \n} of a {@code \r\n} now, so
     * that the line's bytes hold it, and a batch given back (which starts afresh) does not read it
     * as an empty line. Whether it took one.
     */
    private boolean takeLfAfterCr() throws IOException {
        if (!skipLf) {
            return false;
        }
        skipLf = false;
        if (linesFromBytes()) {
            if (((bytes != null && bytes.hasRemaining()) || fill()) && bytes.get(bytes.position()) == '\n') {
                bytes.position(bytes.position() + 1);
                taken++;
                return true;
            }
        } else if (((chars != null && chars.hasRemaining()) || decodeMore()) && chars.get(chars.position()) == '\n') {
            chars.position(chars.position() + 1);
            return true;
        }
        return false;
    }

    /**
     * Moves the file to the start of line {@code index} of {@code batch} (the first line the loop
     * gives back), so the next read reads that line and the ones after it again from the disk, and
     * {@code tell} and {@code seek} count them as they are there. False, moving nothing, where the
     * batch's bytes are not known exactly (see {@link #exactStart}): the caller gives the lines
     * back as text ({@link #unread}).
     */
    synchronized boolean seekToLine(LineBatch batch, int index) throws IOException {
        if (batch.start < 0) {
            return false;
        }
        long at = batch.start;
        int lf = encodedLength("\n");
        // The characters of a run of lines decoded with a replacement, counted by decoding them again.
        long toDecode = 0;
        for (int i = 0; i < index; i++) {
            int r = batch.raw[i];
            if (r == LineBatch.DECODE || r == LineBatch.DECODE_CRLF) {
                toDecode += batch.lines.get(i).length() + (r == LineBatch.DECODE_CRLF ? 1 : 0);
                continue;
            }
            if (toDecode > 0) {
                at += bytesOfChars(at, toDecode);
                toDecode = 0;
            }
            if (r >= 0) {
                at += r;
            } else {
                at += encodedLength(batch.lines.get(i));
                if (r == LineBatch.ENCODE_CRLF) {
                    at += lf;
                }
            }
        }
        if (toDecode > 0) {
            at += bytesOfChars(at, toDecode);
        }
        seek(at);
        return true;
    }

    /**
     * The bytes from offset {@code at} that decode to {@code count} characters, as the file's reads
     * decode them (a replacement stands for the malformed bytes it took, whatever their length).
     * Positional reads: the channel's position stays where it is.
     */
    private long bytesOfChars(long at, long count) throws IOException {
        CharsetDecoder again = freshDecoderAt(at);
        ByteBuffer in = ByteBuffer.allocate(BUFFER).flip();
        CharBuffer out = CharBuffer.allocate((int) Math.min(count, BUFFER));
        long readAt = at;
        long used = 0;
        long left = count;
        boolean end = false;
        while (left > 0) {
            int n = 0;
            if (!end) {
                in.compact();
                try {
                    n = channel.read(in, readAt);
                } finally {
                    in.flip();
                }
                if (n < 0) {
                    end = true;
                } else {
                    readAt += n;
                }
            }
            int before = in.position();
            out.clear().limit((int) Math.min(left, out.capacity()));
            again.decode(in, out, end);
            used += in.position() - before;
            left -= out.position();
            if (out.position() == 0 && in.position() == before && n <= 0) {
                // No way on: the file is shorter than when the lines were read (cut by another
                // writer), or it changed under them; its end, or as far as it decodes, counts.
                break;
            }
        }
        return used;
    }

    /**
     * The bytes {@code text} takes in the file's charset, where it stands: without the byte-order
     * mark that {@link Charset#encode} puts before each call's text in UTF-16.
     */
    private int encodedLength(CharSequence text) {
        if (text.length() == 0) {
            return 0;
        }
        return charset.encode(CharBuffer.wrap(text)).remaining() - byteOrderMark();
    }

    /** The bytes of the byte-order mark {@link Charset#encode} puts first in this charset: 0 but in UTF-16. */
    private int byteOrderMark() {
        if (mark < 0) {
            int once = charset.encode("\n").remaining();
            mark = once - (charset.encode("\n\n").remaining() - once);
        }
        return mark;
    }

    synchronized void force() throws IOException {
        channel.force(false);
    }

    synchronized void close() throws IOException {
        channel.close();
    }

    boolean isOpen() {
        return channel.isOpen();
    }
}
