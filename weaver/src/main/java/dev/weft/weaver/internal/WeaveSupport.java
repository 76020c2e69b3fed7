package dev.weft.weaver.internal;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;

/**
 * What every stage of the weave shares: the ASM API level, the names of the runtime types and
 * methods the weave recognizes or calls, and the names it generates.
 */
public final class WeaveSupport {
    /** The ASM API level of every visitor in the weaver. */
    public static final int ASM_API = Opcodes.ASM9;

    /** Descriptor of {@code dev.weft.Async}, an invisible (CLASS retention) method annotation. */
    public static final String ASYNC_DESC = "Ldev/weft/Async;";
    /**
     * Descriptor of the invisible class annotation that marks a woven class. It carries
     * {@value #MARKER_PROTOCOL} (an {@code int}, {@link #PROTOCOL}) and {@value #MARKER_WEAVER} (the
     * weaver's version, {@link #weaverVersion()}).
     */
    public static final String WOVEN_MARKER_DESC = "Ldev/weft/runtime/internal/WovenMarker;";
    /** Descriptor of the marker weavers wrote before markers carried versions: a class woven by one of them. */
    public static final String LEGACY_MARKER_DESC = "Ldev/weft/Woven;";
    /** The marker's element that holds the woven-code protocol version. */
    public static final String MARKER_PROTOCOL = "protocol";
    /** The marker's element that holds the version of the weaver that wrote the class. */
    public static final String MARKER_WEAVER = "weaver";
    /**
     * The version of the protocol between woven code and the runtime ({@code dev.weft.runtime.internal.Woven}
     * and the state machine's shape) that this weaver writes. The runtime checks it when a state machine
     * class is first initialized; it changes whenever woven code of one version would misbehave on a runtime
     * of another.
     */
    public static final int PROTOCOL = 3;
    /** {@code Woven.checkProtocol(int, String)}, called from every state machine's static initializer. */
    public static final String WOVEN_CHECK_PROTOCOL = "checkProtocol";
    /** Descriptor of {@code Woven.checkProtocol(int, String)}. */
    public static final String WOVEN_CHECK_PROTOCOL_DESC = "(ILjava/lang/String;)V";

    /** Internal name of {@code dev.weft.runtime.Aio}. */
    public static final String AIO = "dev/weft/runtime/Aio";
    /** Internal name of {@code dev.weft.runtime.Coroutine}. */
    public static final String COROUTINE = "dev/weft/runtime/Coroutine";
    /** Descriptor of {@code dev.weft.runtime.Coroutine}. */
    public static final String COROUTINE_DESC = "Ldev/weft/runtime/Coroutine;";
    /** Internal name of {@code dev.weft.runtime.Awaitable}. */
    public static final String AWAITABLE = "dev/weft/runtime/Awaitable";
    /** Internal name of {@code dev.weft.runtime.internal.Woven}, the entry points woven code calls. */
    public static final String WOVEN = "dev/weft/runtime/internal/Woven";

    /** {@code Aio.await(Awaitable)}. */
    public static final String AWAIT = "await";
    /** Descriptor of {@code Aio.await(Awaitable)}. */
    public static final String AWAIT_AWAITABLE_DESC = "(Ldev/weft/runtime/Awaitable;)Ljava/lang/Object;";
    /** Descriptor of {@code Aio.await(CompletionStage)}. */
    public static final String AWAIT_STAGE_DESC = "(Ljava/util/concurrent/CompletionStage;)Ljava/lang/Object;";
    /** {@code Aio.result(Object)}: {@code return result(v)} completes with {@code v}. */
    public static final String RESULT = "result";
    /** Descriptor of {@code Aio.result(Object)}. */
    public static final String RESULT_DESC = "(Ljava/lang/Object;)Ldev/weft/runtime/Coroutine;";
    /** {@code Aio.done()}: {@code return done()} completes a {@code Coroutine<Void>}. */
    public static final String DONE = "done";
    /** Descriptor of {@code Aio.done()}. */
    public static final String DONE_DESC = "()Ldev/weft/runtime/Coroutine;";

