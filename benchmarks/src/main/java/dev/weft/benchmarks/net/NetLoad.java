package dev.weft.benchmarks.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The load clients of the network sitting ({@code benchmarks/compare-net.sh}) that {@code wrk} does
 * not cover, each bounded in time and count, on one thread (the script pins it to the load core).
 *
 * <ul>
 * <li>{@code echo PORT CONNECTIONS SIZE SECONDS}: each connection sends a {@code SIZE}-byte
 *     message, waits for all of it to come back, and sends the next, for {@code SECONDS} (and at
 *     most 500 million messages); prints the count, the rate and the latencies' p50 and p99 from a
 *     1 µs histogram.</li>
 * <li>{@code idle PORT CONNECTIONS SERVER_PID [JCMD]}: opens that many connections that send
 *     nothing (for a JVM, once to warm the server up, then closes them, then again), and prints the growth of
 *     the server's resident memory ({@code VmRSS} in {@code /proc/PID/status}) per connection,
 *     measured once the server holds them all (its descriptor count says so). With {@code JCMD} (a
 *     JVM server, run with {@code -XX:+AlwaysPreTouch} so that its heap is resident from the start and
 *     the resident growth is the native part), it also adds the growth of the live heap, read with
 *     {@code jcmd PID GC.run} and {@code GC.heap_info}: the eden pages a JVM touches for garbage would
 *     otherwise count as memory per connection.</li>
 * </ul>
 */
public final class NetLoad {
    private static final long MAX_MESSAGES = 500_000_000L;
    /** 1 µs buckets up to 1 s; slower ones land in the last. */
    private static final int BUCKETS = 1_000_001;

    private NetLoad() {
    }

