package dev.weft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Net.naming and Net.describe: a socket failure says which address it concerns. */
class NetTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress(loopback(), 8443);

    static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aBindFailureStaysABindExceptionNamingTheAddressAsAsked() {
        BindException cause = new BindException("Address already in use");
        IOException named = Net.naming(cause, LOCAL);
        assertEquals(BindException.class, named.getClass());
        assertEquals("Address already in use: 127.0.0.1:8443", named.getMessage());
        assertSame(cause, named.getCause());
    }

    @Test
    void aBindFailureOnTheWildcardNamesItWithoutItsLookup() {
        IOException named = Net.naming(new BindException("Address already in use"), new InetSocketAddress(8443));
        assertEquals("Address already in use: 0.0.0.0:8443", named.getMessage());
    }

    @Test
    void theOtherSocketFailuresKeepTheirTypeAndNameTheAddressAsItPrints() {
        IOException refused = Net.naming(new ConnectException("Connection refused"), LOCAL);
        assertEquals(ConnectException.class, refused.getClass());
        assertEquals("Connection refused: " + LOCAL, refused.getMessage());
        IOException reset = Net.naming(new SocketException(null), LOCAL);
        assertEquals(SocketException.class, reset.getClass());
        assertEquals("SocketException: " + LOCAL, reset.getMessage());
    }

    @Test
    void aFailureOfAnotherKindIsReturnedAsItIs() {
        UnknownHostException e = new UnknownHostException("nowhere");
        assertSame(e, Net.naming(e, LOCAL));
    }

    @Test
    void describeWritesHostAndPortOrTheAddressItself() {
        assertEquals("127.0.0.1:8443", Net.describe(LOCAL));
        assertEquals("localhost:80", Net.describe(InetSocketAddress.createUnresolved("localhost", 80)));
        assertTrue(Net.describe(UnixDomainSocketAddress.of("/tmp/s")).endsWith("/tmp/s"));
        assertEquals("null", Net.describe(null));
    }
}