    /** Internal name of {@code dev.weft.runtime.AsyncGenerator}, what an async generator method returns. */
    public static final String ASYNC_GENERATOR = "dev/weft/runtime/AsyncGenerator";
    /** Descriptor of {@code dev.weft.runtime.AsyncGenerator}. */
    public static final String ASYNC_GENERATOR_DESC = "Ldev/weft/runtime/AsyncGenerator;";
    /** {@code Aio.emit(Object)}: a suspension point of an async generator. */
    public static final String EMIT = "emit";
    /** Descriptor of {@code Aio.emit(Object)}. */
    public static final String EMIT_DESC = "(Ljava/lang/Object;)V";
    /** {@code Aio.finish()}: {@code return finish()} ends an async generator. */
    public static final String FINISH = "finish";
    /** Descriptor of {@code Aio.finish()}. */
    public static final String FINISH_DESC = "()Ldev/weft/runtime/AsyncGenerator;";
    /** {@code Woven.emitting(Object)}, what an {@code emit(v)} awaits. */
    public static final String WOVEN_EMITTING = "emitting";
    /** Descriptor of {@code Woven.emitting(Object)}. */
    public static final String WOVEN_EMITTING_DESC = "(Ljava/lang/Object;)Ldev/weft/runtime/Awaitable;";
    /**
     * {@code Woven.emit(Coroutine, Object)}: what an async generator's {@code emit(v)} becomes, a
     * suspension point that hands {@code v} over without making an awaitable for it.
     */
    public static final String WOVEN_EMIT = "emit";
    /** Descriptor of {@code Woven.emit(Coroutine, Object)}. */
    public static final String WOVEN_EMIT_DESC = "(Ldev/weft/runtime/Coroutine;Ljava/lang/Object;)Ljava/lang/Object;";
    /**
     * {@code Woven.emitLong(Coroutine, long)}, {@code emitInt(Coroutine, int)} and
     * {@code emitDouble(Coroutine, double)}: {@link #WOVEN_EMIT} of a value the body boxed with
     * {@code Long.valueOf}, {@code Integer.valueOf} or {@code Double.valueOf} right before the
     * emit, the box left out.
     */
    public static final String WOVEN_EMIT_LONG = "emitLong";
    /** See {@link #WOVEN_EMIT_LONG}. */
    public static final String WOVEN_EMIT_INT = "emitInt";
    /** See {@link #WOVEN_EMIT_LONG}. */
    public static final String WOVEN_EMIT_DOUBLE = "emitDouble";
    /** {@code Woven.generator(Coroutine)}, what a generator's entry method returns its state machine in. */
    public static final String WOVEN_GENERATOR = "generator";
    /** Descriptor of {@code Woven.generator(Coroutine)}. */
    public static final String WOVEN_GENERATOR_DESC = "(Ldev/weft/runtime/Coroutine;)Ldev/weft/runtime/AsyncGenerator;";

    /** {@code Woven.await(Coroutine, Awaitable)}. */
    public static final String WOVEN_AWAIT_DESC =
            "(Ldev/weft/runtime/Coroutine;Ldev/weft/runtime/Awaitable;)Ljava/lang/Object;";
    /** {@code Woven.awaitStage(Coroutine, CompletionStage)}. */
    public static final String WOVEN_AWAIT_STAGE = "awaitStage";
    /** Descriptor of {@code Woven.awaitStage(Coroutine, CompletionStage)}. */
    public static final String WOVEN_AWAIT_STAGE_DESC =
            "(Ldev/weft/runtime/Coroutine;Ljava/util/concurrent/CompletionStage;)Ljava/lang/Object;";
    /** {@code Woven.badLabel(Coroutine)}: the exception a resume body throws when its label is unknown. */
    public static final String WOVEN_BAD_LABEL = "badLabel";
    /** Descriptor of {@code Woven.badLabel(Coroutine)}. */
    public static final String WOVEN_BAD_LABEL_DESC = "(Ldev/weft/runtime/Coroutine;)Ljava/lang/IllegalStateException;";
    /** {@code Woven.SUSPENDED}. */
    public static final String SUSPENDED = "SUSPENDED";

