package dev.weft.runtime.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;

/**
 * The blocking side of an {@link AsyncFile}, run on executor threads, one call at a time: a
 * {@link FileChannel} with a read buffer, and in text mode a decoder with Python's universal
 * newlines ({@code \r} and {@code \r\n} read as {@code \n}).
 */
final class FileState {
    private static final int BUFFER = 64 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final Mode mode;
    private final Charset charset;
    private final CharsetDecoder decoder;
    /** Bytes read from the channel and not yet returned or decoded; in read mode (flipped). */
    private ByteBuffer bytes;
    /** Decoded characters not yet returned (text mode); in read mode. */
    private CharBuffer chars;
    /** A {@code \r} was returned as {@code \n}: a {@code \n} right after it is dropped. */
    private boolean skipLf;
    private boolean eof;

    FileState(Path path, FileChannel channel, Mode mode, Charset charset) {
        this.path = path;
        this.channel = channel;
        this.mode = mode;
        this.charset = charset;
        this.decoder = mode.binary() ? null : charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }

    // ---------------------------------------------------------------- bytes

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (bytes == null) {
            bytes = ByteBuffer.allocate(BUFFER).flip();
        }
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

    synchronized byte[] readBytes(int n) throws IOException {
        if (n < 0) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            if (bytes != null && bytes.hasRemaining()) {
                all.write(bytes.array(), bytes.position(), bytes.remaining());
                bytes.position(bytes.limit());
            }
            long left = Math.max(0, channel.size() - channel.position());
            if (left > 0 && all.size() == 0 && left < Integer.MAX_VALUE - 8) {
                ByteBuffer whole = ByteBuffer.allocate((int) left);
                while (whole.hasRemaining() && channel.read(whole) >= 0) {
                    // Reads until the size seen at the start, or the end if the file shrank.
                }
                if (!whole.hasRemaining()) {
                    ByteBuffer more = ByteBuffer.allocate(1);
                    if (channel.read(more) <= 0) {
                        eof = true;
                        return whole.array();
                    }
                    all.write(whole.array(), 0, whole.position());
                    all.write(more.array(), 0, 1);
                } else {
                    all.write(whole.array(), 0, whole.position());
                }
            }
            while (fill()) {
                all.write(bytes.array(), bytes.position(), bytes.remaining());
                bytes.position(bytes.limit());
            }
            return all.toByteArray();
        }
        if ((bytes == null || !bytes.hasRemaining()) && !fill()) {
            return new byte[0];
        }
        int k = Math.min(n, bytes.remaining());
        byte[] r = new byte[k];
        bytes.get(r);
        return r;
    }

    synchronized int writeBytes(byte[] data) throws IOException {
        dropReadAhead();
        ByteBuffer b = ByteBuffer.wrap(data);
        if (mode.append()) {
            channel.position(channel.size());
        }
        while (b.hasRemaining()) {
            channel.write(b);
        }
        return data.length;
    }

    /** Puts the channel back where the caller is (before what was read ahead), so a write lands there. */
    private void dropReadAhead() throws IOException {
        long back = (bytes == null ? 0 : bytes.remaining()) + (chars == null || !chars.hasRemaining() ? 0
                : charset.encode(chars.duplicate()).remaining());
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
        if (chars == null) {
            chars = CharBuffer.allocate(BUFFER).flip();
        }
        chars.compact();
        try {
            while (true) {
                boolean more = bytes != null && bytes.hasRemaining() || fill();
                if (bytes == null) {
                    bytes = ByteBuffer.allocate(BUFFER).flip();
                }
                int before = chars.position();
                decoder.decode(bytes, chars, !more);
                if (!more) {
                    decoder.flush(chars);
                    decoder.reset();
                    return chars.position() > before;
                }
                if (chars.position() > before) {
                    return true;
                }
                if (!fill() && !bytes.hasRemaining()) {
                    decoder.decode(bytes, chars, true);
                    decoder.flush(chars);
                    decoder.reset();
                    return chars.position() > before;
                }
            }
        } finally {
            chars.flip();
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
        StringBuilder sb = new StringBuilder(n < 0 ? 256 : Math.min(n, 8192));
        int c;
        while ((n < 0 || sb.length() < n) && (c = nextChar()) >= 0) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    synchronized String readLine() throws IOException {
        StringBuilder sb = new StringBuilder(80);
        int c;
        while ((c = nextChar()) >= 0) {
            sb.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return sb.toString();
    }

    synchronized int writeText(String s) throws IOException {
        writeBytes(s.getBytes(charset));
        return s.length();
    }

    // ---------------------------------------------------------------- position

    synchronized long tell() throws IOException {
        long back = (bytes == null ? 0 : bytes.remaining()) + (chars == null || !chars.hasRemaining() ? 0
                : charset.encode(chars.duplicate()).remaining());
        return channel.position() - back;
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
        if (decoder != null) {
            decoder.reset();
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
        skipLf = false;
    }

    /** Whole lines, up to about {@code budget} characters (at least one line unless at the end). */
    synchronized java.util.List<String> readLines(int budget) throws IOException {
        java.util.List<String> lines = new java.util.ArrayList<>();
        int used = 0;
        while (used < budget) {
            String line = readLine();
            if (line.isEmpty()) {
                break;
            }
            lines.add(line);
            used += line.length();
        }
        return lines;
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
