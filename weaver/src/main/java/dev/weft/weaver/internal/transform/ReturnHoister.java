package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.WeaveSupport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Awaits a returned awaitable where its return statement computes it. {@code return x;} completes
 * as if awaited, and a reader expects {@code return result(await(x))} at the statement: inside its
 * try ranges, before the finally code and the resource closes that follow it. javac and ECJ put
 * the {@code areturn} after all of those and outside the try ranges: the value is stored in a
 * temporary local before the inlined finally or close and reloaded at the {@code areturn}, or (ECJ's
 * try-with-resources) it stays on the stack across the closes. An await at the {@code areturn}
 * would run {@code x} after the finally, and its exception would escape the catch.
 *
 * <p>For each {@code areturn} in a method with try ranges, the value is followed back, through
 * such temporaries, to the instructions that produced it ({@link Analyzer} with a
 * {@link SourceInterpreter}, which merges sets of instructions and asks no class hierarchy). When
 * compiler code stands between them and the {@code areturn}, {@code Aio.await} is inserted right
 * after the producers (or before the temporary's store, when only the finally code follows), a
 * {@code result(v)} producer is dropped instead and a {@code done()} becomes {@code null} (no
 * allocation), the temporaries and stack entries that carry the value become
 * {@code java/lang/Object} in javac's frames, and the {@code areturn} returns the value as it is.
 *
 * <p>A temporary is a local with no LocalVariableTable entry at its reload; in a method with no
 * entries at all, one stored and reloaded on the same line (the compilers give the reload the
 * return statement's line). A user's local ({@code c = fetch(); ... return c;}) is the return
 * statement's value and is awaited where the statement loads it. A return the stage cannot follow,
 * or one inside a {@code synchronized} block (a monitor cannot be held across an await), stays
 * awaited at its {@code areturn}, with a {@link Warning}.
 */
final class ReturnHoister {
    /**
     * A return left awaited at its {@code areturn}.
     *
     * @param line    the return statement's line, or -1
     * @param message a sentence for the user
     */
    record Warning(int line, String message) {
    }

    static final String LATE = "this return's coroutine is awaited only after the finally blocks and resource closes "
            + "that follow the return have run, and outside the try's catch blocks";
    static final String WRITE_INSTEAD = "; write return result(await(x)) to await it at the return statement";
    static final String NO_VARIABLES = " (the class has no local variable table to tell a temporary from a variable; "
            + "compile with -g)";
    static final String SYNCHRONIZED = "this return's coroutine, returned inside a synchronized block, is awaited after "
            + "the block has released its monitor (a monitor cannot be held across a suspension); return it after the "
            + "block to make that order visible";

    /** Where the value of one {@code areturn} comes from. */
    private static final class Chain {
        final Map<AbstractInsnNode, AbstractInsnNode> consumerOf = new LinkedHashMap<>();
        final Set<AbstractInsnNode> stores = new LinkedHashSet<>();
        final Set<AbstractInsnNode> loads = new LinkedHashSet<>();
        final Map<AbstractInsnNode, AbstractInsnNode> reloadedFor = new LinkedHashMap<>();
        boolean unsure;
    }

    private final MethodNode method;
    private final ControlFlow flow;
    private final Frame<SourceValue>[] frames;
    private final boolean hasVariableTable;

    private ReturnHoister(String owner, MethodNode method) {
        this.method = method;
        this.flow = new ControlFlow(method);
        try {
            this.frames = new Analyzer<>(new SourceInterpreter()).analyze(owner, method);
        } catch (AnalyzerException e) {
            throw new IllegalStateException("cannot follow the values of " + owner + "." + method.name + ": "
                    + e.getMessage(), e);
        }
        this.hasVariableTable = method.localVariables != null && !method.localVariables.isEmpty();
    }

    /**
     * Moves the await of every returned awaitable that compiler code follows to its producers.
     *
     * @param warnings receives the returns left awaited at their {@code areturn}
     * @return the {@code areturn}s that now return a plain value
     */
    static Set<AbstractInsnNode> hoist(String owner, MethodNode method, List<Warning> warnings) {
        List<AbstractInsnNode> returns = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            if (insn.getOpcode() == Opcodes.ARETURN && !returnsPlainly(insn)) {
                returns.add(insn);
            }
        }
        if (method.tryCatchBlocks.isEmpty() || returns.isEmpty()) {
            return Set.of();
        }
        ReturnHoister hoister = new ReturnHoister(owner, method);
        Set<AbstractInsnNode> claimed = new HashSet<>();
        List<Runnable> edits = new ArrayList<>();
        Set<AbstractInsnNode> plain = new HashSet<>();
        for (AbstractInsnNode areturn : returns) {
            Warning warning = hoister.plan(areturn, claimed, edits, plain);
            if (warning != null) {
                warnings.add(warning);
            }
        }
        edits.forEach(Runnable::run);
        return plain;
    }

    /**
     * Plans the hoist of one return: retypes the frames now, queues the instruction edits and adds
     * the {@code areturn} to {@code plain}; or leaves it as it is.
     *
     * @return the warning when the return stays late although compiler code follows it, else null
     */
    private Warning plan(AbstractInsnNode areturn, Set<AbstractInsnNode> claimed, List<Runnable> edits,
                         Set<AbstractInsnNode> plain) {
        if (frames[flow.indexOf(areturn)] == null) {
            return null;
        }
        Chain chain = new Chain();
        trace(areturn, chain);
        Set<AbstractInsnNode> producers = chain.consumerOf.keySet();
        if (chain.stores.isEmpty() && producers.size() == 1 && producers.contains(previous(areturn))
                && completesAtOnce(previous(areturn))) {
            return null;
        }
        int line = ResumeBodyEmitter.lineOf(producers.isEmpty() ? areturn : producers.iterator().next());
        boolean carried = false;
        boolean valid = true;
        boolean monitor = false;
        for (Map.Entry<AbstractInsnNode, AbstractInsnNode> use : chain.consumerOf.entrySet()) {
            Segment segment = walk(use.getKey(), use.getValue(), producers);
            carried |= segment.effects || !flow.handlers(flow.indexOf(use.getKey()))
                    .equals(flow.handlers(flow.indexOf(use.getValue())));
            valid &= segment.valid;
            monitor |= segment.monitor;
        }
        if (!carried && chain.stores.isEmpty()) {
            return chain.unsure ? new Warning(line, LATE + WRITE_INSTEAD + NO_VARIABLES) : null;
        }
        for (Map.Entry<AbstractInsnNode, AbstractInsnNode> use : chain.reloadedFor.entrySet()) {
            Segment segment = walk(use.getKey(), use.getValue(), chain.loads);
            valid &= segment.valid;
            monitor |= segment.monitor;
        }
        for (AbstractInsnNode store : chain.stores) {
            monitor |= crossesMonitorExit(store, ((VarInsnNode) store).var);
        }
        boolean rewrite = carried || producers.stream().allMatch(ReturnHoister::completesAtOnce);
        Set<AbstractInsnNode> onStack = new HashSet<>(chain.loads);
        if (rewrite) {
            onStack.addAll(producers);
        } else {
            valid &= chain.consumerOf.values().stream().allMatch(store -> chain.stores.contains(store));
        }
        Set<AbstractInsnNode> members = new HashSet<>(onStack);
        members.addAll(chain.stores);
        if (!valid || !localsOnlyReloaded(chain) || members.stream().anyMatch(claimed::contains)) {
            return new Warning(line, LATE + WRITE_INSTEAD);
        }
        if (monitor) {
            return new Warning(line, SYNCHRONIZED);
        }
        claimed.addAll(members);
        retypeFrames(chain.stores, onStack);
        if (rewrite) {
            for (AbstractInsnNode producer : producers) {
                edits.add(() -> awaitAfter(producer));
            }
        } else {
            for (AbstractInsnNode store : new LinkedHashSet<>(chain.consumerOf.values())) {
                edits.add(() -> method.instructions.insertBefore(store, awaitCall()));
            }
        }
        plain.add(areturn);
        return null;
    }

    /** Follows the value {@code consumer} takes from the top of the stack back to its producers. */
    private void trace(AbstractInsnNode consumer, Chain chain) {
        Frame<SourceValue> frame = frames[flow.indexOf(consumer)];
        for (AbstractInsnNode source : frame.getStack(frame.getStackSize() - 1).insns) {
            if (source instanceof VarInsnNode load && load.getOpcode() == Opcodes.ALOAD) {
                Set<AbstractInsnNode> stores = frames[flow.indexOf(load)].getLocal(load.var).insns;
                boolean stored = !stores.isEmpty() && stores.stream().allMatch(s -> s.getOpcode() == Opcodes.ASTORE);
                if (stored && isTemporary(load, stores, chain)) {
                    chain.loads.add(load);
                    chain.reloadedFor.put(load, consumer);
                    for (AbstractInsnNode store : stores) {
                        if (chain.stores.add(store)) {
                            trace(store, chain);
                        }
                    }
                    continue;
                }
            }
            chain.consumerOf.put(source, consumer);
        }
    }

    private boolean isTemporary(VarInsnNode load, Set<AbstractInsnNode> stores, Chain chain) {
        int at = flow.indexOf(load);
        boolean named = method.localVariables != null && method.localVariables.stream().anyMatch(v -> v.index == load.var
                && flow.indexOf(v.start) <= at && at < flow.indexOf(v.end));
        if (named || hasVariableTable) {
            return !named;
        }
        int line = ResumeBodyEmitter.lineOf(load);
        if (line > 0 && stores.stream().allMatch(s -> ResumeBodyEmitter.lineOf(s) == line)) {
            return true;
        }
        chain.unsure = true;
        return false;
    }

    /**
     * What lies between a producer and its consumer: code with effects, a monitor exit, and whether
     * the value stays at its place on every path (no path consumes, copies or moves it, or leaves the
     * method another way).
     */
    private record Segment(boolean effects, boolean monitor, boolean valid) {
    }

    /** Walks the normal paths from {@code producer} to {@code consumer}. */
    private Segment walk(AbstractInsnNode producer, AbstractInsnNode consumer, Set<AbstractInsnNode> producers) {
        int end = flow.indexOf(consumer);
        int depth = frames[end].getStackSize() - 1;
        boolean effects = false;
        boolean monitor = false;
        boolean valid = true;
        Deque<Integer> work = new ArrayDeque<>(flow.successors(flow.indexOf(producer)));
        Set<Integer> seen = new HashSet<>(work);
        while (!work.isEmpty()) {
            int i = work.pop();
            if (i == end) {
                continue;
            }
            Frame<SourceValue> frame = frames[i];
            int opcode = flow.get(i).getOpcode();
            if (frame == null || frame.getStackSize() <= depth || !producers.containsAll(frame.getStack(depth).insns)
                    || frame.getStackSize() - depth <= reach(opcode) || opcode == Opcodes.ATHROW
                    || (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN)) {
                valid = false;
                continue;
            }
            monitor |= opcode == Opcodes.MONITOREXIT;
            effects |= monitor || (opcode >= Opcodes.INVOKEVIRTUAL && opcode <= Opcodes.INVOKEDYNAMIC)
                    || opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC
                    || (opcode >= Opcodes.IASTORE && opcode <= Opcodes.SASTORE);
            for (int next : flow.successors(i)) {
                if (seen.add(next)) {
                    work.push(next);
                }
            }
        }
        return new Segment(effects, monitor, valid);
    }

    /** How many stack entries from the top an instruction moves or copies. */
    private static int reach(int opcode) {
        return switch (opcode) {
            case Opcodes.DUP, Opcodes.POP -> 1;
            case Opcodes.DUP_X1, Opcodes.DUP2, Opcodes.SWAP, Opcodes.POP2 -> 2;
            case Opcodes.DUP_X2, Opcodes.DUP2_X1 -> 3;
            case Opcodes.DUP2_X2 -> 4;
            default -> 0;
        };
    }

    /** Whether every load that may read a temporary's value is a reload of the chain. */
    private boolean localsOnlyReloaded(Chain chain) {
        for (int i = 0; i < flow.size(); i++) {
            if (flow.get(i) instanceof VarInsnNode load && load.getOpcode() == Opcodes.ALOAD && frames[i] != null
                    && frames[i].getLocal(load.var).insns.stream().anyMatch(chain.stores::contains)
                    && (!chain.loads.contains(load) || !chain.stores.containsAll(frames[i].getLocal(load.var).insns))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a path on which the temporary stored by {@code store} still holds its value leaves a monitor. */
    private boolean crossesMonitorExit(AbstractInsnNode store, int slot) {
        Deque<Integer> work = new ArrayDeque<>(flow.successors(flow.indexOf(store)));
        Set<Integer> seen = new HashSet<>(work);
        while (!work.isEmpty()) {
            int i = work.pop();
            AbstractInsnNode insn = flow.get(i);
            if (insn.getOpcode() == Opcodes.MONITOREXIT) {
                return true;
            }
            if (insn instanceof VarInsnNode variable && variable.var == slot && variable.getOpcode() == Opcodes.ASTORE) {
                continue;
            }
            for (int next : flow.successors(i)) {
                if (seen.add(next)) {
                    work.push(next);
                }
            }
        }
        return false;
    }

    /** The temporaries and stack entries that carry the value hold the awaited value now: any object. */
    private void retypeFrames(Set<AbstractInsnNode> stores, Set<AbstractInsnNode> onStack) {
        for (int i = 0; i < flow.size(); i++) {
            if (!(flow.get(i) instanceof FrameNode node) || frames[i] == null) {
                continue;
            }
            Frame<SourceValue> frame = frames[i];
            if (node.local != null) {
                List<Object> slots = FrameTypes.toSlotList(node.local);
                for (int slot = 0; slot < slots.size(); slot++) {
                    if (FrameTypes.isReference(slots.get(slot))
                            && frame.getLocal(slot).insns.stream().anyMatch(stores::contains)) {
                        slots.set(slot, "java/lang/Object");
                    }
                }
                node.local = FrameTypes.toFrameList(slots);
            }
            if (node.stack != null) {
                for (int k = 0; k < node.stack.size() && k < frame.getStackSize(); k++) {
                    if (FrameTypes.isReference(node.stack.get(k))
                            && frame.getStack(k).insns.stream().anyMatch(onStack::contains)) {
                        node.stack.set(k, "java/lang/Object");
                    }
                }
            }
        }
    }

    /** {@code result(v)} leaves {@code v}, {@code done()} and {@code null} leave null, anything else is awaited. */
    private void awaitAfter(AbstractInsnNode producer) {
        if (isAio(producer, WeaveSupport.RESULT, WeaveSupport.RESULT_DESC)) {
            method.instructions.remove(producer);
        } else if (isAio(producer, WeaveSupport.DONE, WeaveSupport.DONE_DESC)) {
            method.instructions.set(producer, new InsnNode(Opcodes.ACONST_NULL));
        } else if (producer.getOpcode() != Opcodes.ACONST_NULL) {
            method.instructions.insert(producer, awaitCall());
        }
    }

    private static MethodInsnNode awaitCall() {
        return new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.AIO, WeaveSupport.AWAIT,
                WeaveSupport.AWAIT_AWAITABLE_DESC, false);
    }

    private static boolean completesAtOnce(AbstractInsnNode producer) {
        return producer.getOpcode() == Opcodes.ACONST_NULL || isAio(producer, WeaveSupport.RESULT, WeaveSupport.RESULT_DESC)
                || isAio(producer, WeaveSupport.DONE, WeaveSupport.DONE_DESC);
    }

    /**
     * {@code return result(v)}, {@code return done()} or {@code return null} with nothing between
     * the two, not even a label, which {@link AwaitSiteFinder} settles alone.
     */
    private static boolean returnsPlainly(AbstractInsnNode areturn) {
        AbstractInsnNode previous = areturn.getPrevious();
        while (previous != null && previous.getOpcode() < 0 && !(previous instanceof LabelNode)) {
            previous = previous.getPrevious();
        }
        return previous != null && completesAtOnce(previous);
    }

    private static boolean isAio(AbstractInsnNode insn, String name, String desc) {
        return insn instanceof MethodInsnNode call && call.getOpcode() == Opcodes.INVOKESTATIC
                && WeaveSupport.AIO.equals(call.owner) && name.equals(call.name) && desc.equals(call.desc);
    }

    private static AbstractInsnNode previous(AbstractInsnNode insn) {
        AbstractInsnNode previous = insn.getPrevious();
        while (previous != null && previous.getOpcode() < 0) {
            previous = previous.getPrevious();
        }
        return previous;
    }
}
