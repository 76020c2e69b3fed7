package dev.weft.benchmarks.net;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;

/**
 * The minimal HTTP/1.1 parsing that every peer of the network sitting does: a request is its head,
 * up to and with the blank line ({@code \r\n\r\n}); no bodies. It counts the heads that end in each
 * chunk read, remembering across chunks how much of a {@code \r\n\r\n} the last one ended with, so
 * a head split over two reads is still one request. The Python peers do the same.
 */
public final class HeadScanner {
    /** The answer to every request, byte for byte the same on every peer. */
    public static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 13\r\n"
            + "\r\n"
            + "Hello, World!").getBytes(US_ASCII);

    /** How many bytes of {@code \r\n\r\n} the input seen so far ends with, 0 to 3. */
    private int matched;

    /**
     * Counts the request heads that end between the buffer's position and limit; the buffer is not
     * moved.
     *
     * @param b the bytes read
     * @return how many heads ended in them
     */
    public int count(ByteBuffer b) {
        int heads = 0;
        int m = matched;
        for (int i = b.position(), end = b.limit(); i < end; i++) {
            m = step(m, b.get(i));
            if (m == 4) {
                heads++;
                m = 0;
            }
        }
        matched = m;
        return heads;
    }

    /**
     * Counts the request heads that end in {@code a[off, off + len)}.
     *
     * @param a   the bytes read
     * @param off where they start
     * @param len how many
     * @return how many heads ended in them
     */
    public int count(byte[] a, int off, int len) {
        int heads = 0;
        int m = matched;
        for (int i = off, end = off + len; i < end; i++) {
            m = step(m, a[i]);
            if (m == 4) {
                heads++;
                m = 0;
            }
        }
        matched = m;
        return heads;
    }

    private static int step(int m, byte c) {
        if (c == '\r') {
            return m == 2 ? 3 : 1;
        }
        if (c == '\n') {
            return m == 1 ? 2 : m == 3 ? 4 : 0;
        }
        return 0;
    }
}
