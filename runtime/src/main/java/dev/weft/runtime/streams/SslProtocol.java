package dev.weft.runtime.streams;

import dev.weft.runtime.EventLoop;
import dev.weft.runtime.ExceptionContext;
import dev.weft.runtime.Future;
import dev.weft.runtime.TimeoutError;
import dev.weft.runtime.TimerHandle;
import dev.weft.runtime.kernel.Net;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

/**
 * TLS as a protocol layered over a raw transport, CPython's {@code sslproto.SSLProtocol}: the raw
 * {@link SocketTransport} hands it ciphertext, it drives an {@link SSLEngine}, and the application's
 * protocol sees an {@link SslTransport} of plaintext, made only once the handshake is done.
 *
 * <p>Delegated tasks run inline, on the loop's thread, as CPython runs OpenSSL's handshake: with
 * the JDK's providers they are the certificate checks and key agreement of the handshake, its own
 * computation, which another thread would not make smaller; running them elsewhere would cost two
 * thread hops each and let the order of a handshake's steps depend on an executor.
 *
 * <p>Closing sends close_notify and waits (at most {@link #SHUTDOWN_TIMEOUT} seconds, CPython's
 * {@code ssl_shutdown_timeout}) for the peer's, then closes the socket; a peer's close_notify is
 * the end of the stream and is answered at once. A TLS 1.2 (or older) peer that starts a new
 * handshake once the first is done (a HelloRequest or ClientHello) is refused: the connection is
 * closed with an {@link SSLException}. TLS 1.3 post-handshake messages (KeyUpdate,
 * NewSessionTicket) are no new handshake and are handled.
 */
final class SslProtocol extends WriteFlow implements Protocol {
    /** CPython's {@code SSL_SHUTDOWN_TIMEOUT}: how long a close waits for the peer's close_notify. */
    static final double SHUTDOWN_TIMEOUT = 30.0;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Buffers shared by the TLS connections of a loop's thread: each is used and emptied in one call. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private enum State { HANDSHAKING, WRAPPED, SHUTDOWN, CLOSED }

    private final SSLEngine engine;
    private final Protocol app;
    private final SslTransport appTransport;
    private final boolean client;
    private final double handshakeTimeout;
    /** Completed when the handshake is done; made for a client, which awaits it. */
    private final Future<Void> handshakeWaiter;
    private Transport raw;
    private State state = State.HANDSHAKING;
    private TimerHandle timer;

    /** Ciphertext of an incomplete record, kept between reads; null when there is none. */
    private ByteBuffer netIn;
    /** Plaintext the engine has not taken yet: written while another write was wrapping. */
    private ArrayDeque<ByteBuffer> backlog;
    private long pendingPlain;
    private boolean wrapping;
    /** The handshake finished inside a wrap: the application hears of it once the wrap is done. */
    private boolean finishedPending;
    private boolean tls13;
    private boolean appConnected;
    private boolean appReadPaused;
    private boolean closing;
    private boolean eofToApp;
    /** The peer closed the socket: nothing more will be read. */
    private boolean rawEof;
    /** Why the connection ended, told to the application rather than the raw transport's null. */
    private Exception failure;

    private SslProtocol(EventLoop loop, SSLEngine engine, Protocol app, boolean client, double handshakeTimeout) {
        super(loop);
        this.engine = engine;
        this.app = app;
        this.client = client;
        this.handshakeTimeout = handshakeTimeout;
        this.handshakeWaiter = client ? loop.createFuture() : null;
        this.appTransport = new SslTransport(this);
    }

