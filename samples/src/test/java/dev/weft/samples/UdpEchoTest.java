package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.runtime.Aio;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpEchoTest {
    @Test
    void theServerEchoesTheClientsMessageBackToIt() throws Exception {
        List<String> lines = SampleOutput.linesOf(() -> Aio.run(UdpEcho.main()));
        assertEquals(6, lines.size(), lines::toString);
        assertEquals("Starting UDP server", lines.get(0));
        assertEquals("Send: Hello World!", lines.get(1));
        assertTrue(lines.get(2).matches("Received 'Hello World!' from 127\\.0\\.0\\.1:\\d+"), lines.get(2));
        String client = lines.get(2).substring(lines.get(2).lastIndexOf(' ') + 1);
        assertEquals("Send 'Hello World!' to " + client, lines.get(3));
        assertEquals("Received: Hello World!", lines.get(4));
        assertEquals("Close the socket", lines.get(5));
    }
}
