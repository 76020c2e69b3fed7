package dev.weft.runtime.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The UTF-16 decoder against Python's {@code bytes.decode('utf-16...', 'replace')}, whole and split anywhere. */
class Utf16DecoderTest {
    // Each expected string is Python 3.11's decode of the same bytes with errors='replace', but the
    // last UTF-16 one: without a mark Python takes the machine's order (little-endian here), the
    // JDK and Weft big-endian, a difference docs/runtime.md lists.
    @ParameterizedTest
    @CsvSource({
        "UTF-16LE, e900620000d8ac200a0000d800d800dc0a0000dc6300, \u00e9b\uFFFD\u20ac\\n\uFFFD\uD800\uDC00\\n\uFFFDc",
        "UTF-16LE, 00d8, \uFFFD",
        "UTF-16LE, 00dc4100, \uFFFDA",
        "UTF-16LE, 410042, A\uFFFD",
        "UTF-16LE, 00d841, \uFFFD",
        "UTF-16LE, fffe4100, \uFEFFA",
        "UTF-16BE, d83dde00d83d0041, \uD83D\uDE00\uFFFDA",
        "UTF-16, fffe4100, A",
        "UTF-16, feff0041, A",
        "UTF-16, feff0041feff, A\uFEFF",
        "UTF-16, '', ''",
        "UTF-16, 0041, A",
    })
    void decodesAsPythonDoesWithReplacement(String charset, String hex, String expected) {
        // A CSV row cannot hold a line break: \\n in a row stands for one.
        check(Charset.forName(charset), hex, expected.replace("\\n", "\n"));
    }

    /** Decodes whole, then split in two at every byte, as reads of a file meet a buffer's end. */
    private static void check(Charset cs, String hex, String expected) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        for (int cut = 0; cut <= bytes.length; cut++) {
            CharsetDecoder d = Utf16Decoder.of(cs).onMalformedInput(CodingErrorAction.REPLACE);
            CharBuffer out = CharBuffer.allocate(bytes.length + 4);
            ByteBuffer in = ByteBuffer.allocate(bytes.length);
            in.put(bytes, 0, cut).flip();
            d.decode(in, out, false);
            in.compact().put(bytes, cut, bytes.length - cut).flip();
            d.decode(in, out, true);
            d.flush(out);
            assertEquals(expected, out.flip().toString(), cs + " " + hex + " cut at " + cut);
        }
    }
}
