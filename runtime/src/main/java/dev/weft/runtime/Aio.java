package dev.weft.runtime;

import dev.weft.runtime.kernel.Sneaky;
import dev.weft.runtime.streams.Connection;
import dev.weft.runtime.streams.ConnectionHandler;
import dev.weft.runtime.streams.DatagramEndpoint;
import dev.weft.runtime.streams.Server;
import dev.weft.runtime.streams.StreamOptions;
import dev.weft.runtime.streams.Streams;
import dev.weft.runtime.subprocess.Subprocess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * The asyncio module, as static methods: {@code import static dev.weft.runtime.Aio.*;}.
 *
 * <pre>{@code
 * @Async
 * static Coroutine<Void> main() {
 *     List<String> results = await(gather(fetchData(1, 2), fetchData(2, 3), fetchData(3, 1)));
 *     System.out.println("Results: " + results);
 *     return done();
 * }
 *
 * public static void main(String[] args) { run(main()); }   // about 3 s, not 6
 * }</pre>
 */
public final class Aio {
    private Aio() {
    }

    // ---------------------------------------------------------------- await and return

    /**
     * Waits for {@code awaitable} and gives its value; throws its failure unwrapped. Only in an
     * {@code @Async} method, where the weaver turns it into a suspension point.
     *
     * @param awaitable a coroutine, task or future
     * @param <T>       the value's type
     * @return the value
     * @throws IllegalStateException always, when reached: the calling class was not woven
     */
    public static <T> T await(Awaitable<T> awaitable) {
        throw notWoven();
    }

    /**
     * Waits for a {@link CompletionStage} (a {@code CompletableFuture} from
     * {@code HttpClient.sendAsync}, say) and gives its value; throws its failure unwrapped from
     * {@code CompletionException}. Only in an {@code @Async} method.
     *
     * @param stage the stage
     * @param <T>   the value's type
     * @return the value
     * @throws IllegalStateException always, when reached: the calling class was not woven
     */
    public static <T> T await(CompletionStage<T> stage) {
        throw notWoven();
    }

    private static IllegalStateException notWoven() {
        StackWalker.StackFrame caller = StackWalker.getInstance()
                .walk(s -> s.filter(f -> !f.getClassName().equals(Aio.class.getName())).findFirst().orElse(null));
        String where = caller == null ? "an unknown method"
                : caller.getClassName() + "." + caller.getMethodName() + " (" + caller.getFileName() + ":"
                        + caller.getLineNumber() + ")";
        return new IllegalStateException("await reached in " + where + ", which was not woven: mark the method @Async "
                + "and weave its class with the weft-maven-plugin (goal weave, or weave-test for tests), or run with "
                + "-javaagent:weft-cli.jar");
    }

    /**
     * Completes an {@code @Async} method with {@code value}: {@code return result(v);}. The weaver
     * turns it into a plain completion; reached unwoven it builds a coroutine already done.
     *
     * @param value the result
     * @param <T>   its type
     * @return a coroutine that completes with {@code value}
     */
    public static <T> Coroutine<T> result(T value) {
        return new Completed<>(value);
    }

    /**
     * Completes a {@code Coroutine<Void>}: {@code return done();}.
     *
     * @return a coroutine that completes with null
     */
    public static Coroutine<Void> done() {
        return new Completed<>(null);
    }

    // ---------------------------------------------------------------- loops and tasks

    /**
     * Runs {@code main} on a new event loop with the system clock, then cancels the tasks left
     * over, shuts the default executor down and closes the loop, as {@code asyncio.run}.
     *
     * @param main the coroutine to run
     * @param <T>  its result type
     * @return its result
     * @throws IllegalStateException when called inside a running loop
     */
    public static <T> T run(Coroutine<T> main) {
        return run(main, Clock.system());
    }

