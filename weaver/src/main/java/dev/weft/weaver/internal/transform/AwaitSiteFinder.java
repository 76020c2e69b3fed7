package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.WeaveSupport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Finds the suspension points of an {@code @Async} method, in code order, and simplifies its
 * returns on the way: {@code return result(v)} becomes {@code return v} and {@code return done()}
 * becomes {@code return null}. Every other {@code return x} returns an awaitable and becomes a
 * suspension point of its own: it completes with {@code x}'s result, as if awaited, unless
 * {@link ReturnHoister} has awaited it earlier, where its return statement computes it.
 */
final class AwaitSiteFinder {
    /** What a suspension point awaits. */
    enum Kind {
        /** {@code Aio.await(Awaitable)}. */
        AWAITABLE,
        /** {@code Aio.await(CompletionStage)}. */
        STAGE,
        /**
         * {@code return x} of an awaitable {@code x}: awaited just before the {@code areturn}, where
         * no compiler code stands between the two (else {@link ReturnHoister} awaits it earlier).
         */
        RETURN
    }

    /**
     * One suspension point.
     *
     * @param label the value of the state machine's label while suspended here, from 1
     * @param insn  the {@code Aio.await} call, or the {@code areturn} of a returned awaitable
     * @param kind  what is awaited
     */
    record Site(int label, AbstractInsnNode insn, Kind kind) {
    }

    private AwaitSiteFinder() {
    }

    /** Rewrites the method's plain returns in place and lists its suspension points. */
    static List<Site> find(MethodNode method) {
        return find(method, Set.of());
    }

    /**
     * As {@link #find(MethodNode)}, where {@code settled} are {@code areturn}s that return a plain
     * value already ({@link ReturnHoister} awaited their value where the return statement computes it).
     */
    static List<Site> find(MethodNode method, Set<AbstractInsnNode> settled) {
        List<Site> sites = new ArrayList<>();
        Set<AbstractInsnNode> plainReturns = new HashSet<>(settled);
        Set<LabelNode> targets = jumpTargets(method);
        for (AbstractInsnNode insn : method.instructions.toArray()) {
            if (insn instanceof MethodInsnNode call && call.getOpcode() == Opcodes.INVOKESTATIC) {
                if (WeaveSupport.isAwait(call.owner, call.name, call.desc)) {
                    Kind kind = WeaveSupport.AWAIT_STAGE_DESC.equals(call.desc) ? Kind.STAGE : Kind.AWAITABLE;
                    sites.add(new Site(sites.size() + 1, call, kind));
                } else if (returnsAtOnce(call, WeaveSupport.RESULT, WeaveSupport.RESULT_DESC, targets)) {
                    plainReturns.add(nextInstruction(call));
                    method.instructions.remove(call);
                } else if (returnsAtOnce(call, WeaveSupport.DONE, WeaveSupport.DONE_DESC, targets)) {
                    plainReturns.add(nextInstruction(call));
                    method.instructions.set(call, new InsnNode(Opcodes.ACONST_NULL));
                }
            } else if (insn.getOpcode() == Opcodes.ARETURN && !plainReturns.contains(insn)
                    && !(previousInstruction(insn).getOpcode() == Opcodes.ACONST_NULL
                            && !reachedByJump(insn, targets))) {
                sites.add(new Site(sites.size() + 1, insn, Kind.RETURN));
            }
        }
        return sites;
    }

    /**
     * A call of {@code Aio.result} or {@code Aio.done} whose coroutine is returned at once, by an
     * {@code areturn} that no other path reaches. Labels may stand between the two (a
     * {@code return result(v)} that ends a try block is followed by the label that ends the try
     * range), but not a label something jumps to: javac and ECJ share one {@code areturn} between
     * the arms of {@code return b ? result(x) : other()} or of a switch expression, and the other
     * arms still push a coroutine. Such a return stays an awaited return of whatever arrives (the
     * {@code result} call then builds a coroutine that is done already, awaited inline).
     */
    private static boolean returnsAtOnce(MethodInsnNode call, String name, String desc, Set<LabelNode> targets) {
        if (!WeaveSupport.AIO.equals(call.owner) || !name.equals(call.name) || !desc.equals(call.desc)) {
            return false;
        }
        for (AbstractInsnNode between = call.getNext(); between != null; between = between.getNext()) {
            if (between instanceof LabelNode label && targets.contains(label)) {
                return false;
            }
            if (between.getOpcode() >= 0) {
                return between.getOpcode() == Opcodes.ARETURN;
            }
        }
        return false;
    }

    /** The labels that jumps, switches and exception handlers lead to. */
    private static Set<LabelNode> jumpTargets(MethodNode method) {
        Set<LabelNode> targets = new HashSet<>();
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof JumpInsnNode jump) {
                targets.add(jump.label);
            } else if (insn instanceof TableSwitchInsnNode table) {
                targets.add(table.dflt);
                targets.addAll(table.labels);
            } else if (insn instanceof LookupSwitchInsnNode lookup) {
                targets.add(lookup.dflt);
                targets.addAll(lookup.labels);
            }
        }
        for (TryCatchBlockNode handler : method.tryCatchBlocks) {
            targets.add(handler.handler);
        }
        return targets;
    }

    private static AbstractInsnNode nextInstruction(AbstractInsnNode insn) {
        AbstractInsnNode next = insn.getNext();
        while (next != null && next.getOpcode() < 0) {
            next = next.getNext();
        }
        return next;
    }

    /** Whether a label something jumps to stands right before {@code insn}. */
    private static boolean reachedByJump(AbstractInsnNode insn, Set<LabelNode> targets) {
        for (AbstractInsnNode before = insn.getPrevious(); before != null && before.getOpcode() < 0;
                before = before.getPrevious()) {
            if (before instanceof LabelNode label && targets.contains(label)) {
                return true;
            }
        }
        return false;
    }

    private static AbstractInsnNode previousInstruction(AbstractInsnNode insn) {
        AbstractInsnNode previous = insn.getPrevious();
        while (previous != null && previous.getOpcode() < 0) {
            previous = previous.getPrevious();
        }
        return previous;
    }
}
