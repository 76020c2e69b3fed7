package dev.weft.benchmarks.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class HeadScannerTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";

    @Test
    void pipelinedHeadsInOneReadAreCountedEach() {
        byte[] sixteen = GET.repeat(16).getBytes(US_ASCII);
        assertEquals(16, new HeadScanner().count(ByteBuffer.wrap(sixteen)));
        assertEquals(16, new HeadScanner().count(sixteen, 0, sixteen.length));
    }

    @Test
    void aHeadSplitAtEveryByteOfItsBlankLineIsOneRequest() {
        byte[] two = GET.repeat(2).getBytes(US_ASCII);
        for (int cut = 1; cut < two.length; cut++) {
            HeadScanner s = new HeadScanner();
            int n = s.count(two, 0, cut) + s.count(two, cut, two.length - cut);
            assertEquals(2, n, "cut at " + cut);
        }
    }

    @Test
    void aLoneLineEndIsNotABlankLine() {
        byte[] b = "GET / HTTP/1.1\r\nHost: x\r\n\n\r\r\n".getBytes(US_ASCII);
        assertEquals(0, new HeadScanner().count(b, 0, b.length));
    }

    @Test
    void theBufferIsNotMoved() {
        ByteBuffer b = ByteBuffer.wrap(GET.getBytes(US_ASCII));
        new HeadScanner().count(b);
        assertEquals(0, b.position());
    }
}
