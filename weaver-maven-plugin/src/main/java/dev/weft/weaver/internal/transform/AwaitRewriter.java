package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.internal.transform.AwaitSiteFinder.Kind;
import dev.weft.weaver.internal.transform.AwaitSiteFinder.Site;
import dev.weft.weaver.internal.transform.SpillPlanner.Field;
import dev.weft.weaver.internal.transform.SpillPlanner.Point;
import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Rewrites one suspension point. Inline, where the user's {@code await(x)} was, only the fast path
 * remains: {@code r = Woven.await(sm, x); if (r == SUSPENDED) goto suspend_k;} and the code goes
 * on with {@code r}. Out of line, at the end of the method and outside every try range:
 * <pre>
 * suspend_k: pop r; save the stack below and the live locals; null dead reference fields;
 *            push k; goto suspend          (the shared block sets the label and returns SUSPENDED)
 * resume_k:  restore the live locals and the stack below (dead locals are top in every frame);
 *            if (failure != null) throw failure;   (inside copies of the user's try ranges)
 *            push value; goto continue_k
 * </pre>
 */
final class AwaitRewriter {
    private final String machine;
    private final LabelNode suspend;
    private final List<TryCatchBlockNode> addedRanges = new ArrayList<>();

    /**
     * @param machine internal name of the state machine class
     * @param suspend the shared block that stores the label on the stack and returns SUSPENDED
     */
    AwaitRewriter(String machine, LabelNode suspend) {
        this.machine = machine;
        this.suspend = suspend;
    }

    /** Copies of user try ranges that now cover a resume's {@code throw failure}, in priority order. */
    List<TryCatchBlockNode> addedRanges() {
        return addedRanges;
    }

    /**
     * Rewrites the point in {@code code} and appends its out-of-line blocks to {@code tail}.
     *
     * @param covering the user's try ranges around the await, innermost (first in the table) first
     * @param line     the source line of the await, or -1
     * @return the label the dispatch jumps to to resume at this point
     */
    LabelNode rewrite(InsnList code, Site site, Point point, List<TryCatchBlockNode> covering, int line, InsnList tail) {
        List<Object> locals = frameLocals(point.frameLocals());
        List<Object> below = new ArrayList<>();
        point.stack().forEach(value -> below.add(value.type()));
        List<Object> afterAwait = new ArrayList<>(below);
        afterAwait.add("java/lang/Object");

        LabelNode suspendHere = new LabelNode();
        LabelNode continueHere = new LabelNode();
        InsnList inline = new InsnList();
        inline.add(new VarInsnNode(Opcodes.ALOAD, 0));
        inline.add(new InsnNode(Opcodes.SWAP));
        inline.add(site.kind() == Kind.STAGE
                ? new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN, WeaveSupport.WOVEN_AWAIT_STAGE,
                        WeaveSupport.WOVEN_AWAIT_STAGE_DESC, false)
                : new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN, WeaveSupport.AWAIT,
                        WeaveSupport.WOVEN_AWAIT_DESC, false));
        inline.add(new InsnNode(Opcodes.DUP));
        inline.add(new FieldInsnNode(Opcodes.GETSTATIC, WeaveSupport.WOVEN, WeaveSupport.SUSPENDED, "Ljava/lang/Object;"));
        inline.add(new JumpInsnNode(Opcodes.IF_ACMPEQ, suspendHere));
        inline.add(continueHere);
        if (site.kind() == Kind.RETURN || !FrameEmitter.frameAhead(site.insn().getNext())) {
            inline.add(FrameEmitter.frame(locals, afterAwait));
        }
        if (site.kind() == Kind.RETURN) {
            code.insertBefore(site.insn(), inline);
        } else {
            code.insert(site.insn(), inline);
            code.remove(site.insn());
        }

        tail.add(suspendHere);
        tail.add(FrameEmitter.frame(locals, afterAwait));
        addLine(tail, suspendHere, line);
        tail.add(new InsnNode(Opcodes.POP));
        for (int i = point.stack().size() - 1; i >= 0; i--) {
            save(tail, point.stack().get(i));
        }
        for (Value local : point.liveLocals()) {
            if (local.field() != null) {
                tail.add(new VarInsnNode(Opcodes.ALOAD, 0));
                tail.add(FrameTypes.load(local.type(), local.index() + SlotShifter.SHIFT));
                tail.add(put(local.field()));
            }
        }
        for (Field field : point.clearedFields()) {
            tail.add(new VarInsnNode(Opcodes.ALOAD, 0));
            tail.add(new InsnNode(Opcodes.ACONST_NULL));
            tail.add(put(field));
        }
        tail.add(FrameEmitter.pushInt(site.label()));
        tail.add(new JumpInsnNode(Opcodes.GOTO, suspend));

        LabelNode resumeHere = new LabelNode();
        tail.add(resumeHere);
        tail.add(FrameEmitter.frame(frameLocals(List.of()), List.of()));
        addLine(tail, resumeHere, line);
        for (Value local : point.liveLocals()) {
            restore(tail, local);
            tail.add(FrameTypes.store(local.type(), local.index() + SlotShifter.SHIFT));
        }
        point.stack().forEach(value -> restore(tail, value));
        LabelNode throwStart = new LabelNode();
        LabelNode throwEnd = new LabelNode();
        LabelNode produce = new LabelNode();
        tail.add(new VarInsnNode(Opcodes.ALOAD, 2));
        tail.add(new JumpInsnNode(Opcodes.IFNULL, produce));
        tail.add(throwStart);
        tail.add(new VarInsnNode(Opcodes.ALOAD, 2));
        tail.add(new InsnNode(Opcodes.ATHROW));
        tail.add(throwEnd);
        tail.add(produce);
        tail.add(FrameEmitter.frame(locals, below));
        tail.add(new VarInsnNode(Opcodes.ALOAD, 1));
        tail.add(new JumpInsnNode(Opcodes.GOTO, continueHere));
        for (TryCatchBlockNode range : covering) {
            addedRanges.add(new TryCatchBlockNode(throwStart, throwEnd, range.handler, range.type));
        }
        return resumeHere;
    }

    private List<Object> frameLocals(List<Object> userLocals) {
        List<Object> locals = new ArrayList<>(FrameEmitter.prefix(machine));
        locals.addAll(userLocals);
        return locals;
    }

    private void save(InsnList tail, Value value) {
        if (value.field() == null) {
            tail.add(new InsnNode(Opcodes.POP));
            return;
        }
        tail.add(new VarInsnNode(Opcodes.ALOAD, 0));
        if (FrameTypes.isWide(value.type())) {
            tail.add(new InsnNode(Opcodes.DUP_X2));
            tail.add(new InsnNode(Opcodes.POP));
        } else {
            tail.add(new InsnNode(Opcodes.SWAP));
        }
        tail.add(put(value.field()));
    }

    private void restore(InsnList tail, Value value) {
        if (value.field() == null) {
            tail.add(new InsnNode(Opcodes.ACONST_NULL));
            return;
        }
        tail.add(new VarInsnNode(Opcodes.ALOAD, 0));
        tail.add(new FieldInsnNode(Opcodes.GETFIELD, machine, value.field().name(), value.field().desc()));
    }

    private FieldInsnNode put(Field field) {
        return new FieldInsnNode(Opcodes.PUTFIELD, machine, field.name(), field.desc());
    }

    private static void addLine(InsnList tail, LabelNode at, int line) {
        if (line > 0) {
            tail.add(new LineNumberNode(line, at));
        }
    }
}
