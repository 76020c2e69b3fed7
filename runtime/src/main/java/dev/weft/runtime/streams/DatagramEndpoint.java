package dev.weft.runtime.streams;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.AsyncCloseable;
import dev.weft.runtime.Awaitable;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.ExceptionContext;
import dev.weft.runtime.Future;
import dev.weft.runtime.kernel.Engine;
import dev.weft.runtime.kernel.LoopIo;
import dev.weft.runtime.kernel.Net;
import dev.weft.runtime.kernel.PollKey;
import dev.weft.runtime.kernel.Waiters;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A UDP socket on the loop's poller: asyncio's {@code create_datagram_endpoint} with the transport
 * and a protocol that queues what arrives, so that a task can {@link #receive()} it.
 *
 * <pre>{@code
 * try (DatagramEndpoint server = await(openDatagramEndpoint(new InetSocketAddress("127.0.0.1", 9999), null))) {
 *     Datagram d = await(server.receive());
 *     server.sendTo(d.data(), d.sender());
 * }
 * }</pre>
 *
 * <p>Sending never waits: {@link #send(byte[])} and {@link #sendTo(byte[], InetSocketAddress)} try
 * the system call at once and, when the socket's buffer is full, queue the datagram and send it when
 * the socket is writable again, as CPython's {@code _SelectorDatagramTransport}. The queue is
 * bounded ({@value #SEND_BUFFER_BYTES} bytes); past it a datagram is dropped and counted in
 * {@link #sendDrops()}, as a full network would drop it.
 *
 * <p>Receiving: datagrams that arrive while no task waits in {@link #receive()} are queued, at most
 * {@value #RECEIVE_QUEUE_DATAGRAMS} datagrams and {@value #RECEIVE_QUEUE_BYTES} bytes; past either,
 * the arriving datagram is dropped (the newest, as a full socket buffer drops it) and counted in
 * {@link #receiveDrops()}. Errors that CPython hands to the protocol's {@code error_received}
 * ({@link java.net.PortUnreachableException} on a connected endpoint after an ICMP port
 * unreachable, a failed send) are queued in arrival order with the datagrams and thrown by the
 * {@code receive()} that reaches them; the endpoint stays open.
 *
 * <p>For the loop's thread, except {@link #localAddress()} and {@link #remoteAddress()}.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods.
public final class DatagramEndpoint implements AsyncCloseable {
    /** The most datagrams (and errors) held for {@link #receive()}. */
    public static final int RECEIVE_QUEUE_DATAGRAMS = 1024;
    /** The most payload bytes held for {@link #receive()}. */
    public static final int RECEIVE_QUEUE_BYTES = 4 * 1024 * 1024;
    /** The most payload bytes queued for sending while the socket's buffer is full. */
    public static final int SEND_BUFFER_BYTES = 4 * 1024 * 1024;
    /** Reads per readiness, so that a flood on one endpoint does not starve the loop. */
    private static final int READS_PER_TURN = 32;

    private final EventLoop loop;
    private final LoopIo io;
    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final PollKey key;
    private int interest;

    /** What arrived and waits for {@link #receive()}: {@link Datagram}s and {@link IOException}s. */
    private final ArrayDeque<Object> received = new ArrayDeque<>();
    private long receivedBytes;
    private long receiveDrops;
    private final ArrayDeque<Future<Void>> receivers = new ArrayDeque<>(2);

    /** Datagrams waiting for {@code OP_WRITE}, oldest first. */
    private final ArrayDeque<Outgoing> out = new ArrayDeque<>(2);
    private long outBytes;
    private long sendDrops;

    private boolean closing;
    private boolean closed;
    private List<Future<Void>> closeWaiters;

    /** A queued datagram; {@code to} is null on a connected endpoint. */
    private record Outgoing(byte[] data, InetSocketAddress to) {
    }

    /** The system call that sends one datagram; the tests put a full socket buffer in its place. */
    @FunctionalInterface
    interface Send {
        /** Sends {@code data} ({@code to} null: to the connected remote); 0 when the buffer is full. */
        int send(DatagramChannel channel, byte[] data, InetSocketAddress to) throws IOException;
    }

    static final Send SYSTEM_SEND = (ch, data, to) -> to == null ? ch.write(ByteBuffer.wrap(data))
            : ch.send(ByteBuffer.wrap(data), to);

    Send send = SYSTEM_SEND;

    private DatagramEndpoint(EventLoop loop, DatagramChannel channel, InetSocketAddress remote) throws IOException {
        this.loop = loop;
        this.io = Engine.get().io(loop);
        this.channel = channel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.remote = remote;
        this.key = io.register(channel, SelectionKey.OP_READ, (k, ops) -> ready(ops));
        this.interest = SelectionKey.OP_READ;
    }

    // ---------------------------------------------------------------- opening

    /**
     * Opens a UDP endpoint bound to {@code local}, connected to {@code remote}, or both: what
     * {@link dev.weft.runtime.Aio#openDatagramEndpoint} does. Without {@code local} the socket gets
     * an ephemeral port on connecting; without {@code remote} it sends with
     * {@link #sendTo(byte[], InetSocketAddress)} and receives from anyone. An unresolved address (a
     * name) is resolved off the loop. The socket's family (IPv4 or IPv6) is the remote's, else the
     * local's; a wildcard local address takes the remote's family.
     *
     * @param local  where to bind, or null
     * @param remote where to connect, or null
     * @return an awaitable of the endpoint, ready to send and receive
     * @throws IOException              the JDK's failure, naming the address ({@code BindException}
     *                                  when the port is taken, {@code UnknownHostException} for an
     *                                  unknown name)
     * @throws IllegalArgumentException when both are null, or their families differ
     */
    @Async
    public static Coroutine<DatagramEndpoint> open(InetSocketAddress local, InetSocketAddress remote)
            throws IOException {
        if (local == null && remote == null) {
            throw new IllegalArgumentException("a datagram endpoint needs a local or a remote address, or both: "
                    + "both are null");
        }
        EventLoop loop = getRunningLoop();
        InetSocketAddress r = remote == null ? null : await(resolved(loop, remote, null));
        InetSocketAddress l = local == null ? null
                : await(resolved(loop, local, r == null ? null : r.getAddress().getClass()));
        if (l != null && r != null && isV6(l) != isV6(r)) {
            if (!l.getAddress().isAnyLocalAddress()) {
                throw new IllegalArgumentException("the local address " + Net.describe(l)
                        + " and the remote address " + Net.describe(r) + " are of different families");
            }
            l = new InetSocketAddress(InetAddress.getByName(isV6(r) ? "::" : "0.0.0.0"), l.getPort());
        }
        boolean v6 = isV6(r != null ? r : l);
        DatagramChannel ch = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        DatagramEndpoint e = null;
        try {
            ch.configureBlocking(false);
            if (l != null) {
                bind(ch, l);
            }
            if (r != null) {
                try {
                    ch.connect(r);
                } catch (IOException failure) {
                    throw Net.naming(failure, r);
                }
            }
            e = new DatagramEndpoint(loop, ch, r);
        } finally {
            if (e == null) {
                ch.close();
            }
        }
        return result(e);
    }

    private static boolean isV6(InetSocketAddress a) {
        return a.getAddress() instanceof Inet6Address;
    }

    /** {@code a} itself when resolved, else its name's first address, of the preferred family if it has one. */
    @Async
    private static Coroutine<InetSocketAddress> resolved(EventLoop loop, InetSocketAddress a, Class<?> preferred)
            throws IOException {
        if (!a.isUnresolved()) {
            return result(a);
        }
        List<InetAddress> all = await(Net.resolve(loop, a.getHostString()));
        InetAddress pick = all.get(0);
        for (InetAddress i : all) {
            if (preferred != null && preferred.isInstance(i)) {
                pick = i;
                break;
            }
        }
        return result(new InetSocketAddress(pick, a.getPort()));
    }

    private static void bind(DatagramChannel ch, InetSocketAddress address) throws IOException {
        try {
            ch.bind(address);
        } catch (IOException e) {
            throw Net.naming(e, address);
        }
    }

    // ---------------------------------------------------------------- the endpoint

    /**
     * The address the socket is bound to, with the real port when 0 was asked or none was given.
     *
     * @return the local address
     */
    public InetSocketAddress localAddress() {
        return local;
    }

    /**
     * The address the endpoint is connected to: asyncio's {@code peername}.
     *
     * @return the remote address, or null when the endpoint is not connected
     */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /**
     * Sends {@code data} as one datagram to the connected remote address: asyncio's
     * {@code transport.sendto(data)}. Never waits; see the class comment. Ignored once the endpoint
     * is closing, as CPython ignores it on a connected transport.
     *
     * @param data the datagram's payload; copied when it has to wait, so the caller may reuse it
     * @throws IllegalStateException    when the endpoint is not connected (it names the endpoint)
     * @throws IllegalArgumentException when {@code data} is empty: the JDK's connected
     *                                  {@code DatagramChannel} sends nothing for an empty buffer
     */
    public void send(byte[] data) {
        io.checkThread("DatagramEndpoint.send");
        Objects.requireNonNull(data, "data");
        if (remote == null) {
            throw new IllegalStateException(this + " is not connected: give the address with sendTo(data, address), "
                    + "or open the endpoint with a remote address");
        }
        emit(data, null);
    }

    /**
     * Sends {@code data} as one datagram to {@code address}: asyncio's
     * {@code transport.sendto(data, addr)}. Never waits; see the class comment. Ignored once the
     * endpoint is closing. An empty datagram is sent from an endpoint that is not connected.
     *
     * @param data    the datagram's payload; copied when it has to wait
     * @param address where to send it: a resolved address; on a connected endpoint, the remote one
     * @throws IllegalArgumentException when {@code address} is unresolved, or the endpoint is
     *                                  connected to another address (CPython's {@code ValueError})
     */
    public void sendTo(byte[] data, InetSocketAddress address) {
        io.checkThread("DatagramEndpoint.sendTo");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(address, "address");
        if (remote != null) {
            if (!address.equals(remote)) {
                throw new IllegalArgumentException("invalid address " + Net.describe(address) + ": " + this
                        + " is connected to " + Net.describe(remote) + " and sends there only");
            }
            emit(data, null);
            return;
        }
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address + ": sendTo does not look names up; "
                    + "resolve it first (new InetSocketAddress(InetAddress, port))");
        }
        emit(data, address);
    }

    private void emit(byte[] data, InetSocketAddress to) {
        if (to == null && data.length == 0) {
            throw new IllegalArgumentException("cannot send an empty datagram on the connected " + this
                    + ": the JDK's connected DatagramChannel writes nothing for an empty buffer");
        }
        if (closing) {
            return;
        }
        if (out.isEmpty()) {
            try {
                // An empty datagram (unconnected only) counts as sent: 0 is all there was.
                if (write(data, to) > 0 || data.length == 0) {
                    return;
                }
            } catch (IOException e) {
                errorReceived(e, to);
                return;
            }
        }
        if (outBytes + data.length > SEND_BUFFER_BYTES) {
            sendDrops++;
            return;
        }
        out.addLast(new Outgoing(data.clone(), to));
        outBytes += data.length;
        updateInterest();
    }

    private int write(byte[] data, InetSocketAddress to) throws IOException {
        return send.send(channel, data, to);
    }

    /** Sends what waits, oldest first, until the socket's buffer is full again. */
    private void flushOut() {
        Outgoing o;
        while ((o = out.peekFirst()) != null) {
            try {
                if (write(o.data, o.to) == 0 && o.data.length > 0) {
                    break;
                }
            } catch (IOException e) {
                errorReceived(e, o.to);
            }
            out.pollFirst();
            outBytes -= o.data.length;
        }
        if (out.isEmpty() && closing) {
            finishClosing();
        } else {
            updateInterest();
        }
    }

    /**
     * The next datagram, waiting until one arrives: what asyncio's {@code datagram_received}
     * hands over, as an await. A task cancelled while it waits takes nothing; a datagram that
     * arrived for it goes to the next waiting task.
     *
     * @return an awaitable of the datagram
     * @throws IOException the next queued error ({@link java.net.PortUnreachableException} when the
     *                     connected remote's port is closed), or a {@link SocketException} when the
     *                     endpoint is closed or closes while waiting
     */
    @Async
    public Coroutine<Datagram> receive() throws IOException {
        io.checkThread("DatagramEndpoint.receive");
        while (received.isEmpty()) {
            if (closing) {
                throw closedError();
            }
            Future<Void> w = loop.createFuture();
            receivers.addLast(w);
            try {
                await(w);
            } catch (Throwable t) {
                w.cancel();
                receivers.remove(w);
                if (!received.isEmpty() && !w.isCancelled()) {
                    // Woken for a datagram that this receive will not take.
                    wakeOne();
                }
                throw t;
            }
        }
        Object next = received.pollFirst();
        if (next instanceof Datagram d) {
            receivedBytes -= d.data().length;
            return result(d);
        }
        throw (IOException) next;
    }

    private SocketException closedError() {
        return new SocketException(this + " is closed");
    }

    /**
     * How many datagrams that arrived were dropped because the receive queue was full.
     *
     * @return the count since the endpoint opened
     */
    public long receiveDrops() {
        return receiveDrops;
    }

    /**
     * How many datagrams given to {@code send}/{@code sendTo} were dropped because the send queue
     * was full.
     *
     * @return the count since the endpoint opened
     */
    public long sendDrops() {
        return sendDrops;
    }

    /**
     * The payload bytes queued for sending: asyncio's {@code get_write_buffer_size()}.
     *
     * @return the byte count, 0 when every datagram went out at once
     */
    public long sendBufferSize() {
        return outBytes;
    }

    // ---------------------------------------------------------------- readiness

    private void ready(int ops) {
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            flushOut();
        }
        if ((ops & SelectionKey.OP_READ) != 0 && !closing) {
            readSome();
        }
    }

    private void readSome() {
        ByteBuffer b = io.readBuffer();
        for (int i = 0; i < READS_PER_TURN && !closing; i++) {
            b.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(b);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // ECONNREFUSED after an ICMP port unreachable, say. Reading goes on at the next
                // readiness: one error a turn, however often the socket reports one.
                errorReceived(e, remote);
                return;
            }
            if (from == null) {
                return;
            }
            b.flip();
            byte[] data = new byte[b.remaining()];
            b.get(data);
            if (received.size() >= RECEIVE_QUEUE_DATAGRAMS || receivedBytes + data.length > RECEIVE_QUEUE_BYTES) {
                receiveDrops++;
                continue;
            }
            received.addLast(new Datagram(data, from));
            receivedBytes += data.length;
            wakeOne();
        }
    }

    /** CPython's {@code error_received}: the failure waits for the next {@link #receive()}. */
    private void errorReceived(IOException e, InetSocketAddress about) {
        if (received.size() >= RECEIVE_QUEUE_DATAGRAMS) {
            receiveDrops++;
            return;
        }
        received.addLast(about == null ? e : Net.naming(e, about));
        wakeOne();
    }

    private void wakeOne() {
        Future<Void> w;
        while ((w = receivers.pollFirst()) != null) {
            if (!w.isDone()) {
                w.setResult(null);
                return;
            }
        }
    }

    private void updateInterest() {
        if (closed) {
            return;
        }
        int ops = (closing ? 0 : SelectionKey.OP_READ) | (out.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        if (ops != interest) {
            interest = ops;
            key.interestOps(ops);
        }
    }

    // ---------------------------------------------------------------- closing

    /**
     * Starts closing: receiving stops at once (a waiting {@link #receive()} fails with a
     * {@link SocketException} saying the endpoint is closed, and the queued datagrams are
     * discarded), the datagrams still queued for sending go out, then the socket is closed, at once
     * when nothing waits to be sent. Returns without waiting; idempotent. Inside {@code @Async}
     * code, try-with-resources awaits {@link #aclose()} instead.
     */
    @Override
    public void close() {
        startClosing();
    }

    /**
     * {@link #close()}, then waits until the socket is closed.
     *
     * @return an awaitable of the close
     */
    @Override
    public Awaitable<Void> aclose() {
        return closeAndWait();
    }

    @Async
    private Coroutine<Void> closeAndWait() {
        // Not close(): inside @Async code that would be woven as an await of aclose(), this method.
        startClosing();
        if (!closed) {
            Future<Void> w = loop.createFuture();
            if (closeWaiters == null) {
                closeWaiters = new ArrayList<>(1);
            }
            closeWaiters.add(w);
            await(w);
        }
        return done();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closing or closed
     */
    public boolean isClosing() {
        return closing;
    }

    private void startClosing() {
        if (closing) {
            return;
        }
        io.checkThread("DatagramEndpoint.close");
        closing = true;
        received.clear();
        receivedBytes = 0;
        Future<Void> w;
        while ((w = receivers.pollFirst()) != null) {
            if (!w.isDone()) {
                w.setException(closedError());
            }
        }
        if (out.isEmpty()) {
            finishClosing();
        } else {
            updateInterest();
        }
    }

    private void finishClosing() {
        if (closed) {
            return;
        }
        closed = true;
        key.cancel();
        try {
            channel.close();
            // A closed channel registered with a selector keeps its port until the next select.
            if (!loop.isClosed()) {
                io.flushCancelled();
            }
        } catch (IOException | IllegalStateException e) {
            loop.callExceptionHandler(new ExceptionContext("closing " + this + " failed", e, null, null, null));
        }
        List<Future<Void>> ws = closeWaiters;
        closeWaiters = null;
        Waiters.settle(ws, null);
    }

    @Override
    public String toString() {
        return "DatagramEndpoint[" + Net.describe(local) + (remote == null ? "" : " -> "
                + Net.describe(remote)) + (closed ? ", closed" : closing ? ", closing" : "")
                + (outBytes > 0 ? ", queued=" + outBytes : "") + "]";
    }
}