    /**
     * Runs {@code main} on a new event loop reading {@code clock} (a {@link VirtualClock} in
     * tests), as {@link #run(Coroutine)}.
     *
     * @param main  the coroutine to run
     * @param clock the loop's clock
     * @param <T>   its result type
     * @return its result; its failure is thrown unwrapped
     * @throws IllegalStateException when called inside a running loop
     */
    public static <T> T run(Coroutine<T> main, Clock clock) {
        Objects.requireNonNull(main, "main");
        if (EventLoop.runningOrNull() != null) {
            throw new IllegalStateException("Aio.run() cannot be called from a running event loop: await the "
                    + "coroutine instead");
        }
        EventLoop loop = new EventLoop(clock);
        try {
            return loop.runUntilComplete(main);
        } finally {
            try {
                cancelLeftovers(loop);
                loop.shutdownDefaultExecutor();
            } finally {
                loop.close();
            }
        }
    }

    private static void cancelLeftovers(EventLoop loop) {
        Set<Task<?>> left = loop.allTasks();
        if (left.isEmpty()) {
            return;
        }
        for (Task<?> t : left) {
            t.cancel();
        }
        loop.runUntilComplete(gatherOf(loop, new ArrayList<>(left), true));
        for (Task<?> t : left) {
            // Every leftover was pending when cancelled: a failure now came from its cancellation
            // (the gather above retrieved it, which must not hide it), as CPython's _cancel_all_tasks.
            if (t.state == Future.FAILED) {
                t.markRetrieved();
                loop.callExceptionHandler(new ExceptionContext("unhandled exception during Aio.run() shutdown: "
                        + "task " + t.getName() + " failed while being cancelled", (Throwable) t.value, t, null, t));
            }
        }
    }

    /**
     * A new event loop on the system clock. Close it when done.
     *
     * @return the loop
     */
    public static EventLoop newEventLoop() {
        return new EventLoop(Clock.system());
    }

    /**
     * A new event loop reading {@code clock}.
     *
     * @param clock the clock
     * @return the loop
     */
    public static EventLoop newEventLoop(Clock clock) {
        return new EventLoop(clock);
    }

    /**
     * The loop running on this thread.
     *
     * @return the loop
     * @throws IllegalStateException when no loop runs on this thread
     */
    public static EventLoop getRunningLoop() {
        return EventLoop.running();
    }

    /**
     * Schedules {@code coroutine} to run concurrently as a task of the running loop.
     *
     * @param coroutine the coroutine, not started yet
     * @param <T>       its result type
     * @return the task
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine) {
        return EventLoop.running().createTask(coroutine, null);
    }

    /**
     * Schedules {@code coroutine} as a named task of the running loop.
     *
     * @param coroutine the coroutine, not started yet
     * @param name      the task's name
     * @param <T>       its result type
     * @return the task
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return EventLoop.running().createTask(coroutine, name);
    }

    /**
     * A future for {@code awaitable}: a future or task as it is, a coroutine wrapped in a task.
     *
     * @param awaitable what to wrap
     * @param <T>       its result type
     * @return a future of the running loop
     */
    public static <T> Future<T> ensureFuture(Awaitable<T> awaitable) {
        return EventLoop.running().ensureFuture(awaitable);
    }

    /**
     * The task running now.
     *
     * @return the current task, or null outside any task
     */
    public static Task<?> currentTask() {
        EventLoop loop = EventLoop.runningOrNull();
        return loop == null ? null : loop.currentTask();
    }

    /**
     * The running loop's tasks that are not done.
     *
     * @return a new set
     */
    public static Set<Task<?>> allTasks() {
        return EventLoop.running().allTasks();
    }

    // ---------------------------------------------------------------- sleeping

    /**
     * A future done {@code seconds} from now. {@code sleep(0)} yields exactly one loop iteration.
     *
     * @param seconds how long; 0 or less yields once
     * @return an awaitable
     */
    public static Future<Void> sleep(double seconds) {
        if (seconds <= 0) {
            return EventLoop.running().yieldFuture();
        }
        return EventLoop.running().sleepFuture(seconds);
    }

