package dev.weft.runtime.files;

import java.util.List;

/**
 * A batch of lines read in one job ({@link FileState#readLines}), with the bytes of the file each
 * came from, so that the lines the loop did not take go back to the file by their bytes.
 */
final class LineBatch {
    /** In {@link #raw}: the line's bytes are its characters encoded again (its end was one character). */
    static final int ENCODE = -1;
    /** In {@link #raw}: as {@link #ENCODE}, and its end was a {@code \r\n}, one byte more than its {@code \n}. */
    static final int ENCODE_CRLF = -2;
    /**
     * In {@link #raw}: decoded with a replacement for malformed input, whose encoding is not the
     * bytes it stands for: the line's bytes are found by decoding its characters again from where it starts.
     */
    static final int DECODE = -3;
    /** In {@link #raw}: as {@link #DECODE}, and its end was a {@code \r\n}, one character more than its {@code \n}. */
    static final int DECODE_CRLF = -4;

    /** The lines, each with its {@code \n}. */
    final List<String> lines;
    /** For each line, the count of bytes it was read from, or {@link #ENCODE}, {@link #ENCODE_CRLF}, {@link #DECODE} or {@link #DECODE_CRLF}. */
    final int[] raw;
    /** The byte offset of the first line in the file, or -1 where the lines go back as text (a FIFO, text decoded ahead with replacements). */
    final long start;

    /**
     * The batch met the end of the file with its last line not ended: empty, a line with no end of
     * line, or one ending in a {@code \r} that a {@code \n} appended later would make a {@code \r\n}.
     */
    final boolean openEnd;

    LineBatch(List<String> lines, int[] raw, long start, boolean openEnd) {
        this.lines = lines;
        this.raw = raw;
        this.start = start;
        this.openEnd = openEnd;
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }
}
