package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.openDatagramEndpoint;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.Task;
import dev.weft.runtime.streams.Datagram;
import dev.weft.runtime.streams.DatagramEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The asyncio documentation's UDP echo server and client, in one program: the server, on
 * 127.0.0.1 and a free port, sends each datagram back to its sender; the client sends one message,
 * prints the answer and closes. The server stops after the datagrams it was told to answer.
 */
public final class UdpEcho {
    private UdpEcho() {
    }

    private static String where(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    // tag::udp-echo[]
    @Async
    static Coroutine<Void> echoServer(DatagramEndpoint endpoint, int datagrams) throws IOException {
        for (int i = 0; i < datagrams; i++) {
            Datagram d = await(endpoint.receive());
            String message = new String(d.data(), UTF_8);
            System.out.println("Received '" + message + "' from " + where(d.sender()));
            System.out.println("Send '" + message + "' to " + where(d.sender()));
            endpoint.sendTo(d.data(), d.sender());
        }
        return done();
    }

    @Async
    static Coroutine<Void> echoClient(InetSocketAddress server, String message) throws IOException {
        try (DatagramEndpoint endpoint = await(openDatagramEndpoint(null, server))) {
            endpoint.send(message.getBytes(UTF_8));
            System.out.println("Send: " + message);
            Datagram answer = await(endpoint.receive());
            System.out.println("Received: " + new String(answer.data(), UTF_8));
            System.out.println("Close the socket");
        }
        return done();
    }

    @Async
    static Coroutine<Void> main() throws IOException {
        System.out.println("Starting UDP server");
        try (DatagramEndpoint server = await(openDatagramEndpoint(new InetSocketAddress("127.0.0.1", 0), null))) {
            Task<Void> serving = createTask(echoServer(server, 1));
            await(echoClient(server.localAddress(), "Hello World!"));
            await(serving);
        }
        return done();
    }
    // end::udp-echo[]
}
