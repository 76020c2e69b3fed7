package dev.weft.runtime.streams;

import dev.weft.runtime.kernel.Net;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * One datagram that a {@link DatagramEndpoint} received: its bytes and who sent it, what asyncio
 * hands to {@code datagram_received(data, addr)}.
 *
 * <pre>{@code
 * Datagram d = await(endpoint.receive());
 * endpoint.sendTo(d.data(), d.sender());   // an echo
 * }</pre>
 *
 * <p>Two datagrams are equal when their bytes and senders are.
 *
 * @param data   the payload, the whole datagram; the record's own copy, not shared with the endpoint
 * @param sender where it came from, with the sender's port
 */
public record Datagram(byte[] data, InetSocketAddress sender) {
    /**
     * A datagram.
     *
     * @param data   the payload
     * @param sender the sender's address
     */
    public Datagram {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(sender, "sender");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Datagram d && Arrays.equals(data, d.data) && sender.equals(d.sender);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + sender.hashCode();
    }

    @Override
    public String toString() {
        return "Datagram[" + data.length + " bytes from " + Net.describe(sender) + "]";
    }
}
