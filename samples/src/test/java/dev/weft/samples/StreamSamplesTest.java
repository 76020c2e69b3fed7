package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.runtime.Aio;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamSamplesTest {
    @Test
    void theDocsEchoServerAndClientPrintTheirConversation() throws Exception {
        List<String> lines = SampleOutput.linesOf(() -> Aio.run(EchoServer.main()));
        assertEquals(List.of(
                "Serving on 127.0.0.1 (a free port)",
                "Send: 'Hello World!'",
                "Received 'Hello World!' from loopback",
                "Send: 'Hello World!'",
                "Close the connection",
                "Received: 'Hello World!'",
                "Close the connection"), lines);
    }

    @Test
    void theHttpServerAnswersThreePipelinedRequestsOnOneConnection() throws Exception {
        List<String> lines = SampleOutput.linesOf(() -> Aio.run(HelloHttp.main()));
        assertEquals(List.of(
                "HTTP/1.1 200 OK | Hello, World!",
                "HTTP/1.1 200 OK | Hello, World!",
                "HTTP/1.1 200 OK | Hello, World!"), lines);
    }

    @Test
    void theUnixEchoShoutsEachLineBackAndRemovesItsSocket() throws Exception {
        List<String> lines = SampleOutput.linesOf(() -> Aio.run(UnixEcho.main()));
        assertEquals(List.of("ONE", "TWO", "THREE", "socket file removed: true"), lines);
    }
}
