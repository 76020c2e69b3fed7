package dev.weft.runtime.files;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * UTF-16 decoded as Python decodes it with {@code errors='replace'}: a high surrogate not followed
 * by a low one is malformed by its own two bytes, and the unit after it is decoded as what it is.
 * The JDK's decoders take both units into one malformed sequence of four bytes, so the character
 * after a lone high surrogate was lost (and a valid pair after one became a replacement).
 *
 * <p>{@code UTF-16} takes its byte order from a mark at the start of the input, big-endian without
 * one, as the JDK's; {@code UTF-16BE} and {@code UTF-16LE} have a fixed order and decode a mark as
 * the character U+FEFF, as the JDK's and Python's {@code utf-16-be}/{@code utf-16-le}.
 */
final class Utf16Decoder extends CharsetDecoder {
    private static final int DETECT = 0;
    private static final int BIG = 1;
    private static final int LITTLE = 2;

    private final int initialOrder;
    private int order;

    private Utf16Decoder(Charset cs, int order) {
        super(cs, 0.5f, 1.0f);
        this.initialOrder = order;
        this.order = order;
    }

    /**
     * Our decoder for {@code cs} when it is one of the three UTF-16 charsets, else null.
     *
     * @param cs the charset
     * @return the decoder, or null
     */
    static CharsetDecoder of(Charset cs) {
        if (cs.equals(StandardCharsets.UTF_16)) {
            return new Utf16Decoder(cs, DETECT);
        }
        if (cs.equals(StandardCharsets.UTF_16BE)) {
            return new Utf16Decoder(cs, BIG);
        }
        if (cs.equals(StandardCharsets.UTF_16LE)) {
            return new Utf16Decoder(cs, LITTLE);
        }
        return null;
    }

    @Override
    protected CoderResult decodeLoop(ByteBuffer in, CharBuffer out) {
        if (order == DETECT) {
            if (in.remaining() < 2) {
                return CoderResult.UNDERFLOW;
            }
            int p = in.position();
            int b0 = in.get(p) & 0xFF;
            int b1 = in.get(p + 1) & 0xFF;
            if (b0 == 0xFF && b1 == 0xFE) {
                order = LITTLE;
                in.position(p + 2);
            } else if (b0 == 0xFE && b1 == 0xFF) {
                order = BIG;
                in.position(p + 2);
            } else {
                order = BIG;
            }
        }
        while (in.remaining() >= 2) {
            int p = in.position();
            char c = unit(in, p);
            if (Character.isHighSurrogate(c)) {
                if (in.remaining() < 4) {
                    // The low half may come with more input; at the end the rest is one replacement.
                    return CoderResult.UNDERFLOW;
                }
                char low = unit(in, p + 2);
                if (!Character.isLowSurrogate(low)) {
                    return CoderResult.malformedForLength(2);
                }
                if (out.remaining() < 2) {
                    return CoderResult.OVERFLOW;
                }
                out.put(c);
                out.put(low);
                in.position(p + 4);
            } else if (Character.isLowSurrogate(c)) {
                return CoderResult.malformedForLength(2);
            } else {
                if (!out.hasRemaining()) {
                    return CoderResult.OVERFLOW;
                }
                out.put(c);
                in.position(p + 2);
            }
        }
        return CoderResult.UNDERFLOW;
    }

    private char unit(ByteBuffer in, int at) {
        int a = in.get(at) & 0xFF;
        int b = in.get(at + 1) & 0xFF;
        return (char) (order == LITTLE ? b << 8 | a : a << 8 | b);
    }

    @Override
    protected void implReset() {
        order = initialOrder;
    }
}
