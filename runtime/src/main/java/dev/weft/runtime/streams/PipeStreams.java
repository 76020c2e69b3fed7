package dev.weft.runtime.streams;

import dev.weft.runtime.EventLoop;
import dev.weft.runtime.kernel.Engine;
import dev.weft.runtime.kernel.LoopIo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Streams over blocking Java pipes, such as a child process's standard streams: the JDK gives no
 * selectable pipe, so each pipe has a daemon thread of its own that blocks in {@code read} or
 * {@code write}, and its bytes reach the loop through the thread-safe hand-off.
 *
 * <p>Flow control is carried through: a reading thread hands over one chunk (at most 64 KiB) at a
 * time and reads the next only once the loop has taken it and the reader is not paused (past twice
 * its limit), so a child that writes faster than its task reads is held up by the pipe, not
 * buffered without bound. A writer's bytes count against its high-water mark until its thread has
 * written them, so {@link StreamWriter#drain()} waits for a child that reads slowly.
 */
public final class PipeStreams {
    private static final int CHUNK = 64 * 1024;

    private static final String IDLE = "weft-pipe (idle)";
    /**
     * The pipes' threads: one a pipe while it is open, as many as there are open pipes, kept for a
     * while once idle so that the next child's pipes do not start threads of their own (three
     * thread starts were about half of what a short child's spawn and {@code communicate} cost
     * beyond blocking Java's). Daemons, so an idle one never holds up the JVM's exit.
     */
    private static final java.util.concurrent.ExecutorService PIPE_THREADS = new java.util.concurrent.ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 10, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
            r -> {
                // No inherited thread-locals and the runtime's own class loader: a pooled thread
                // serves the pipes of any loop, not those of the thread that happened to start it.
                Thread t = new Thread(null, r, IDLE, 0, false);
                t.setDaemon(true);
                t.setContextClassLoader(PipeStreams.class.getClassLoader());
                return t;
            });

    private PipeStreams() {
    }

    /** {@code body} under the thread name {@code "weft-pipe " + name}, which a thread dump shows. */
    private static Runnable named(Runnable body, String name) {
        return () -> {
            Thread me = Thread.currentThread();
            me.setName("weft-pipe " + name);
            body.run();
            // Only on a normal end: a failure that escapes is reported under the pipe's name.
            me.setName(IDLE);
        };
    }

    /**
     * A reader fed from {@code in} by a thread of its own, until its end; the stream is closed at
     * its end, on failure, or when the loop closes.
     *
     * @param loop  the loop whose tasks read it
     * @param in    the blocking stream
     * @param name  what the thread and errors call it ("stdout of pid 42")
     * @param limit the reader's limit
     * @return the reader
     */
    public static StreamReader reader(EventLoop loop, InputStream in, String name, int limit) {
        StreamReader reader = new StreamReader(loop, limit);
        ReadPipe pipe = new ReadPipe(loop, in, name, reader);
        reader.setTransport(pipe);
        pipe.start();
        return reader;
    }

    /**
     * A writer whose bytes a thread of its own writes to {@code out}; {@code close()} closes
     * {@code out} once the buffered bytes are written.
     *
     * @param loop the loop whose tasks write it
     * @param out  the blocking stream
     * @param name what the thread and errors call it ("stdin of pid 42")
     * @return the writer
     */
    public static StreamWriter writer(EventLoop loop, OutputStream out, String name) {
        StreamProtocol protocol = new StreamProtocol(loop, StreamOptions.DEFAULT_LIMIT);
        WritePipe pipe = new WritePipe(loop, out, name, protocol);
        protocol.connectionMade(pipe);
        pipe.start();
        return protocol.writer();
    }

    /** The reading side: a thread that reads chunks and hands them to the reader. */
    private static final class ReadPipe implements Transport, Runnable {
        private final EventLoop loop;
        private final LoopIo io;
        private final InputStream in;
        private final String name;
        private final StreamReader reader;
        private final Runnable closeHook = this::closeFromLoop;
        /** Guarded by this: the reader is paused, a chunk waits for the loop, or the pipe is closed. */
        private boolean paused;
        private boolean inFlight;
        private volatile boolean closed;

        ReadPipe(EventLoop loop, InputStream in, String name, StreamReader reader) {
            this.loop = loop;
            this.io = Engine.get().io(loop);
            this.in = in;
            this.name = name;
            this.reader = reader;
        }

        void start() {
            io.atClose(closeHook);
            io.expect();
            PIPE_THREADS.execute(named(this, name));
        }

        @Override
        public void run() {
            byte[] buf = new byte[CHUNK];
            Runnable last;
            try {
                while (true) {
                    synchronized (this) {
                        while ((paused || inFlight) && !closed) {
                            wait();
                        }
                    }
                    if (closed) {
                        last = () -> { };
                        break;
                    }
                    int n = in.read(buf);
                    if (n < 0) {
                        last = this::ended;
                        break;
                    }
                    if (n == 0) {
                        continue;
                    }
                    byte[] chunk = Arrays.copyOf(buf, n);
                    synchronized (this) {
                        inFlight = true;
                    }
                    io.expect();
                    io.deliver(() -> delivered(chunk));
                }
            } catch (IOException e) {
                last = closed ? () -> { } : () -> failed(e);
            } catch (InterruptedException e) {
                last = () -> { };
            }
            closeQuietly();
            io.deliver(last);
        }

        private void delivered(byte[] chunk) {
            // Feed first: feedData may pause the reader, and the thread must see that pause when it
            // wakes, or it reads one chunk more past the reader's bound.
            if (!closed && !reader.atEof()) {
                reader.feedData(chunk);
            }
            synchronized (this) {
                inFlight = false;
                notifyAll();
            }
        }

        private void ended() {
            io.removeAtClose(closeHook);
            if (!closed) {
                closed = true;
                reader.feedEof();
            }
        }

        private void failed(IOException e) {
            io.removeAtClose(closeHook);
            closed = true;
            reader.setException(new IOException(e.getMessage() + " (" + name + ")", e));
        }

        private void closeQuietly() {
            try {
                in.close();
            } catch (IOException ignored) {
                // Closing a pipe that failed: nothing more to tell.
            }
        }

        private void closeFromLoop() {
            synchronized (this) {
                closed = true;
                notifyAll();
            }
            closeQuietly();
        }

        @Override
        public synchronized void pauseReading() {
            paused = true;
        }

        @Override
        public synchronized void resumeReading() {
            paused = false;
            notifyAll();
        }

        @Override
        public synchronized boolean isReading() {
            return !paused && !closed;
        }

        @Override
        public void write(ByteBuffer data) {
            throw new UnsupportedOperationException(name + " is read-only");
        }

        @Override
        public boolean canWriteEof() {
            return false;
        }

        @Override
        public void writeEof() {
            throw new UnsupportedOperationException(name + " is read-only");
        }

        @Override
        public void close() {
            io.removeAtClose(closeHook);
            closeFromLoop();
        }

        @Override
        public void abort() {
            close();
        }

        @Override
        public boolean isClosing() {
            return closed;
        }

        @Override
        public void setWriteBufferLimits(int high, int low) {
            throw new UnsupportedOperationException(name + " is read-only");
        }

        @Override
        public long getWriteBufferSize() {
            return 0;
        }

        @Override
        public SocketAddress localAddress() {
            return null;
        }

        @Override
        public SocketAddress remoteAddress() {
            return null;
        }

        @Override
        public Protocol protocol() {
            return null;
        }

        @Override
        public String toString() {
            return "ReadPipe[" + name + (closed ? ", closed" : "") + ", " + loop + "]";
        }
    }

    /** The writing side: the loop queues chunks, a thread writes them. */
    private static final class WritePipe extends WriteFlow implements Transport {
        private static final byte[] CLOSE = {};

        private final LoopIo io;
        private final OutputStream out;
        private final String name;
        private final StreamProtocol protocol;
        private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        private final Runnable closeHook = this::abort;
        /** Loop-side state. */
        private long buffered;
        private boolean closing;
        private boolean lost;
        private volatile boolean aborted;

        WritePipe(EventLoop loop, OutputStream out, String name, StreamProtocol protocol) {
            super(loop);
            this.io = Engine.get().io(loop);
            this.out = out;
            this.name = name;
            this.protocol = protocol;
        }

        void start() {
            io.atClose(closeHook);
            PIPE_THREADS.execute(named(this::pump, name));
        }

        /** The writing thread: writes each chunk the loop queued, until the close. */
        private void pump() {
            try {
                while (true) {
                    byte[] chunk = queue.take();
                    if (chunk == CLOSE || aborted) {
                        out.close();
                        io.expect();
                        io.deliver(() -> lost(null));
                        return;
                    }
                    out.write(chunk);
                    out.flush();
                    io.expect();
                    io.deliver(() -> written(chunk.length));
                }
            } catch (IOException e) {
                try {
                    out.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                IOException named = new IOException(e.getMessage() + " (" + name + ")", e);
                io.expect();
                io.deliver(() -> lost(aborted ? null : named));
            } catch (InterruptedException e) {
                io.expect();
                io.deliver(() -> lost(null));
            }
        }

        private void written(int n) {
            if (lost) {
                return;
            }
            buffered -= n;
            maybeResumeProtocol();
        }

        private void lost(IOException failure) {
            if (lost) {
                return;
            }
            lost = true;
            closing = true;
            io.removeAtClose(closeHook);
            protocol.connectionLost(failure);
        }

        @Override
        public void write(ByteBuffer data) {
            int n = data.remaining();
            if (n == 0) {
                return;
            }
            if (closing) {
                data.position(data.limit());
                return;
            }
            byte[] chunk = new byte[n];
            data.get(chunk);
            buffered += n;
            queue.add(chunk);
            maybePauseProtocol();
        }

        @Override
        public boolean canWriteEof() {
            return true;
        }

        @Override
        public void writeEof() {
            close();
        }

        @Override
        public void close() {
            if (closing) {
                return;
            }
            closing = true;
            queue.add(CLOSE);
        }

        @Override
        public void abort() {
            aborted = true;
            close();
            try {
                // Unblocks a write stuck on a full pipe.
                out.close();
            } catch (IOException ignored) {
                // Aborting: the pipe may be broken already.
            }
        }

        @Override
        public boolean isClosing() {
            return closing;
        }

        @Override
        public void pauseReading() {
            // Nothing is read from a writing pipe.
        }

        @Override
        public void resumeReading() {
            // Nothing is read from a writing pipe.
        }

        @Override
        public boolean isReading() {
            return false;
        }

        @Override
        public void setWriteBufferLimits(int high, int low) {
            setWaterMarks(high, low);
        }

        @Override
        public long getWriteBufferSize() {
            return buffered;
        }

        @Override
        public SocketAddress localAddress() {
            return null;
        }

        @Override
        public SocketAddress remoteAddress() {
            return null;
        }

        @Override
        public Protocol protocol() {
            return protocol;
        }

        @Override
        public String toString() {
            return "WritePipe[" + name + (closing ? ", closing" : "") + ", buffered=" + buffered + "]";
        }
    }
}