    /** Internal name of {@code dev.weft.runtime.AsyncCloseable}, whose {@code close()} an {@code @Async} method awaits. */
    public static final String ASYNC_CLOSEABLE = "dev/weft/runtime/AsyncCloseable";
    /** {@code AsyncCloseable.aclose()}, what a {@code close()} becomes on the normal path. */
    public static final String ACLOSE = "aclose";
    /** Descriptor of {@code AsyncCloseable.aclose()}. */
    public static final String ACLOSE_DESC = "()Ldev/weft/runtime/Awaitable;";
    /** {@code Woven.acloseAfter(AsyncCloseable, Throwable)}, what a {@code close()} becomes after the body threw. */
    public static final String WOVEN_ACLOSE_AFTER = "acloseAfter";
    /** Descriptor of {@code Woven.acloseAfter(AsyncCloseable, Throwable)}. */
    public static final String WOVEN_ACLOSE_AFTER_DESC =
            "(Ldev/weft/runtime/AsyncCloseable;Ljava/lang/Throwable;)Ldev/weft/runtime/Awaitable;";
    /** {@code Woven.rethrow(Throwable)}: the block's {@code throw thrown}, with what superseded it. */
    public static final String WOVEN_RETHROW = "rethrow";
    /** Descriptor of {@code Woven.rethrow(Throwable)}. */
    public static final String WOVEN_RETHROW_DESC = "(Ljava/lang/Throwable;)Ljava/lang/Throwable;";

    /** The name of the state machine's {@code int} field that says where the body stopped. */
    public static final String LABEL_FIELD = "label";
    /** The state machine's override that answers the source line of the await its label names. */
    public static final String AWAIT_LINE = "awaitLine";
    /** Its descriptor. */
    public static final String AWAIT_LINE_DESC = "()I";
    /** The state machine's override that names the host's source file, where the runtime cannot guess it. */
    public static final String SOURCE_FILE = "sourceFile";
    /** Its descriptor. */
    public static final String SOURCE_FILE_DESC = "()Ljava/lang/String;";
    /** What a generated state machine's name puts between the host's name and the method's. */
    public static final String MACHINE_INFIX = "$weft$";

    private static final String WEAVER_VERSION = readWeaverVersion();

    /**
     * The version of this weaver, as the build that made it recorded it (the project version).
     *
     * @return a version such as {@code 0.1.0}; {@code development} when run from classes that no build
     *         stamped
     */
    public static String weaverVersion() {
        return WEAVER_VERSION;
    }

    private static String readWeaverVersion() {
        try (java.io.InputStream in = WeaveSupport.class.getResourceAsStream("/dev/weft/weaver/version.properties")) {
            if (in == null) {
                return "development";
            }
            java.util.Properties properties = new java.util.Properties();
            properties.load(in);
            return properties.getProperty("version", "development");
        } catch (java.io.IOException e) {
            return "development";
        }
    }

    private WeaveSupport() {
    }

    /**
     * Whether an instruction's owner, name and descriptor are one of the two {@code Aio.await}
     * overloads.
     *
     * @param owner internal name of the owner
     * @param name  method name
     * @param desc  method descriptor
     * @return true for {@code Aio.await(Awaitable)} and {@code Aio.await(CompletionStage)}
     */
    public static boolean isAwait(String owner, String name, String desc) {
        return AIO.equals(owner) && AWAIT.equals(name)
                && (AWAIT_AWAITABLE_DESC.equals(desc) || AWAIT_STAGE_DESC.equals(desc));
    }

