package dev.weft.runtime.subprocess;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.EventLoop;
import dev.weft.runtime.Future;
import dev.weft.runtime.kernel.Engine;
import dev.weft.runtime.kernel.LoopIo;
import dev.weft.runtime.streams.PipeStreams;
import dev.weft.runtime.streams.StreamReader;
import dev.weft.runtime.streams.StreamWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A child process: asyncio's {@code Process}. Its piped standard streams are streams of the loop
 * ({@link #stdin()}, {@link #stdout()}, {@link #stderr()}, null where not piped); its exit is
 * observed through {@link ProcessHandle#onExit()}, never by polling.
 *
 * <pre>{@code
 * Subprocess p = await(createSubprocessExec("ls", "-l"));
 * Subprocess.Output out = await(p.communicate(null));
 * System.out.println(out.exitCode() + ": " + new String(out.stdout(), UTF_8));
 * }</pre>
 *
 * <p>A child still running when its loop closes is killed then ({@link dev.weft.runtime.Aio#run} leaves none
 * behind). Exit codes are the JDK's: 128 + the signal for a child killed by one (Python reports
 * minus the signal). For the loop's thread.
 */
@SuppressWarnings("exports") // @Async (retention CLASS, read by the weaver only) marks public methods.
public final class Subprocess {
    /** The reader limit of the pipes, asyncio's 64 KiB. */
    private static final int LIMIT = 64 * 1024;

    private final EventLoop loop;
    private final LoopIo io;
    private final Process process;
    private final StreamWriter stdin;
    private final StreamReader stdout;
    private final StreamReader stderr;
    private final Future<Process> exit;
    private final Runnable killAtClose = this::killAtLoopClose;
    private Integer returnCode;

    /**
     * What {@link #communicate(byte[])} gathers: the whole output, and the exit code.
     *
     * @param stdout   what the child wrote to its standard output, or null when it was not piped
     * @param stderr   what it wrote to its standard error, or null when it was not piped
     * @param exitCode its exit code
     */
    public record Output(byte[] stdout, byte[] stderr, int exitCode) {
        @Override
        public String toString() {
            return "Output[exitCode=" + exitCode + ", stdout=" + (stdout == null ? "not piped" : stdout.length + " bytes")
                    + ", stderr=" + (stderr == null ? "not piped" : stderr.length + " bytes") + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Output that && exitCode == that.exitCode && Arrays.equals(stdout, that.stdout)
                    && Arrays.equals(stderr, that.stderr);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(stdout) + Arrays.hashCode(stderr)) + exitCode;
        }
    }

    private Subprocess(EventLoop loop, ProcessBuilder builder, Process process) {
        this.loop = loop;
        this.io = Engine.get().io(loop);
        this.process = process;
        String who = " of pid " + process.pid() + " (" + builder.command().get(0) + ")";
        this.stdin = builder.redirectInput() == ProcessBuilder.Redirect.PIPE
                ? PipeStreams.writer(loop, process.getOutputStream(), "stdin" + who) : null;
        this.stdout = builder.redirectOutput() == ProcessBuilder.Redirect.PIPE
                ? PipeStreams.reader(loop, process.getInputStream(), "stdout" + who, LIMIT) : null;
        this.stderr = !builder.redirectErrorStream() && builder.redirectError() == ProcessBuilder.Redirect.PIPE
                ? PipeStreams.reader(loop, process.getErrorStream(), "stderr" + who, LIMIT) : null;
        io.atClose(killAtClose);
        this.exit = Future.fromStage(process.onExit());
        exit.addDoneCallback(f -> {
            io.removeAtClose(killAtClose);
            returnCode = process.exitValue();
        });
    }

    /**
     * Starts {@code builder}'s command, keeping its redirects ({@code PIPE} ones become streams).
     * The start runs off the loop's thread.
     *
     * @param builder the command, directory, environment and redirects
     * @return an awaitable of the running child
     * @throws IOException the JDK's failure, unwrapped at the await (a missing program, say)
     */
    @Async
    public static Coroutine<Subprocess> start(ProcessBuilder builder) throws IOException {
        Objects.requireNonNull(builder, "builder");
        EventLoop loop = getRunningLoop();
        Process p = await(loop.runInExecutor(null, builder::start));
        return result(new Subprocess(loop, builder, p));
    }

    /**
     * The child's process id.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The child's standard input.
     *
     * @return its writer, or null when not piped
     */
    public StreamWriter stdin() {
        return stdin;
    }

    /**
     * The child's standard output.
     *
     * @return its reader, or null when not piped
     */
    public StreamReader stdout() {
        return stdout;
    }

    /**
     * The child's standard error.
     *
     * @return its reader, or null when not piped (or merged into standard output)
     */
    public StreamReader stderr() {
        return stderr;
    }

    /**
     * The exit code once the loop has seen the child exit.
     *
     * @return the exit code, or null while it runs
     */
    public Integer returnCode() {
        return returnCode;
    }

    /**
     * Waits until the child exits: Python's {@code wait()}. With piped output that nobody reads, a
     * child can block on a full pipe and never exit: read it, or use {@link #communicate}.
     *
     * @return an awaitable of the exit code
     */
    @Async
    public Coroutine<Integer> waitFor() {
        await(exit);
        // Set here too: when the exit came before this await, the future's own callback may not have run yet.
        returnCode = process.exitValue();
        return result(returnCode);
    }

    /**
     * Writes {@code input} to the child's standard input and closes it, reads its standard output
     * and error to their ends, all at once (no deadlock however large either is), then waits for
     * its exit.
     *
     * @param input what to write, or null for nothing (standard input is closed either way, when piped)
     * @return an awaitable of the output and the exit code
     * @throws IOException when a pipe fails
     * @throws IllegalStateException when {@code input} is given and standard input is not piped
     */
    @Async
    public Coroutine<Output> communicate(byte[] input) throws IOException {
        if (input != null && stdin == null) {
            throw new IllegalStateException("communicate(input) needs a piped stdin; pid " + pid() + " has none");
        }
        List<Coroutine<byte[]>> parts = new ArrayList<>(3);
        parts.add(feed(input));
        parts.add(readAll(stdout));
        parts.add(readAll(stderr));
        List<byte[]> got = await(gather(new ArrayList<>(parts)));
        int code = await(waitFor());
        return result(new Output(got.get(1), got.get(2), code));
    }

    @Async
    private Coroutine<byte[]> feed(byte[] input) throws IOException {
        if (stdin != null) {
            if (input != null && input.length > 0) {
                stdin.write(input);
                try {
                    await(stdin.drain());
                } catch (IOException brokenPipe) {
                    // The child stopped reading (exited): as CPython, its output still counts.
                }
            }
            stdin.close();
        }
        return result(null);
    }

    @Async
    private static Coroutine<byte[]> readAll(StreamReader reader) throws IOException {
        if (reader == null) {
            return result(null);
        }
        return result(await(reader.read(-1)));
    }

    /** Asks the child to stop: {@code SIGTERM} on POSIX ({@link Process#destroy()}); nothing once it exited. */
    public void terminate() {
        process.destroy();
    }

    /** Stops the child at once: {@code SIGKILL} on POSIX ({@link Process#destroyForcibly()}). */
    public void kill() {
        process.destroyForcibly();
    }

    private void killAtLoopClose() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "Subprocess[pid=" + pid() + (returnCode == null ? ", running" : ", exited " + returnCode) + ", "
                + loop + "]";
    }
}
