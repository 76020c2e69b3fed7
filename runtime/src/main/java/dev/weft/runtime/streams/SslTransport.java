package dev.weft.runtime.streams;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The plaintext side of a TLS connection, what the application's protocol holds: CPython's
 * {@code _SSLProtocolTransport}. Writes are encrypted at once into the raw transport's buffer; the
 * write buffer size counts the plaintext not yet encrypted and the raw transport's ciphertext.
 * {@link #close()} sends close_notify; there is no half-close.
 */
final class SslTransport implements Transport {
    private final SslProtocol ssl;

    SslTransport(SslProtocol ssl) {
        this.ssl = ssl;
    }

    SslProtocol ssl() {
        return ssl;
    }

    @Override
    public void write(ByteBuffer data) {
        ssl.write(data);
    }

    /** Always false: TLS has no half-close (close_notify ends both directions). */
    @Override
    public boolean canWriteEof() {
        return false;
    }

    /**
     * Not possible over TLS, as CPython's {@code NotImplementedError}.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("writeEof() is not possible over TLS, which has no half-close: "
                + "close() sends close_notify and ends both directions");
    }

    @Override
    public void close() {
        ssl.close();
    }

    @Override
    public void abort() {
        ssl.abort(null);
    }

    @Override
    public boolean isClosing() {
        return ssl.isClosing();
    }

    @Override
    public void pauseReading() {
        ssl.pauseReading();
    }

    @Override
    public void resumeReading() {
        ssl.resumeReading();
    }

    @Override
    public boolean isReading() {
        return ssl.isReading();
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        ssl.setWriteBufferLimits(high, low);
    }

    @Override
    public long getWriteBufferSize() {
        return ssl.getWriteBufferSize();
    }

    @Override
    public SocketAddress localAddress() {
        return ssl.raw().localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return ssl.raw().remoteAddress();
    }

    @Override
    public Protocol protocol() {
        return ssl.protocol();
    }

    @Override
    public String toString() {
        Transport raw = ssl.raw();
        return "SslTransport[" + (raw == null ? "unconnected" : raw.localAddress() + " -> " + raw.remoteAddress())
                + ", " + ssl.engine().getSession().getProtocol() + (isClosing() ? ", closing" : "") + "]";
    }
}
