package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.transform.AwaitSiteFinder.Site;
import dev.weft.weaver.internal.transform.SpillPlanner.Plan;
import dev.weft.weaver.internal.transform.SpillPlanner.Point;
import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Turns the user's method, in place, into the resume body: a static synthetic method of the host
 * with the user's name (so stack traces name the user's method and line) taking
 * {@code (machine, value, failure)}. Its head ({@link Dispatch}) throws the failure when no await is
 * inside a user try range, restores the locals several labels share, and jumps on the machine's
 * label: label 0 loads the remaining parameters from the machine and runs the body from the top;
 * label k jumps to the resume block of suspension point k. Stores the plan writes through get
 * their {@code putfield} here.
 */
final class ResumeBodyEmitter {
    private ResumeBodyEmitter() {
    }

    /** The descriptor of the resume body for a state machine class. */
    static String descriptor(String machine) {
        return "(L" + machine + ";Ljava/lang/Object;Ljava/lang/Throwable;)Ljava/lang/Object;";
    }

    /**
     * Whether the head throws the failure before anything else: when no await is inside a user try
     * range, so no handler needs the restored locals to see it.
     */
    static boolean failureCheckedFirst(MethodNode method, List<Site> sites) {
        return sites.stream().allMatch(site -> coveringRanges(method, site.insn()).isEmpty());
    }

    /** Whether some resume block or the head writes the user's slot 0: some await has it live. */
    static boolean firstSlotRestored(Plan plan) {
        return plan.points().values().stream().anyMatch(point -> point.liveLocals().stream().anyMatch(local -> local.index() == 0));
    }