    /**
     * Whether a call is {@code Aio.emit(Object)}.
     *
     * @param owner internal name of the owner
     * @param name  method name
     * @param desc  method descriptor
     * @return true for {@code Aio.emit}
     */
    public static boolean isEmit(String owner, String name, String desc) {
        return AIO.equals(owner) && EMIT.equals(name) && EMIT_DESC.equals(desc);
    }

    /**
     * Whether a call is {@code Aio.finish()}.
     *
     * @param owner internal name of the owner
     * @param name  method name
     * @param desc  method descriptor
     * @return true for {@code Aio.finish}
     */
    public static boolean isFinish(String owner, String name, String desc) {
        return AIO.equals(owner) && FINISH.equals(name) && FINISH_DESC.equals(desc);
    }

    /**
     * Whether a call is one of the suspension points the weave knows: {@code Aio.await},
     * {@code Aio.emit} or {@code Aio.finish}.
     *
     * @param owner internal name of the owner
     * @param name  method name
     * @param desc  method descriptor
     * @return true when {@link #isAwait}, {@link #isEmit} or {@link #isFinish} is
     */
    public static boolean isSuspension(String owner, String name, String desc) {
        return isAwait(owner, name, desc) || isEmit(owner, name, desc) || isFinish(owner, name, desc);
    }

    /**
     * A test of a method's owner, name and descriptor, as {@link #isAwait} and {@link #isEmit} are.
     */
    @FunctionalInterface
    public interface MethodTest {
        /**
         * Whether the method is one the caller looks for.
         *
         * @param owner internal name of the owner
         * @param name  method name
         * @param desc  method descriptor
         * @return true for a method the caller looks for
         */
        boolean test(String owner, String name, String desc);
    }

    /**
     * The first method handle among an {@code invokedynamic}'s bootstrap arguments that names a
     * method the test accepts: for a method reference such as {@code Aio::await}, the handle of
     * {@code Aio.await}, which the reference calls nothing of where it is made.
     *
     * @param bootstrapArguments the {@code invokedynamic}'s bootstrap arguments; may be null
     * @param test               which methods count
     * @return the handle, or null when no argument is a handle to such a method
     */
    public static Handle handleTo(Object[] bootstrapArguments, MethodTest test) {
        if (bootstrapArguments != null) {
            for (Object argument : bootstrapArguments) {
                if (argument instanceof Handle h && test.test(h.getOwner(), h.getName(), h.getDesc())) {
                    return h;
                }
            }
        }
        return null;
    }

    /**
     * Whether a method descriptor returns {@code AsyncGenerator}: an {@code @Async} method with it is
     * an async generator.
     *
     * @param desc the method descriptor
     * @return true when it returns {@code dev.weft.runtime.AsyncGenerator}
     */
    public static boolean returnsGenerator(String desc) {
        return desc.endsWith(")" + ASYNC_GENERATOR_DESC);
    }

    /**
     * Whether a call is a {@code close()} that might be an {@link #ASYNC_CLOSEABLE}'s: no arguments, no
     * result, dispatched on a class or interface type (not {@code super.close()}).
     *
     * @param opcode the call's opcode
     * @param owner  internal name of the owner
     * @param name   method name
     * @param desc   method descriptor
     * @return true for {@code invokevirtual} or {@code invokeinterface} of {@code close()V} on a non-array type
     */
    public static boolean isCloseCall(int opcode, String owner, String name, String desc) {
        return (opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKEINTERFACE) && "close".equals(name)
                && "()V".equals(desc) && !owner.startsWith("[");
    }

    /**
     * The internal name of the state machine class for one {@code @Async} method: unique per
     * method, overloads included, because {@code ordinal} counts the host's {@code @Async} methods.
     * {@code $weft$} is not a name javac or a user writes, so no user class is hit.
     *
     * @param host    internal name of the host class
     * @param method  the method's name
     * @param ordinal the method's position among the host's {@code @Async} methods, from 0
     * @return for example {@code com/acme/Fetch$weft$fetchData$0}
     */
    public static String machineName(String host, String method, int ordinal) {
        return host + MACHINE_INFIX + method + "$" + ordinal;
    }
}
