package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TlsEchoTest {
    @Test
    void theEchoGoesOverTlsAndAClientExpectingAnotherNameIsRefused() throws Exception {
        List<String> lines = SampleOutput.linesOf(TlsEcho::run);
        assertEquals(List.of(
                "Serving TLS on 127.0.0.1",
                "Send: 'Hello World!'",
                "Server received 'Hello World!'",
                "Received: 'Hello World!'",
                "End of stream: true",
                "Close the connection",
                "A client expecting example.com: SSLHandshakeException"), lines);
    }
}