    /**
     * A future done after {@code duration}.
     *
     * @param duration how long
     * @return an awaitable
     */
    public static Future<Void> sleep(Duration duration) {
        return sleep(duration.toNanos() / 1e9);
    }

    // ---------------------------------------------------------------- combinators

    /**
     * Runs awaitables concurrently and gives their results in argument order. The first failure
     * fails the gather while the others keep running; cancelling the gather cancels them all.
     *
     * @param awaitables coroutines (wrapped in tasks), tasks or futures
     * @param <T>        the common result type
     * @return a future of the results, in argument order
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, through a list view that does not escape
    public static <T> Future<List<T>> gather(Awaitable<? extends T>... awaitables) {
        return gather(Arrays.asList(awaitables));
    }

    /**
     * As {@link #gather(Awaitable[])}, for a list.
     *
     * @param awaitables coroutines, tasks or futures
     * @param <T>        the common result type
     * @return a future of the results, in list order
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> Future<List<T>> gather(List<? extends Awaitable<? extends T>> awaitables) {
        return (Future) gatherOf(EventLoop.running(), awaitables, false);
    }

    /**
     * As {@link #gather(List)}, but with {@code returnExceptions} a failure (or cancellation) of a
     * child takes its place in the results as the {@link Throwable} instead of failing the gather.
     *
     * @param awaitables       coroutines, tasks or futures
     * @param returnExceptions true to collect failures as results
     * @return a future of the results or failures, in list order
     */
    public static Future<List<Object>> gather(List<? extends Awaitable<?>> awaitables, boolean returnExceptions) {
        return gatherOf(EventLoop.running(), awaitables, returnExceptions);
    }

    static Future<List<Object>> gatherOf(EventLoop loop, List<? extends Awaitable<?>> awaitables, boolean returnExceptions) {
        List<Future<?>> children = new ArrayList<>(awaitables.size());
        for (Awaitable<?> a : awaitables) {
            children.add(loop.ensureFuture(a));
        }
        return new Combinators.Gather(loop, children, returnExceptions);
    }

    /**
     * Waits for {@code awaitable} at most {@code seconds}: on timeout the inner task is cancelled,
     * waited for, and the result is a {@link TimeoutError}. With no time left (0 or less) the
     * outcome is the awaitable's if it is done already; otherwise it is cancelled at once (a
     * coroutine never starts), waited for, and the result is a {@code TimeoutError}, as in CPython.
     *
     * @param awaitable what to wait for
     * @param seconds   the time limit; {@code Double.NaN} for none (Python's {@code None})
     * @param <T>       its result type
     * @return a future of its result
     */
    public static <T> Future<T> waitFor(Awaitable<T> awaitable, double seconds) {
        EventLoop loop = EventLoop.running();
        return new Combinators.WaitFor<>(loop, loop.ensureFuture(awaitable), seconds);
    }

    /** When {@link #wait(Collection, double, ReturnWhen)} returns. */
    public enum ReturnWhen {
        /** As soon as any awaitable is done. */
        FIRST_COMPLETED,
        /** As soon as any awaitable fails, or all are done. */
        FIRST_EXCEPTION,
        /** When all are done. */
        ALL_COMPLETED
    }

    /**
     * The outcome of {@link #wait(Collection, double, ReturnWhen)}: the futures done and those
     * still pending.
     *
     * @param done    futures that are done
     * @param pending futures that are not
     * @param <T>     their result type
     */
    public record WaitResult<T>(Set<Future<T>> done, Set<Future<T>> pending) {
    }

