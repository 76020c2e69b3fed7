package dev.weft.weaver.internal.check;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.WeaveException;
import dev.weft.weaver.internal.AsyncMethods;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Known blocking calls in an {@code @Async} method: while one runs, the event loop's thread runs
 * nothing else, so every other task stalls. Each is a warning, since a call the user knows returns
 * at once (a read from a {@code ByteArrayInputStream}, say) is harmless.
 */
final class BlockingCallCheck implements MethodCheck {
    private static final String SLEEP_ADVICE = "use await(sleep(..)) instead";
    private static final String FUTURE_ADVICE = "await the future instead (await(..) takes a CompletionStage too)";
    private static final String THREAD_ADVICE = "run it on another thread with await(toThread(..)) instead";

    private static final Set<String> FILES_IO = Set.of("readAllBytes", "readString", "readAllLines", "lines",
            "write", "writeString", "copy", "newBufferedReader", "newBufferedWriter", "newInputStream",
            "newOutputStream");
    private static final Set<String> STREAM_READS = Set.of("read", "readAllBytes", "readNBytes", "transferTo", "skip",
            "skipNBytes");
    private static final Set<String> OPENS_FILE = Set.of("java/io/FileInputStream", "java/io/FileOutputStream",
            "java/io/RandomAccessFile", "java/io/FileReader", "java/io/FileWriter");

    @Override
    public void check(CheckContext context, MethodNode method, List<Diagnostic> findings) {
        if (!AsyncMethods.isAsync(method) || method.instructions == null) {
            return;
        }
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof MethodInsnNode call) {
                String advice = advice(context.hierarchy(), call);
                if (advice != null) {
                    String callee = "<init>".equals(call.name) ? "new " + CheckContext.simpleName(call.owner)
                            : CheckContext.simpleName(call.owner) + "." + call.name;
                    findings.add(context.warning(method, context.line(method, call),
                            callee + " blocks the event loop thread; " + advice));
                }
            }
        }
    }

    /** The advice for a blocking call, or null when the call is not known to block. */
    static String advice(ClassHierarchy hierarchy, MethodInsnNode call) {
        String owner = call.owner;
        String name = call.name;
        int opcode = call.getOpcode();
        if (opcode == Opcodes.INVOKESTATIC) {
            if ("java/lang/Thread".equals(owner) && "sleep".equals(name)) {
                return SLEEP_ADVICE;
            }
            if ("java/nio/file/Files".equals(owner) && FILES_IO.contains(name)) {
                return THREAD_ADVICE;
            }
            return null;
        }
        if (opcode == Opcodes.INVOKESPECIAL) {
            if (!"<init>".equals(name)) {
                return null;
            }
            if (OPENS_FILE.contains(owner)) {
                return THREAD_ADVICE;
            }
            // new Socket(host, port) connects before it returns; new Socket() and new Socket(proxy) do not.
            boolean connects = "java/net/Socket".equals(owner) && !"()V".equals(call.desc)
                    && !"(Ljava/net/Proxy;)V".equals(call.desc);
            return connects ? THREAD_ADVICE : null;
        }
        if ("wait".equals(name) && ("()V".equals(call.desc) || "(J)V".equals(call.desc) || "(JI)V".equals(call.desc))) {
            return THREAD_ADVICE;
        }
        if ("java/lang/Thread".equals(owner) && "join".equals(name)) {
            return THREAD_ADVICE;
        }
        boolean futureGet = "get".equals(name) && (call.desc.equals("()Ljava/lang/Object;")
                || call.desc.equals("(JLjava/util/concurrent/TimeUnit;)Ljava/lang/Object;"));
        if (futureGet) {
            return isA(hierarchy, owner, "java/util/concurrent/Future") ? FUTURE_ADVICE : null;
        }
        if ("join".equals(name) && call.desc.equals("()Ljava/lang/Object;")) {
            boolean blocks = isA(hierarchy, owner, "java/util/concurrent/CompletableFuture")
                    || isA(hierarchy, owner, "java/util/concurrent/ForkJoinTask");
            return blocks ? FUTURE_ADVICE : null;
        }
        if (("connect".equals(name) && isA(hierarchy, owner, "java/net/Socket"))
                || ("accept".equals(name) && isA(hierarchy, owner, "java/net/ServerSocket"))) {
            return THREAD_ADVICE;
        }
        if (STREAM_READS.contains(name) && isA(hierarchy, owner, "java/io/InputStream")) {
            return THREAD_ADVICE;
        }
        if (("read".equals(name) || "readLine".equals(name)) && isA(hierarchy, owner, "java/io/Reader")) {
            return THREAD_ADVICE;
        }
        return null;
    }

    private static boolean isA(ClassHierarchy hierarchy, String owner, String type) {
        if (owner.equals(type)) {
            return true;
        }
        if (owner.startsWith("[") || hierarchy == null) {
            return false;
        }
        try {
            return hierarchy.isAssignable(type, owner);
        } catch (WeaveException missing) {
            // A class missing from the weave classpath cannot be judged; a warning is not worth failing for.
            return false;
        }
    }
}