    /**
     * Runs one load.
     *
     * @param args {@code echo PORT CONNECTIONS SIZE SECONDS} or {@code idle PORT CONNECTIONS SERVER_PID}
     * @throws Exception when the load cannot run
     */
    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]));
        switch (args[0]) {
            case "echo" -> echo(server, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Double.parseDouble(args[4]));
            case "idle" -> idle(server, Integer.parseInt(args[2]), Long.parseLong(args[3]), args.length > 4 ? args[4] : null);
            default -> throw new IllegalArgumentException("usage: NetLoad echo PORT CONNECTIONS SIZE SECONDS | idle PORT CONNECTIONS SERVER_PID");
        }
    }

    /** One connection's message in flight. */
    private static final class Echo {
        final SocketChannel channel;
        final ByteBuffer out;
        final ByteBuffer in;
        long sentAt;

        Echo(SocketChannel channel, int size) {
            this.channel = channel;
            byte[] message = new byte[size];
            Arrays.fill(message, (byte) 'x');
            this.out = ByteBuffer.wrap(message);
            this.in = ByteBuffer.allocate(size);
        }
    }

    static void echo(InetSocketAddress server, int connections, int size, double seconds) throws IOException {
        long[] histogram = new long[BUCKETS];
        long messages = 0;
        try (Selector selector = Selector.open()) {
            List<Echo> all = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open(server);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                Echo e = new Echo(ch, size);
                ch.register(selector, 0, e);
                all.add(e);
            }
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            for (Echo e : all) {
                send(selector, e, start);
            }
            int inFlight = connections;
            long stopBy = deadline + 2_000_000_000L;
            while (inFlight > 0) {
                selector.select(100);
                long now = System.nanoTime();
                if (now > stopBy) {
                    break;
                }
                for (SelectionKey k : selector.selectedKeys()) {
                    Echo e = (Echo) k.attachment();
                    if (k.isWritable()) {
                        e.channel.write(e.out);
                        if (!e.out.hasRemaining()) {
                            k.interestOps(SelectionKey.OP_READ);
                        }
                    }
                    if (k.isValid() && k.isReadable()) {
                        if (e.channel.read(e.in) < 0) {
                            throw new IOException("the server closed a connection mid-message");
                        }
                        if (!e.in.hasRemaining()) {
                            long micros = (now - e.sentAt) / 1000;
                            histogram[(int) Math.min(micros, BUCKETS - 1)]++;
                            messages++;
                            if (now < deadline && messages < MAX_MESSAGES) {
                                send(selector, e, now);
                            } else {
                                k.interestOps(0);
                                inFlight--;
                            }
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            for (Echo e : all) {
                e.channel.close();
            }
            System.out.printf("RESULT messages=%d seconds=%.3f rate=%.0f p50_us=%d p99_us=%d%n",
                    messages, elapsed, messages / elapsed, percentile(histogram, messages, 0.50),
                    percentile(histogram, messages, 0.99));
        }
    }

    private static void send(Selector selector, Echo e, long now) throws IOException {
        e.out.clear();
        e.in.clear();
        e.sentAt = now;
        e.channel.write(e.out);
        e.channel.keyFor(selector).interestOps(e.out.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ
                : SelectionKey.OP_READ);
    }

    private static long percentile(long[] histogram, long count, double p) {
        long want = (long) Math.ceil(count * p);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= want && seen > 0) {
                return i;
            }
        }
        return -1;
    }

    static void idle(InetSocketAddress server, int connections, long pid, String jcmd) throws Exception {
        long fdsAtStart = descriptors(pid);
        if (jcmd != null) {
            // A JVM first gets a round, closed again, so that what it sets up once (classes, JIT
            // code, buffer pools) is not counted per connection; its live heap is what is read.
            // Not for Python: its allocator keeps the freed arenas, and a second round would reuse
            // them without growing the RSS.
            List<SocketChannel> warm = open(server, connections);
            awaitDescriptors(pid, fdsAtStart + connections);
            for (SocketChannel ch : warm) {
                ch.close();
            }
            awaitDescriptorsBelow(pid, fdsAtStart + connections / 100 + 1);
            Thread.sleep(1000);
        }
        long heapBefore = liveHeapKib(jcmd, pid);
        long fdsBefore = descriptors(pid);
        long rssBefore = rssKib(pid);
        List<SocketChannel> held = open(server, connections);
        boolean all = awaitDescriptors(pid, fdsBefore + connections);
        Thread.sleep(2000);
        long heapAfter = liveHeapKib(jcmd, pid);
        long rssAfter = rssKib(pid);
        long fdsAfter = descriptors(pid);
        for (SocketChannel ch : held) {
            ch.close();
        }
        // With the heap resident from the start, a JVM's RSS moves only with its own native memory
        // (JIT arenas, trimmed malloc pools), which can fall during the round: a fall is not
        // counted against the heap's growth.
        long growth = jcmd == null ? rssAfter - rssBefore : heapAfter - heapBefore + Math.max(0, rssAfter - rssBefore);
        System.out.printf("RESULT connections=%d accepted=%d rss_before_kib=%d rss_after_kib=%d heap_before_kib=%d"
                        + " heap_after_kib=%d bytes_per_connection=%.0f%s%n",
                connections, fdsAfter - fdsBefore, rssBefore, rssAfter, heapBefore, heapAfter, growth * 1024.0 / connections,
                all ? "" : " (the server did not accept every connection within 30 s)");
    }

    /** The JVM's heap in use after a full collection, in KiB (-1 without jcmd). */
    private static long liveHeapKib(String jcmd, long pid) throws Exception {
        if (jcmd == null) {
            return -1;
        }
        run(jcmd, String.valueOf(pid), "GC.run");
        long used = 0;
        Pattern generation = Pattern.compile("total \\d+K, used (\\d+)K");
        for (String line : run(jcmd, String.valueOf(pid), "GC.heap_info")) {
            Matcher m = generation.matcher(line);
            if (m.find()) {
                used += Long.parseLong(m.group(1));
            }
        }
        return used;
    }

    private static List<String> run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + lines);
        }
        return lines;
    }

    private static List<SocketChannel> open(InetSocketAddress server, int connections) throws IOException {
        List<SocketChannel> r = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            r.add(SocketChannel.open(server));
        }
        return r;
    }

    private static boolean awaitDescriptors(long pid, long atLeast) throws Exception {
        long until = System.nanoTime() + 30_000_000_000L;
        while (descriptors(pid) < atLeast) {
            if (System.nanoTime() > until) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static void awaitDescriptorsBelow(long pid, long most) throws Exception {
        long until = System.nanoTime() + 30_000_000_000L;
        while (descriptors(pid) > most && System.nanoTime() < until) {
            Thread.sleep(50);
        }
    }

    private static long descriptors(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }
}