    /**
     * Waits for awaitables as {@code asyncio.wait}: until {@code returnWhen} holds or the timeout
     * passes. Never raises and cancels nothing. Coroutines are wrapped in tasks. The futures are
     * split into done and pending as the waiting task resumes, as in CPython, so one that finished
     * in between counts as done.
     *
     * @param awaitables what to wait for
     * @param timeout    seconds, or a negative number for none
     * @param returnWhen when to return
     * @param <T>        their result type
     * @return a future of the done and pending sets
     */
    public static <T> Future<WaitResult<T>> wait(Collection<? extends Awaitable<T>> awaitables, double timeout,
            ReturnWhen returnWhen) {
        EventLoop loop = EventLoop.running();
        List<Future<T>> fs = new ArrayList<>();
        for (Awaitable<T> a : awaitables) {
            fs.add(loop.ensureFuture(a));
        }
        return new Combinators.Wait<>(loop, fs, timeout, returnWhen);
    }

    /**
     * Waits for all awaitables, without a timeout: {@code wait(aws, -1, ALL_COMPLETED)}.
     *
     * @param awaitables what to wait for
     * @param <T>        their result type
     * @return a future of the done and pending sets
     */
    public static <T> Future<WaitResult<T>> wait(Collection<? extends Awaitable<T>> awaitables) {
        return wait(awaitables, -1, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * Futures that complete in the order the awaitables finish, as {@code asyncio.as_completed}:
     * {@code for (Future<T> f : asCompleted(aws)) { T r = await(f); }}. Each future takes the next
     * outcome when it is first awaited (by a task, a done callback, {@code gather} or {@code wait}),
     * so the one awaited first gets the first outcome, whatever its place in the list; until then
     * it stays pending. An awaitable given twice counts once.
     *
     * @param awaitables what to wait for
     * @param <T>        their result type
     * @return one future per distinct awaitable; the first awaited gets the first outcome, and so on
     */
    public static <T> List<Future<T>> asCompleted(Collection<? extends Awaitable<T>> awaitables) {
        return asCompleted(awaitables, -1);
    }

    /**
     * As {@link #asCompleted(Collection)}, with a deadline: the futures still to come when
     * {@code timeout} seconds have passed fail with {@link TimeoutError}, as
     * {@code asyncio.as_completed(aws, timeout=...)} raises it. Nothing is cancelled.
     *
     * @param awaitables what to wait for
     * @param timeout    seconds, or a negative number for none
     * @param <T>        their result type
     * @return one future per awaitable, in finishing order
     */
    public static <T> List<Future<T>> asCompleted(Collection<? extends Awaitable<T>> awaitables, double timeout) {
        EventLoop loop = EventLoop.running();
        List<Future<T>> fs = new ArrayList<>();
        // As CPython's set(fs): an awaitable given twice is waited for once.
        for (Awaitable<T> a : new LinkedHashSet<>(awaitables)) {
            fs.add(loop.ensureFuture(a));
        }
        return Combinators.AsCompleted.start(loop, fs, timeout);
    }

    /**
     * Protects {@code awaitable} from cancellation: cancelling the returned future (or the task
     * awaiting it) leaves the inner task running.
     *
     * @param awaitable what to protect
     * @param <T>       its result type
     * @return a future that follows the inner one unless itself cancelled
     */
    public static <T> Future<T> shield(Awaitable<T> awaitable) {
        EventLoop loop = EventLoop.running();
        return Combinators.shield(loop, loop.ensureFuture(awaitable));
    }

    /**
     * A timeout scope for the current task, for try-with-resources:
     * <pre>{@code
     * try (Timeout t = timeout(2.0)) {
     *     await(slowThing());
     * } catch (TimeoutError e) {
     *     System.out.println("gave up");
     * }
     * }</pre>
     * When the time runs out, the await the task is stopped at throws {@link TimeoutError} (the
     * scope's own cancellation, delivered as a timeout). A limit of 0 or less is a deadline due
     * already: the next await throws, even one of {@code sleep(0)}, as in CPython.
     *
     * @param seconds the time limit; {@code Double.NaN} for none (Python's {@code None}; see
     *                {@link Timeout#reschedule(double)})
     * @return the scope
     * @throws IllegalStateException outside a task
     */
    public static Timeout timeout(double seconds) {
        Task<?> task = currentTask();
        if (task == null) {
            throw new IllegalStateException("timeout() must be used inside a task");
        }
        return new Timeout(task, task.loop.time() + seconds);
    }

    /**
     * Runs a blocking function on the loop's default executor, as {@code asyncio.to_thread}.
     *
     * @param fn  the blocking function
     * @param <T> its result type
     * @return a future of its result
     */
    public static <T> Future<T> toThread(Callable<T> fn) {
        return EventLoop.running().runInExecutor(null, fn);
    }

    // ---------------------------------------------------------------- generators

    /**
     * In an {@code @Async} method returning {@link AsyncGenerator}: hands {@code value} to the
     * consumer and waits until it asks for the next one, Python's {@code yield value}. A suspension
     * point the weaver knows, like {@code await}; anywhere else a build error.
     *
     * @param value the value
     * @param <T>   its type
     * @throws IllegalStateException when reached unwoven
     */
    public static <T> void emit(T value) {
        throw new IllegalStateException("emit(" + value + ") ran unwoven: it belongs in an @Async method returning "
                + "AsyncGenerator, in a class the weft-maven-plugin (or the agent) has woven");
    }

    /**
     * Ends an async generator: {@code return finish();}.
     *
     * @param <T> the type of its values
     * @return never: the weaver turns it into the end of the generator
     * @throws IllegalStateException when reached unwoven
     */
    public static <T> AsyncGenerator<T> finish() {
        throw new IllegalStateException("finish() ran unwoven: it belongs in an @Async method returning "
                + "AsyncGenerator, in a class the weft-maven-plugin (or the agent) has woven");
    }

    // ---------------------------------------------------------------- streams

    /**
     * Opens a TCP connection to {@code host:port} as a stream pair: asyncio's
     * {@code open_connection}. A name is resolved off the loop; a literal address is not resolved.
     *
     * @param host a name or a literal address
     * @param port the port
     * @return an awaitable of the connection
     * @throws IOException the JDK's failure, unwrapped at the await: {@code ConnectException} when
     *                     refused, {@code UnknownHostException} for an unknown name
     */
    public static Coroutine<Connection> openConnection(String host, int port) throws IOException {
        return Streams.openConnection(host, port, StreamOptions.defaults());
    }

    /**
     * {@link #openConnection(String, int)} with options: the reader's limit, TLS.
     *
     * @param host    a name or a literal address
     * @param port    the port
     * @param options the options
     * @return an awaitable of the connection (with TLS, once the handshake is done)
     * @throws IOException the JDK's failure, unwrapped at the await ({@code SSLHandshakeException}
     *                     for a failed handshake)
     */
    public static Coroutine<Connection> openConnection(String host, int port, StreamOptions options)
            throws IOException {
        return Streams.openConnection(host, port, options);
    }

    /**
     * Starts a TCP server whose every connection runs {@code handler} in a task of its own:
     * asyncio's {@code start_server}. Bind 127.0.0.1 to stay on this machine; null listens on every
     * interface.
     *
     * @param handler what serves a connection
     * @param host    a name, a literal address, or null for every interface
     * @param port    the port, 0 for any ({@link Server#localAddress()} tells which)
     * @return an awaitable of the server, listening
     * @throws IOException the JDK's failure, unwrapped at the await ({@code BindException} when the
     *                     address is in use)
     */
    public static Coroutine<Server> startServer(ConnectionHandler handler, String host, int port) throws IOException {
        return Streams.startServer(handler, host, port, StreamOptions.defaults());
    }

    /**
     * {@link #startServer(ConnectionHandler, String, int)} with options: the readers' limit, TLS,
     * the backlog, port sharing.
     *
     * @param handler what serves a connection
     * @param host    a name, a literal address, or null for every interface
     * @param port    the port, 0 for any
     * @param options the options
     * @return an awaitable of the server, listening
     * @throws IOException the JDK's failure, unwrapped at the await
     */
    public static Coroutine<Server> startServer(ConnectionHandler handler, String host, int port,
            StreamOptions options) throws IOException {
        return Streams.startServer(handler, host, port, options);
    }

    /**
     * Opens a connection to the Unix-domain socket at {@code path}: asyncio's
     * {@code open_unix_connection}.
     *
     * @param path the socket's path
     * @return an awaitable of the connection
     * @throws IOException the JDK's failure, naming the path
     */
    public static Coroutine<Connection> openUnixConnection(Path path) throws IOException {
        return Streams.openUnixConnection(path, StreamOptions.defaults());
    }

    /**
     * {@link #openUnixConnection(Path)} with options.
     *
     * @param path    the socket's path
     * @param options the options
     * @return an awaitable of the connection
     * @throws IOException the JDK's failure, naming the path
     */
    public static Coroutine<Connection> openUnixConnection(Path path, StreamOptions options) throws IOException {
        return Streams.openUnixConnection(path, options);
    }

    /**
     * Starts a server on the Unix-domain socket {@code path}: asyncio's {@code start_unix_server}.
     *
     * @param handler what serves a connection
     * @param path    the socket's path; a stale socket file there is replaced
     * @return an awaitable of the server, listening
     * @throws IOException the JDK's failure, naming the path
     */
    public static Coroutine<Server> startUnixServer(ConnectionHandler handler, Path path) throws IOException {
        return Streams.startUnixServer(handler, path, StreamOptions.defaults());
    }

    /**
     * {@link #startUnixServer(ConnectionHandler, Path)} with options.
     *
     * @param handler what serves a connection
     * @param path    the socket's path
     * @param options the options
     * @return an awaitable of the server, listening
     * @throws IOException the JDK's failure, naming the path
     */
    public static Coroutine<Server> startUnixServer(ConnectionHandler handler, Path path, StreamOptions options)
            throws IOException {
        return Streams.startUnixServer(handler, path, options);
    }

    // ---------------------------------------------------------------- subprocesses

    /**
     * Starts {@code command} with its standard input, output and error piped: asyncio's
     * {@code create_subprocess_exec}. The start runs off the loop's thread.
     *
     * @param command the program and its arguments
     * @return an awaitable of the running child
     * @throws IOException the JDK's failure, unwrapped at the await (a missing program, say)
     */
    public static Coroutine<Subprocess> createSubprocessExec(String... command) throws IOException {
        return Subprocess.start(new ProcessBuilder(command));
    }

    /**
     * Starts {@code builder}'s command with its redirects ({@code PIPE} ones become streams).
     *
     * @param builder the command, directory, environment and redirects
     * @return an awaitable of the running child
     * @throws IOException the JDK's failure, unwrapped at the await
     */
    public static Coroutine<Subprocess> createSubprocessExec(ProcessBuilder builder) throws IOException {
        return Subprocess.start(builder);
    }

    /**
     * Runs {@code command} through {@code /bin/sh -c}, its standard streams piped: asyncio's
     * {@code create_subprocess_shell}. Quote what comes from outside.
     *
     * @param command the shell command
     * @return an awaitable of the running shell
     * @throws IOException the JDK's failure, unwrapped at the await
     */
    public static Coroutine<Subprocess> createSubprocessShell(String command) throws IOException {
        return Subprocess.start(new ProcessBuilder("/bin/sh", "-c", command));
    }

    /** A coroutine done from the start, for {@link #result(Object)} reached unwoven. */
    private static final class Completed<T> extends Coroutine<T> {
        private final T value;

        Completed(T value) {
            this.value = value;
        }

        @Override
        protected Object resume(Object ignored, Throwable failure) throws Throwable {
            return value;
        }

        @Override
        protected String describe() {
            return "result(" + value + ")";
        }
    }

    // ---------------------------------------------------------------- datagrams

    /**
     * Opens a UDP endpoint on the loop's poller: asyncio's {@code loop.create_datagram_endpoint}
     * with a protocol that queues what arrives for {@link DatagramEndpoint#receive()}.
     *
     * <pre>{@code
     * DatagramEndpoint client = await(openDatagramEndpoint(null, new InetSocketAddress("127.0.0.1", 9999)));
     * client.send("Hello World!".getBytes(UTF_8));
     * Datagram answer = await(client.receive());
     * }</pre>
     *
     * @param local  where to bind (port 0 for any), or null for an ephemeral port chosen on connecting
     * @param remote where to connect (then {@link DatagramEndpoint#send(byte[])} sends there and only
     *               its datagrams arrive), or null to send with {@code sendTo} and receive from anyone
     * @return an awaitable of the endpoint
     * @throws IOException              the JDK's failure, unwrapped at the await ({@code BindException}
     *                                  when the port is taken)
     * @throws IllegalArgumentException when both addresses are null or of different families
     */
    public static Coroutine<DatagramEndpoint> openDatagramEndpoint(InetSocketAddress local, InetSocketAddress remote)
            throws IOException {
        return DatagramEndpoint.open(local, remote);
    }

    // ---------------------------------------------------------------- one loop per core

    /**
     * Runs {@code main(i)} on loop {@code i} for each {@code i} below {@code loops}, each loop on a
     * platform thread of its own named {@code weft-loop-i}, and returns their results in that order.
     * Each loop runs as {@link #run(Coroutine)} runs one: its leftover tasks are cancelled, its
     * default executor shut down and the loop closed when its coroutine ends. {@code main} is called
     * on the loop's own thread, so what it makes belongs to that loop.
     *
     * <p>When one loop's coroutine fails, the others are cancelled and waited for, and the first
     * failure is thrown unwrapped, with the later ones (other than the cancellations this caused)
     * suppressed in it. No loop thread is left when this returns or throws. Loops share nothing but
     * what the caller gives them: a {@code Future} belongs to its own loop, and the way across is a
     * {@code CompletionStage} ({@link Future#toCompletableFuture()}, a {@code CompletableFuture}),
     * whose completion on one loop's thread wakes an awaiting loop through its thread-safe hand-off.
     * With {@code StreamOptions.defaults().reusePort(true)}, a server started on each loop listens on
     * the same port and the kernel spreads the connections among them.
     *
     * <pre>{@code
     * List<Integer> served = runParallel(Runtime.getRuntime().availableProcessors(), i -> serve(i, port));
     * }</pre>
     *
     * <p>If the calling thread is interrupted while it waits, every loop is cancelled and waited
     * for, the interrupt is set again, and a {@link CancelledError} is thrown (or the first failure,
     * if one came first).
     *
     * @param loops how many loops, at least 1
     * @param main  makes the coroutine of loop {@code i}
     * @param <T>   the result type
     * @return the results, in loop order
     * @throws IllegalArgumentException when {@code loops} is below 1
     * @throws IllegalStateException    when called from a running event loop, whose thread it would block
     */
    public static <T> List<T> runParallel(int loops, IntFunction<Coroutine<T>> main) {
        if (loops < 1) {
            throw new IllegalArgumentException("runParallel needs at least 1 loop, not " + loops);
        }
        Objects.requireNonNull(main, "main");
        if (EventLoop.runningOrNull() != null) {
            throw new IllegalStateException("Aio.runParallel() cannot be called from a running event loop: it blocks "
                    + "its thread until every loop ends; call it from a thread that runs no loop");
        }
        LinkedBlockingQueue<ParallelLoop<T>> ended = new LinkedBlockingQueue<>();
        List<ParallelLoop<T>> all = new ArrayList<>(loops);
        Throwable first = null;
        for (int i = 0; i < loops; i++) {
            ParallelLoop<T> p = new ParallelLoop<>(i, main, ended);
            try {
                p.thread.start();
            } catch (Throwable t) {
                first = t;
                break;
            }
            all.add(p);
        }
        if (first != null) {
            for (ParallelLoop<T> p : all) {
                p.cancel();
            }
        }
        boolean interrupted = false;
        for (int left = all.size(); left > 0; ) {
            ParallelLoop<T> p;
            try {
                p = ended.take();
            } catch (InterruptedException e) {
                if (!interrupted) {
                    interrupted = true;
                    if (first == null) {
                        first = new CancelledError("Aio.runParallel() was interrupted: its loops were cancelled");
                    }
                    for (ParallelLoop<T> q : all) {
                        q.cancel();
                    }
                }
                continue;
            }
            left--;
            Throwable f = p.failure;
            if (f == null) {
                continue;
            }
            if (first == null) {
                first = f;
                for (ParallelLoop<T> q : all) {
                    q.cancel();
                }
            } else if (f != first && !(f instanceof CancelledError)) {
                first.addSuppressed(f);
            }
        }
        for (ParallelLoop<T> p : all) {
            interrupted |= p.joinUninterruptibly();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (first != null) {
            throw Sneaky.raise(first);
        }
        List<T> results = new ArrayList<>(loops);
        for (ParallelLoop<T> p : all) {
            results.add(p.result);
        }
        return results;
    }

    /** One loop of {@link #runParallel}: its thread, and the task to cancel from another thread. */
    private static final class ParallelLoop<T> implements Runnable {
        private final int index;
        private final IntFunction<Coroutine<T>> main;
        private final LinkedBlockingQueue<ParallelLoop<T>> ended;
        final Thread thread;
        private volatile Task<T> task;
        private volatile boolean cancelRequested;
        private final AtomicBoolean cancelSent = new AtomicBoolean();
        /** Read by the waiting thread after it takes this loop from {@code ended}, which publishes them. */
        T result;
        Throwable failure;

        ParallelLoop(int index, IntFunction<Coroutine<T>> main, LinkedBlockingQueue<ParallelLoop<T>> ended) {
            this.index = index;
            this.main = main;
            this.ended = ended;
            this.thread = new Thread(this, "weft-loop-" + index);
        }

        @Override
        public void run() {
            try {
                EventLoop loop = new EventLoop(Clock.system());
                try {
                    Coroutine<T> c = main.apply(index);
                    if (c == null) {
                        throw new NullPointerException("runParallel's main returned null for loop " + index);
                    }
                    Task<T> t = loop.createTask(c);
                    task = t;
                    // Written before it is read here, read after it is written by cancel(): one side sees the other.
                    if (cancelRequested) {
                        sendCancel(t);
                    }
                    result = loop.runUntilComplete(t);
                } finally {
                    try {
                        cancelLeftovers(loop);
                        loop.shutdownDefaultExecutor();
                    } finally {
                        loop.close();
                    }
                }
            } catch (Throwable e) {
                failure = e;
            } finally {
                ended.add(this);
            }
        }

        /** Cancels the loop's coroutine, from any thread, once. */
        void cancel() {
            cancelRequested = true;
            Task<T> t = task;
            if (t != null) {
                sendCancel(t);
            }
        }

        private void sendCancel(Task<T> t) {
            if (!cancelSent.compareAndSet(false, true)) {
                return;
            }
            if (Thread.currentThread() == thread) {
                t.cancel();
                return;
            }
            try {
                t.getLoop().callSoonThreadsafe(t::cancel);
            } catch (IllegalStateException closedMeanwhile) {
                // The loop ended on its own: there is nothing left to cancel.
            }
        }

        /** Waits for the thread to end; says whether the waiting thread was interrupted meanwhile. */
        boolean joinUninterruptibly() {
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    return interrupted;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
    }
}