    /**
     * Rewrites {@code method} into the resume body.
     *
     * @param isInterface whether the host is an interface: then the body must be public (see
     *                    {@code docs/internals.md}), since an interface has no package-private methods
     * @param shift       how far the user's locals move up, from {@link SlotShifter#shiftFor} of
     *                    {@link #failureCheckedFirst} and {@link #firstSlotRestored}
     * @return the LocalVariableTable entries over the out-of-line suspend and resume blocks
     */
    static List<LocalVariableNode> emit(String machine, boolean isInterface, MethodNode method, List<Site> sites,
                                        Plan plan, int shift) {
        Map<Site, List<TryCatchBlockNode>> covering = new HashMap<>();
        Map<Site, Integer> lines = new HashMap<>();
        for (Site site : sites) {
            covering.put(site, coveringRanges(method, site.insn()));
            lines.put(site, lineOf(site.insn()));
        }
        // With no await inside a user try range, the failure is thrown before anything is restored.
        boolean checkedFirst = covering.values().stream().allMatch(List::isEmpty);
        if (shift < SlotShifter.shiftFor(checkedFirst, firstSlotRestored(plan))) {
            throw new IllegalStateException("weaver bug: the user's locals, " + shift + " slots up, would overwrite the value or the failure before the resume body reads it");
        }
        List<Value> restoredFirst = Dispatch.sharedRestores(plan);
        List<Object> prefix = FrameEmitter.prefix(machine);
        SlotShifter.shift(method, FrameEmitter.prefix(machine, shift));
        // The frame once the shared restores ran: the restored locals over the parameters they share a slot with.
        List<Object> entryLocals = FrameEmitter.locals(prefix, restoredFirst, shift);
        plan.writeThrough().forEach((store, field) -> {
            int slot = store instanceof IincInsnNode increment ? increment.var : ((VarInsnNode) store).var;
            InsnList write = new InsnList();
            write.add(new VarInsnNode(Opcodes.ALOAD, 0));
            write.add(FrameTypes.load(FrameTypes.ofType(Type.getType(field.desc())), slot));
            write.add(new FieldInsnNode(Opcodes.PUTFIELD, machine, field.name(), field.desc()));
            method.instructions.insert(store, write);
        });

        AwaitRewriter rewriter = new AwaitRewriter(machine, restoredFirst, entryLocals, checkedFirst, shift, method);
        List<LabelNode> targets = new ArrayList<>();
        LabelNode start = new LabelNode();
        targets.add(start);
        for (Site site : sites) {
            Point point = plan.points().get(site.insn());
            if (point == null) {
                throw new IllegalStateException("an await in unreachable code");
            }
            targets.add(rewriter.rewrite(method.instructions, site, point, covering.get(site), lines.get(site)));
        }

        InsnList labelZero = new InsnList();
        for (Value parameter : plan.parameters()) {
            if (!restoredFirst.contains(parameter)) {
                labelZero.add(new VarInsnNode(Opcodes.ALOAD, 0));
                labelZero.add(new FieldInsnNode(Opcodes.GETFIELD, machine, parameter.field().name(), parameter.field().desc()));
                labelZero.add(FrameTypes.store(parameter.type(), parameter.index() + shift));
            }
        }
        // The parameters now live in locals; fields that would keep a dead parameter are nulled.
        for (SpillPlanner.Field field : plan.clearedAtStart()) {
            labelZero.add(new VarInsnNode(Opcodes.ALOAD, 0));
            labelZero.add(new InsnNode(Opcodes.ACONST_NULL));
            labelZero.add(new FieldInsnNode(Opcodes.PUTFIELD, machine, field.name(), field.desc()));
        }

        InsnList head = new InsnList();
        InsnList tail = new InsnList();
        boolean[] labelOnStack = new boolean[targets.size()];
        if (targets.size() > 1) {
            LabelNode thrown = new LabelNode();
            if (checkedFirst) {
                head.add(new VarInsnNode(Opcodes.ALOAD, 2));
                head.add(new JumpInsnNode(Opcodes.IFNONNULL, thrown));
            }
            for (Value local : restoredFirst) {
                head.add(new VarInsnNode(Opcodes.ALOAD, 0));
                head.add(new FieldInsnNode(Opcodes.GETFIELD, machine, local.field().name(), local.field().desc()));
                head.add(FrameTypes.store(local.type(), local.index() + shift));
            }
            LabelNode bad = new LabelNode();
            Dispatch.Jumps jumps = Dispatch.jumps(machine, targets, bad, SuspendBlocks.bytes(head));
            labelOnStack = jumps.labelOnStack();
            head.add(jumps.code());
            head.add(bad);
            head.add(FrameEmitter.frame(entryLocals, List.of()));
            head.add(Dispatch.badLabel());
            head.add(start);
            if (labelOnStack[0]) {
                head.add(FrameEmitter.frame(entryLocals, List.of(Opcodes.INTEGER)));
                head.add(new InsnNode(Opcodes.POP));
            } else if (labelZero.size() > 0 || !FrameEmitter.frameAhead(method.instructions.getFirst())) {
                // Else javac's own frame stands here, and it holds only parameters the dispatch restored.
                head.add(FrameEmitter.frame(entryLocals, List.of()));
            }
            if (checkedFirst) {
                tail.add(thrown);
                tail.add(FrameEmitter.frame(prefix, List.of()));
                tail.add(new VarInsnNode(Opcodes.ALOAD, 2));
                tail.add(new InsnNode(Opcodes.ATHROW));
            }
        } else {
            head.add(start);
        }
        head.add(labelZero);
        rewriter.finish(tail, labelOnStack);
        method.instructions.insert(head);
        method.instructions.add(tail);
        method.tryCatchBlocks.addAll(rewriter.addedRanges());

        method.access = (isInterface ? Opcodes.ACC_PUBLIC : 0) | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC;
        method.desc = descriptor(machine);
        method.signature = null;
        method.exceptions = new ArrayList<>();
        method.parameters = null;
        method.visibleAnnotations = null;
        method.invisibleAnnotations = null;
        method.visibleTypeAnnotations = null;
        method.invisibleTypeAnnotations = null;
        method.visibleParameterAnnotations = null;
        method.invisibleParameterAnnotations = null;
        method.visibleAnnotableParameterCount = 0;
        method.invisibleAnnotableParameterCount = 0;
        method.annotationDefault = null;
        // The await sequence needs two slots above javac's deepest stack; a suspend block saving a
        // long local under the suspended marker needs three.
        method.maxStack = Math.max(method.maxStack + 3, 5);
        return rewriter.variables();
    }

    /** The user's try ranges around {@code insn}, in the order of the exception table. */
    private static List<TryCatchBlockNode> coveringRanges(MethodNode method, AbstractInsnNode insn) {
        int index = method.instructions.indexOf(insn);
        List<TryCatchBlockNode> ranges = new ArrayList<>();
        for (TryCatchBlockNode range : method.tryCatchBlocks) {
            if (method.instructions.indexOf(range.start) <= index && index < method.instructions.indexOf(range.end)) {
                ranges.add(range);
            }
        }
        return ranges;
    }

    /** The source line of the code at {@code insn}, or -1 when the class has no line numbers. */
    static int lineOf(AbstractInsnNode insn) {
        for (AbstractInsnNode node = insn; node != null; node = node.getPrevious()) {
            if (node instanceof LineNumberNode line) {
                return line.line;
            }
        }
        return -1;
    }
}
