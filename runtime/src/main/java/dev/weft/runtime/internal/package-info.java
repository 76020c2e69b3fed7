/**
 * The protocol between woven code and the runtime. Not API: only code written by the weaver (and
 * the runtime's own tests, which write state machines by hand exactly as the weaver does) calls
 * into this package. The one other client is Weft's command line, whose {@code ps} and
 * {@code pstree} create the {@link dev.weft.runtime.internal.Tasks} MXBean by name in a JVM they
 * inspect and read its {@link dev.weft.runtime.internal.LoopInfo} and
 * {@link dev.weft.runtime.internal.TaskInfo} snapshot over JMX.
 *
 * <h2>The shape of a woven method</h2>
 *
 * For an {@code @Async} method {@code m} of class {@code Host}, the weaver writes:
 * <ul>
 *   <li>a state machine class in {@code Host}'s package, extending
 *       {@link dev.weft.runtime.Coroutine}, with an {@code int} label field and one typed field for
 *       the receiver, each parameter, and each local or operand-stack value live across some
 *       await. Its fields are package-private so that {@code Host} can read and write them. Its
 *       static initializer calls {@link Woven#checkProtocol} with the protocol version it was woven
 *       for, so a runtime of another version refuses it before it first runs;</li>
 *   <li>the entry method {@code m} itself, rewritten to allocate the state machine, store the
 *       receiver and arguments in it and return it. Nothing of the body runs: coroutines are lazy;</li>
 *   <li>the resume body: a static method of {@code Host} holding the original body behind a
 *       {@code tableswitch} on the label, so that it keeps access to {@code Host}'s private members
 *       without widening any modifier. The state machine's
 *       {@link dev.weft.runtime.Coroutine#resume(Object, Throwable)} calls it.</li>
 * </ul>
 * {@code Host} also carries the invisible class annotation {@link WovenMarker}{@code (protocol, weaver)}:
 * the weaver leaves a class with its own marker as it is (weaving is idempotent) and refuses one that
 * another weaver version wrote, saying to rebuild from source.
 *
 * <h2>Starting and resuming</h2>
 *
 * The runtime calls {@code resume(value, failure)} on the state machine: first with
 * {@code (null, null)} at label 0, which stores the parameters into their locals and runs the body
 * from the top; later with the outcome of the await the body stopped at. A resumed body restores
 * its live locals and stack values from the fields, then either throws {@code failure} (when not
 * null) at the await expression, inside the user's own exception ranges, or pushes {@code value}
 * cast to the awaited type, and continues.
 *
 * <h2>Awaiting</h2>
 *
 * Each {@code Aio.await(x)} in the body becomes a call to {@link Woven#await} (or
 * {@link Woven#awaitStage} for a {@code CompletionStage}) followed by a test of its result against
 * {@link Woven#SUSPENDED}:
 * <ul>
 *   <li>a done awaitable gives its value at once (or throws its failure at the await), with no
 *       allocation and no suspension: the fast path;</li>
 *   <li>a coroutine not yet started is run inline in the awaiting task, as a nested frame: if it
 *       completes without suspending its value is returned as on the fast path. Past
 *       {@code Task.MAX_INLINE_DEPTH} (64) nested inline starts within one step, the child is
 *       recorded instead and {@link Woven#SUSPENDED} returned; the task starts it from its drive
 *       loop once the stack has unwound;</li>
 *   <li>a coroutine already started or done (awaited twice, or given to a task) makes the await
 *       throw {@link IllegalStateException};</li>
 *   <li>anything else returns {@link Woven#SUSPENDED}. The body then stores its live values in the
 *       fields, sets the label of this await, nulls reference fields that are dead and returns
 *       {@link Woven#SUSPENDED} from the resume body. The task resumes it later, on the loop's
 *       thread, with the awaited outcome.</li>
 * </ul>
 * A resume body may return {@link Woven#SUSPENDED} only right after an await returned it; doing so
 * at any other time fails the task with an {@link IllegalStateException} naming the method.
 * Cancellation is delivered as a {@code failure} like any other: a {@code CancelledError} (or a
 * timeout scope's {@code TimeoutError}) thrown at the await the body stopped at.
 *
 * <h2>Closing an {@code AsyncCloseable}</h2>
 *
 * Inside an {@code @Async} method, a {@code close()} whose receiver's static type implements
 * {@link dev.weft.runtime.AsyncCloseable} is an await. On the normal path it is
 * {@code await(r.aclose())}. On the exceptional path of a try-with-resources (the close reached from
 * a catch-any handler that holds the body's failure {@code t} in a local) it is
 * {@code await(Woven.acloseAfter(r, t))}, and the handler's {@code throw t} is
 * {@code throw Woven.rethrow(t)}. {@link Woven#acloseAfter} completes normally when the close's failure
 * supersedes {@code t} (is {@code t}, or holds it in its cause chain or among an
 * {@code ExceptionGroup}'s members) and keeps that failure for the current task; {@link Woven#rethrow}
 * hands it to the throw, once. Any other failure of the close fails the awaitable, and the compiled
 * handler suppresses it in {@code t}.
 *
 * <h2>Completing</h2>
 *
 * The resume body returns the coroutine's value ({@code return result(v)} becomes a return of
 * {@code v}, boxed if primitive; {@code return done()} a return of null) or throws its failure. A
 * {@code return x} of any other awaitable is compiled as {@code return await(x)}. The task then
 * resumes the awaiting frame with that outcome, in a loop rather than by recursion, so a chain of
 * nested awaits completes without growing the Java stack with its depth.
 */
package dev.weft.runtime.internal;