    /**
     * A TLS layer for one connection. A client's engine is made for the server's name (the
     * options' {@code serverHostname}, else {@code host}) and checks the certificate against it, as
     * HTTPS does; the name goes out as SNI unless it is a literal address.
     *
     * @throws IllegalArgumentException when a client has no name to check (a Unix socket without
     *                                  {@code serverHostname}), or the name is no valid SNI name
     */
    static SslProtocol create(EventLoop loop, StreamOptions options, boolean server, String host,
            SocketAddress remote, Protocol app) {
        SSLContext context = options.ssl();
        SSLEngine engine;
        if (server) {
            engine = context.createSSLEngine();
            engine.setUseClientMode(false);
        } else {
            String name = options.serverHostname() != null ? options.serverHostname() : host;
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("TLS without a host needs StreamOptions.serverHostname(name): "
                        + "the name the server's certificate is checked against");
            }
            int port = remote instanceof InetSocketAddress a ? a.getPort() : -1;
            engine = context.createSSLEngine(name, port);
            engine.setUseClientMode(true);
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            if (!Net.isLiteral(name)) {
                p.setServerNames(List.of(new SNIHostName(name)));
            }
            engine.setSSLParameters(p);
        }
        return new SslProtocol(loop, engine, app, !server, options.sslHandshakeTimeout());
    }

    /** The plaintext transport the application's protocol writes to. */
    SslTransport appTransport() {
        return appTransport;
    }

    SSLEngine engine() {
        return engine;
    }

    /** Done when the handshake is; failed with its failure. Only for a client. */
    Future<Void> handshakeWaiter() {
        return handshakeWaiter;
    }

    // ---------------------------------------------------------------- the raw side

    @Override
    public void connectionMade(Transport transport) {
        raw = transport;
        raw.setWriteBufferLimits(highWater(), lowWater());
        timer = loop.callLater(handshakeTimeout, this::handshakeTimedOut);
        try {
            engine.beginHandshake();
            drive(null);
        } catch (SSLException | RuntimeException e) {
            fatal(e);
        }
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            if (netIn != null && netIn.position() > 0) {
                topUp(data);
            }
            if (data.hasRemaining() && (netIn == null || netIn.position() == 0)) {
                drive(data);
            }
            if (data.hasRemaining() && state != State.CLOSED) {
                keep(data);
            }
        } catch (SSLException | RuntimeException e) {
            fatal(e);
            return;
        }
        if (netIn != null && netIn.position() == 0) {
            // A read that ended on a record's boundary: an idle connection holds no buffer.
            netIn = null;
        }
    }

    /** Completes the kept partial record from {@code data}, and goes on from it while it helps. */
    private void topUp(ByteBuffer data) throws SSLException {
        while (data.hasRemaining() && netIn.position() > 0 && state != State.CLOSED) {
            if (!netIn.hasRemaining()) {
                grow(netIn.capacity() * 2);
            }
            int n = Math.min(data.remaining(), netIn.remaining());
            netIn.put(netIn.position(), data, data.position(), n);
            netIn.position(netIn.position() + n);
            data.position(data.position() + n);
            netIn.flip();
            drive(netIn);
            netIn.compact();
            if (readingStopped()) {
                return;
            }
        }
    }

    /** Keeps what {@code data} holds for the next read, or for {@link #resumeReading}. */
    private void keep(ByteBuffer data) {
        int need = data.remaining() + (netIn == null ? 0 : netIn.position());
        if (netIn == null) {
            netIn = ByteBuffer.allocate(Math.max(need, engine.getSession().getPacketBufferSize()));
        } else if (netIn.remaining() < data.remaining()) {
            grow(need);
        }
        netIn.put(data);
    }

    private void grow(int capacity) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(capacity, engine.getSession().getPacketBufferSize()));
        netIn.flip();
        b.put(netIn);
        netIn = b;
    }

    private boolean readingStopped() {
        return state == State.CLOSED || appReadPaused && state == State.WRAPPED;
    }

    @Override
    public boolean eofReceived() {
        rawEof = true;
        switch (state) {
            case HANDSHAKING -> fatal(new SSLHandshakeException("Remote host terminated the handshake: "
                    + Net.describe(raw.remoteAddress())));
            case WRAPPED -> {
                // The peer closed without close_notify: the end of the stream all the same, as CPython.
                eofToApp();
                startShutdown();
            }
            default -> {
            }
        }
        return false;
    }

    @Override
    public void connectionLost(Exception e) {
        state = State.CLOSED;
        cancelTimer();
        netIn = null;
        Exception why = failure != null ? failure : e;
        if (handshakeWaiter != null && !handshakeWaiter.isDone()) {
            handshakeWaiter.setException(why != null ? why : new SSLHandshakeException(
                    "connection closed during the TLS handshake with " + peer()));
        }
        if (appConnected) {
            appConnected = false;
            app.connectionLost(why);
        }
    }

    @Override
    public void pauseWriting() {
        maybePauseApp();
    }

    @Override
    public void resumeWriting() {
        maybeResumeProtocol();
    }

    // ---------------------------------------------------------------- the engine

    /**
     * Drives the engine over the ciphertext in {@code src} (null: none): runs its tasks, wraps what
     * the handshake sends, unwraps whole records and hands their plaintext to the application.
     * Returns when a record is incomplete, reading is paused or the connection is closed.
     */
    private void drive(ByteBuffer src) throws SSLException {
        Scratch s = SCRATCH.get();
        for (;;) {
            if (finishedPending) {
                finishedPending = false;
                handshakeDone();
            }
            if (state == State.CLOSED) {
                return;
            }
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (state == State.WRAPPED && renegotiating(hs)) {
                refuseRenegotiation();
                return;
            }
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                continue;
            }
            if (hs == HandshakeStatus.NEED_WRAP) {
                if (!wrap(EMPTY) && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    return;
                }
                continue;
            }
            if (src == null || !src.hasRemaining() || readingStopped()) {
                return;
            }
            if (engine.isInboundDone()) {
                src.position(src.limit()); // after close_notify, nothing counts
                return;
            }
            ByteBuffer plain = s.plain;
            plain.clear();
            SSLEngineResult r = engine.unwrap(src, plain);
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                s.plain = ByteBuffer.allocate(Math.max(plain.capacity() * 2,
                        engine.getSession().getApplicationBufferSize()));
                continue;
            }
            if (r.getStatus() == Status.BUFFER_UNDERFLOW) {
                return;
            }
            if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                handshakeDone();
            }
            if (plain.position() > 0 && state == State.WRAPPED && appConnected) {
                plain.flip();
                app.dataReceived(plain);
            }
            if (r.getStatus() == Status.CLOSED) {
                closeNotifyReceived();
            }
        }
    }

    /** A new handshake after the first, on a session older than TLS 1.3 with both ways open. */
    private boolean renegotiating(HandshakeStatus hs) {
        return !tls13 && hs != HandshakeStatus.NOT_HANDSHAKING && !engine.isInboundDone()
                && !engine.isOutboundDone();
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /**
     * Wraps {@code src} (or, when empty, what the handshake or close needs) and writes the records,
     * several per write to the raw transport.
     *
     * @return whether any bytes were produced
     */
    private boolean wrap(ByteBuffer src) throws SSLException {
        Scratch s = SCRATCH.get();
        ByteBuffer out = s.out;
        out.clear();
        boolean produced = false;
        wrapping = true;
        try {
            for (;;) {
                int packet = engine.getSession().getPacketBufferSize();
                if (out.remaining() < packet) {
                    if (out.position() > 0) {
                        out.flip();
                        raw.write(out);
                        out.clear();
                    } else {
                        out = s.out = ByteBuffer.allocate(4 * packet);
                    }
                }
                SSLEngineResult r = engine.wrap(src, out);
                if (r.bytesProduced() > 0) {
                    produced = true;
                }
                if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    finishedPending = true;
                }
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    if (out.position() == 0) {
                        out = s.out = ByteBuffer.allocate(out.capacity() * 2);
                    } else {
                        out.limit(out.position()); // flushed at the top of the loop
                    }
                    continue;
                }
                if (r.getStatus() == Status.CLOSED) {
                    src.position(src.limit()); // close_notify is out: nothing more is sent
                    break;
                }
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                } else if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    break; // the engine takes nothing now: what is left goes back to the backlog
                }
                if (!src.hasRemaining() && (src != EMPTY || r.bytesProduced() == 0
                        || engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP)) {
                    break;
                }
            }
            if (out.position() > 0) {
                out.flip();
                raw.write(out);
                out.clear();
            }
        } finally {
            wrapping = false;
        }
        return produced;
    }

    // ---------------------------------------------------------------- stages

    private void handshakeDone() {
        if (state != State.HANDSHAKING) {
            return;
        }
        state = State.WRAPPED;
        cancelTimer();
        tls13 = "TLSv1.3".equals(engine.getSession().getProtocol());
        appConnected = true;
        try {
            app.connectionMade(appTransport);
        } catch (RuntimeException e) {
            report("protocol.connectionMade() failed", e);
            abort(e);
            return;
        }
        if (handshakeWaiter != null && !handshakeWaiter.isDone()) {
            handshakeWaiter.setResult(null);
        }
        if (backlog != null && !closing) {
            flushBacklog();
        }
    }

    private void closeNotifyReceived() {
        if (state == State.WRAPPED) {
            eofToApp();
            startShutdown();
        } else if (state == State.SHUTDOWN) {
            state = State.CLOSED;
            raw.close();
        }
    }

    private void eofToApp() {
        if (!eofToApp && appConnected) {
            eofToApp = true;
            // Over TLS the end of the stream closes the connection, whatever the protocol answers:
            // TLS has no half-close.
            app.eofReceived();
        }
    }

    /** Sends close_notify; closes the socket once the peer's has come (or at once if it has). */
    private void startShutdown() {
        if (state != State.WRAPPED) {
            return;
        }
        closing = true;
        state = State.SHUTDOWN;
        flushBacklog();
        engine.closeOutbound();
        try {
            wrap(EMPTY);
        } catch (SSLException e) {
            fatal(e);
            return;
        }
        if (engine.isInboundDone() || rawEof || raw.isClosing()) {
            state = State.CLOSED;
            raw.close();
        } else {
            raw.resumeReading();
            timer = loop.callLater(SHUTDOWN_TIMEOUT, () -> {
                timer = null;
                abort(new TimeoutError("TLS shutdown with " + peer() + " timed out after " + SHUTDOWN_TIMEOUT
                        + " s: the peer sent no close_notify"));
            });
        }
    }

    private void refuseRenegotiation() {
        SSLException e = new SSLException("renegotiation refused: " + peer() + " started a new TLS handshake on "
                + engine.getSession().getProtocol());
        fatal(e);
    }

    private void handshakeTimedOut() {
        timer = null;
        if (state == State.HANDSHAKING) {
            abort(new TimeoutError("TLS handshake with " + peer() + " is taking longer than " + handshakeTimeout
                    + " s: aborting the connection"));
        }
    }

    /**
     * The connection fails with {@code e}: the engine's alert goes out if the socket has nothing
     * else queued (else the socket is aborted), the handshake's waiter and the application hear of it.
     */
    private void fatal(Exception e) {
        if (state == State.CLOSED) {
            return;
        }
        if (failure == null) {
            failure = e;
        }
        if (e instanceof RuntimeException) {
            report("fatal error on the TLS transport", e);
        }
        failHandshake(e);
        boolean idle = raw != null && raw.getWriteBufferSize() == 0;
        state = State.CLOSED;
        cancelTimer();
        if (raw == null) {
            return;
        }
        if (idle) {
            engine.closeOutbound();
            try {
                wrapRest();
            } catch (SSLException | RuntimeException alreadyFailing) {
                // The engine is broken: no alert, the socket closes all the same.
            }
            raw.close();
        } else {
            raw.abort();
        }
    }

    /** Writes what the engine still has (the alert of a failure), at most a few records. */
    private void wrapRest() throws SSLException {
        ByteBuffer out = SCRATCH.get().out;
        for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
            out.clear();
            SSLEngineResult r = engine.wrap(EMPTY, out);
            if (out.position() > 0) {
                out.flip();
                raw.write(out);
            }
            if (r.getStatus() != Status.OK || r.bytesProduced() == 0) {
                break;
            }
        }
        out.clear();
    }

    private void failHandshake(Exception e) {
        if (state == State.HANDSHAKING) {
            if (handshakeWaiter != null && !handshakeWaiter.isDone()) {
                handshakeWaiter.setException(e);
            } else if (!client && loop.isDebug()) {
                // A server's failed handshake is the peer's doing: reported in debug mode only, as CPython.
                report("TLS handshake failed", e);
            }
        }
    }

    void abort(Exception why) {
        closing = true;
        if (why != null && failure == null) {
            failure = why;
        }
        if (why != null) {
            failHandshake(why);
        }
        state = State.CLOSED;
        cancelTimer();
        if (raw != null) {
            raw.abort();
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    @Override
    void report(String message, Throwable e) {
        loop.callExceptionHandler(new ExceptionContext(message + " (" + appTransport + ")", e, null, null, null));
    }

    private String peer() {
        return raw == null ? "the peer" : Net.describe(raw.remoteAddress());
    }

    // ---------------------------------------------------------------- what the app transport asks

    void write(ByteBuffer data) {
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        if (closing || state == State.CLOSED || state == State.SHUTDOWN) {
            data.position(data.limit());
            return;
        }
        if (wrapping || state == State.HANDSHAKING) {
            keepPlain(data);
            maybePauseApp();
            return;
        }
        try {
            wrap(data);
            if (data.hasRemaining()) {
                keepPlain(data);
            }
            if (backlog != null) {
                flushBacklog();
            }
        } catch (SSLException | RuntimeException e) {
            fatal(e);
            return;
        }
        maybePauseApp();
    }

    private void keepPlain(ByteBuffer data) {
        int n = data.remaining();
        ByteBuffer copy = ByteBuffer.allocate(n);
        copy.put(data).flip();
        if (backlog == null) {
            backlog = new ArrayDeque<>(2);
        }
        backlog.addLast(copy);
        pendingPlain += n;
    }

    private void flushBacklog() {
        ByteBuffer b;
        try {
            while (backlog != null && (b = backlog.peekFirst()) != null && state != State.CLOSED) {
                int before = b.remaining();
                wrap(b);
                pendingPlain -= before - b.remaining();
                if (b.hasRemaining()) {
                    return; // the engine takes nothing now
                }
                backlog.pollFirst();
            }
        } catch (SSLException | RuntimeException e) {
            fatal(e);
            return;
        }
        backlog = null;
        pendingPlain = 0;
        maybeResumeProtocol();
    }

    void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (state == State.HANDSHAKING) {
            abort(null);
        } else {
            startShutdown();
        }
    }

    boolean isClosing() {
        return closing || state == State.CLOSED || raw.isClosing();
    }

    void pauseReading() {
        if (closing || appReadPaused) {
            return;
        }
        appReadPaused = true;
        raw.pauseReading();
    }

    void resumeReading() {
        if (closing || !appReadPaused) {
            return;
        }
        appReadPaused = false;
        raw.resumeReading();
        if (netIn != null && netIn.position() > 0) {
            // Records kept while paused: handed over on the next turn, as CPython's resume_reading.
            loop.callSoon(this::processKept);
        }
    }

    private void processKept() {
        if (netIn == null || netIn.position() == 0 || readingStopped()) {
            return;
        }
        try {
            netIn.flip();
            drive(netIn);
            netIn.compact();
        } catch (SSLException | RuntimeException e) {
            fatal(e);
        }
    }

    boolean isReading() {
        return !appReadPaused && !closing && state != State.CLOSED;
    }

    void setWriteBufferLimits(int high, int low) {
        setWaterMarks(high, low);
        if (raw != null) {
            raw.setWriteBufferLimits(high, low);
        }
        maybePauseApp();
        maybeResumeProtocol();
    }

    @Override
    long getWriteBufferSize() {
        return pendingPlain + (raw == null ? 0 : raw.getWriteBufferSize());
    }

    /** The application hears of a pause only while it is connected: between its connectionMade and connectionLost. */
    private void maybePauseApp() {
        if (appConnected) {
            maybePauseProtocol();
        }
    }

    Transport raw() {
        return raw;
    }

    @Override
    Protocol protocol() {
        return app;
    }

    /** The heap buffers the engine works in (it is fastest on arrays); grown when a session asks more. */
    private static final class Scratch {
        ByteBuffer plain = ByteBuffer.allocate(17 * 1024);
        ByteBuffer out = ByteBuffer.allocate(4 * 16_709);
    }
}
