package dev.weft.weaver.internal.transform;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.internal.transform.CaughtValues.Flow;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Python's {@code async with}: each {@code close()} of an {@code AsyncCloseable} in an {@code @Async}
 * method becomes an await, before {@link AwaitSiteFinder} looks for them.
 *
 * <p>On the normal path {@code r.close()} becomes {@code await(r.aclose())}. On the exceptional path
 * of a try-with-resources it becomes {@code await(Woven.acloseAfter(r, thrown))}, and the handler's
 * {@code throw thrown} becomes {@code throw Woven.rethrow(thrown)}, so a close whose failure
 * supersedes {@code thrown} propagates in its place. Both are found by data flow ({@link CaughtValues}),
 * never by the shape of one compiler's code: a close is on the exceptional path when a local, live
 * after it, holds what a catch-any handler caught, and the resource it closes was in a local already
 * when that handler was entered (so a try-with-resources inside a {@code finally} closes as usual). A
 * {@code throw} is of that failure when its operand may be what such a handler caught, unless the
 * throw is itself caught by a catch-any handler that still holds that failure in a live local: ECJ
 * throws the failure into its own handler, which merges it with the close's and throws again.
 */
final class AsyncCloseRewriter {
    private AsyncCloseRewriter() {
    }

    /**
     * Rewrites the closes of {@code AsyncCloseable}s in place.
     *
     * @param owner     the internal name of the method's class
     * @param method    the {@code @Async} method, frames expanded
     * @param hierarchy answers whether a call's owner implements {@code AsyncCloseable}; the shape
     *                  checks have made sure it knows every owner
     * @return how many closes became awaits
     */
    static int rewrite(String owner, MethodNode method, ClassHierarchy hierarchy) {
        List<MethodInsnNode> closes = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof MethodInsnNode call && WeaveSupport.isCloseCall(call.getOpcode(), call.owner, call.name,
                    call.desc) && hierarchy.isAssignable(WeaveSupport.ASYNC_CLOSEABLE, call.owner)) {
                closes.add(call);
            }
        }
        if (closes.isEmpty()) {
            return 0;
        }
        Frame<Flow>[] frames;
        try {
            frames = new Analyzer<>(new CaughtValues()).analyze(owner, method);
        } catch (AnalyzerException e) {
            throw new IllegalStateException("cannot follow the values of the method: " + e.getMessage(), e);
        }
        InsnList code = method.instructions;
        List<AbstractInsnNode> points = new ArrayList<>(closes);
        for (TryCatchBlockNode handler : method.tryCatchBlocks) {
            points.add(handler.handler);
        }
        Map<AbstractInsnNode, BitSet> live = LivenessAnalyzer.liveAfter(method, points);
        ControlFlow flow = new ControlFlow(method);
        Map<MethodInsnNode, Integer> failureSlots = new LinkedHashMap<>();
        Set<TryCatchBlockNode> passed = new HashSet<>();
        for (MethodInsnNode close : closes) {
            Frame<Flow> frame = frames[code.indexOf(close)];
            int slot = frame == null ? -1 : failureSlot(frame, frames, code, live.get(close), flow, close);
            failureSlots.put(close, slot);
            if (slot >= 0) {
                passed.addAll(frame.getLocal(slot).catchers());
            }
        }
        List<AbstractInsnNode> rethrows = new ArrayList<>();
        if (!passed.isEmpty()) {
            for (AbstractInsnNode insn : code) {
                Frame<Flow> frame = frames[code.indexOf(insn)];
                if (insn.getOpcode() == Opcodes.ATHROW && frame != null
                        && throwsPassedFailure(method, insn, frame.getStack(frame.getStackSize() - 1), passed, frames,
                                live)) {
                    rethrows.add(insn);
                }
            }
        }
        failureSlots.forEach((close, slot) -> replace(code, close, slot));
        for (AbstractInsnNode insn : rethrows) {
            code.insertBefore(insn, new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN, WeaveSupport.WOVEN_RETHROW,
                    WeaveSupport.WOVEN_RETHROW_DESC, false));
        }
        if (!passed.isEmpty()) {
            // The exceptional close pushes the failure above the receiver.
            method.maxStack++;
        }
        return closes.size();
    }

    /**
     * The local that holds the body's failure at an exceptional close, or -1 on the normal path: a
     * value caught by a catch-any handler only, live after the close, whose handler's entry already saw
     * the closed resource in some local.
     */
    private static int failureSlot(Frame<Flow> frame, Frame<Flow>[] frames, InsnList code, BitSet liveAfter,
            ControlFlow flow, AbstractInsnNode close) {
        Flow resource = frame.getStack(frame.getStackSize() - 1);
        for (int slot = 0; slot < frame.getLocals(); slot++) {
            Flow value = frame.getLocal(slot);
            if (!liveAfter.get(slot) || !value.isCaughtFailure()) {
                continue;
            }
            for (TryCatchBlockNode handler : value.catchers()) {
                Frame<Flow> entry = frames[code.indexOf(handler.handler)];
                if (entry != null && holdsResource(entry, resource)
                        && onlyThrough(flow, flow.indexOf(handler.handler), flow.indexOf(close))) {
                    return slot;
                }
            }
        }
        return -1;
    }

    /**
     * Whether some local of a handler's entry frame holds the resource on every path there: set, not
     * maybe unset (in a loop, a handler is also reached from the iteration before, which made its own).
     */
    private static boolean holdsResource(Frame<Flow> entry, Flow resource) {
        for (int slot = 0; slot < entry.getLocals(); slot++) {
            if (entry.getLocal(slot).isSet() && entry.getLocal(slot).sharesOriginWith(resource)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether every path from the method's start to {@code target} passes through {@code handler}'s
     * entry: the close is on that handler's path only, not also on a normal one that a caught failure
     * kept in a local happens to be live across.
     */
    private static boolean onlyThrough(ControlFlow flow, int handler, int target) {
        BitSet seen = new BitSet(flow.size());
        java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
        work.add(0);
        seen.set(0);
        while (!work.isEmpty()) {
            int at = work.poll();
            if (at == target) {
                return false;
            }
            List<Integer> next = new ArrayList<>(flow.successors(at));
            next.addAll(flow.handlers(at));
            for (int n : next) {
                if (n != handler && !seen.get(n)) {
                    seen.set(n);
                    work.add(n);
                }
            }
        }
        return true;
    }

    /**
     * Whether a {@code throw} may throw a failure handed to an exceptional close, and is not caught
     * by a catch-any handler that still holds that failure in a live local (the handler throws it
     * again later, and that throw is the one rewritten).
     */
    private static boolean throwsPassedFailure(MethodNode method, AbstractInsnNode athrow, Flow thrown,
            Set<TryCatchBlockNode> passed, Frame<Flow>[] frames, Map<AbstractInsnNode, BitSet> live) {
        Set<TryCatchBlockNode> caught = thrown.catchers();
        caught.retainAll(passed);
        if (caught.isEmpty()) {
            return false;
        }
        TryCatchBlockNode catcher = firstCatchAllCovering(method, athrow);
        if (catcher == null) {
            return true;
        }
        Frame<Flow> entry = frames[method.instructions.indexOf(catcher.handler)];
        if (entry == null) {
            return true;
        }
        BitSet liveAtEntry = live.get(catcher.handler);
        for (int slot = 0; slot < entry.getLocals(); slot++) {
            if (liveAtEntry.get(slot)) {
                Set<TryCatchBlockNode> held = entry.getLocal(slot).catchers();
                held.retainAll(caught);
                if (!held.isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The handler that catches a failure thrown at {@code insn}, when the first one that catches all does. */
    private static TryCatchBlockNode firstCatchAllCovering(MethodNode method, AbstractInsnNode insn) {
        InsnList code = method.instructions;
        int index = code.indexOf(insn);
        for (TryCatchBlockNode handler : method.tryCatchBlocks) {
            if (CaughtValues.catchesAll(handler) && code.indexOf(handler.start) <= index
                    && index < code.indexOf(handler.end)) {
                return handler;
            }
        }
        return null;
    }

    private static void replace(InsnList code, MethodInsnNode close, int failureSlot) {
        InsnList await = new InsnList();
        if (failureSlot < 0) {
            await.add(new MethodInsnNode(Opcodes.INVOKEINTERFACE, WeaveSupport.ASYNC_CLOSEABLE, WeaveSupport.ACLOSE,
                    WeaveSupport.ACLOSE_DESC, true));
        } else {
            await.add(new VarInsnNode(Opcodes.ALOAD, failureSlot));
            await.add(new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN, WeaveSupport.WOVEN_ACLOSE_AFTER,
                    WeaveSupport.WOVEN_ACLOSE_AFTER_DESC, false));
        }
        await.add(new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.AIO, WeaveSupport.AWAIT,
                WeaveSupport.AWAIT_AWAITABLE_DESC, false));
        await.add(new InsnNode(Opcodes.POP));
        code.insert(close, await);
        code.remove(close);
    }
}
