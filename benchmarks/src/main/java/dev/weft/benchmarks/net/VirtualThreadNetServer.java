package dev.weft.benchmarks.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;

/**
 * The virtual-threads peer of the network sitting: a blocking {@link ServerSocket} on 127.0.0.1,
 * one virtual thread per connection, run with one carrier
 * ({@code -Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1}).
 * HTTP answers the heads of one read with one write, as the raw Netty handler flushes once per read.
 *
 * <p>Usage: {@code VirtualThreadNetServer http|echo PORT}; prints {@code READY} once it listens. The
 * module is compiled for Java 17, so {@code Executors.newVirtualThreadPerTaskExecutor()} is looked
 * up by reflection.
 */
public final class VirtualThreadNetServer {
    /**
     * A blocked read holds its buffer for as long as the connection is idle, so the buffers are
     * what a blocking server would pick: 8 KiB for HTTP heads (as {@code BufferedInputStream}), 16 KiB
     * for echo, so that a 16 KiB message is one read.
     */
    private static final int HTTP_READ = 8 * 1024;
    private static final int ECHO_READ = 16 * 1024;
    /** Sixteen answers back to back: the answers to one read's heads are a prefix of it. */
    private static final byte[] RESPONSES = repeat(HeadScanner.RESPONSE, 16);

    private VirtualThreadNetServer() {
    }

    private static byte[] repeat(byte[] a, int n) {
        byte[] r = new byte[a.length * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, 0, r, i * a.length, a.length);
        }
        return r;
    }

    static void http(Socket s) throws IOException {
        HeadScanner scanner = new HeadScanner();
        byte[] buf = new byte[HTTP_READ];
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int heads = scanner.count(buf, 0, n); heads > 0; heads -= 16) {
                out.write(RESPONSES, 0, Math.min(heads, 16) * HeadScanner.RESPONSE.length);
            }
        }
    }

    static void echo(Socket s) throws IOException {
        byte[] buf = new byte[ECHO_READ];
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
        }
    }

    interface Handler {
        void handle(Socket s) throws IOException;
    }

    /**
     * Serves until killed.
     *
     * @param args the workload ({@code http} or {@code echo}) and the port
     * @throws Exception when the server cannot listen or virtual threads are missing
     */
    public static void main(String[] args) throws Exception {
        Handler handler = switch (args[0]) {
            case "http" -> VirtualThreadNetServer::http;
            case "echo" -> VirtualThreadNetServer::echo;
            default -> throw new IllegalArgumentException("workload must be http or echo, not " + args[0]);
        };
        ExecutorService threads = (ExecutorService) java.util.concurrent.Executors.class
                .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        ServerSocket listener = new ServerSocket(Integer.parseInt(args[1]), 4096, InetAddress.getLoopbackAddress());
        System.out.println("READY " + listener.getLocalSocketAddress());
        System.out.flush();
        // The accept loop is a virtual thread too, so that all the serving is on the one carrier.
        threads.submit(() -> {
            while (true) {
                Socket s = listener.accept();
                s.setTcpNoDelay(true);
                threads.execute(() -> {
                    try (s) {
                        handler.handle(s);
                    } catch (IOException e) {
                        // The client went away; the connection is closed.
                    }
                });
            }
        }).get();
    }
}
