package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.internal.transform.AwaitSiteFinder.Kind;
import dev.weft.weaver.internal.transform.AwaitSiteFinder.Site;
import dev.weft.weaver.internal.transform.SpillPlanner.Point;
import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Rewrites the suspension points. Inline, where the user's {@code await(x)} was, only the fast path
 * remains: {@code r = Woven.await(sm, x); if (r == SUSPENDED) goto suspend_k;} and the code goes
 * on with {@code r}. Out of line, at the end of the method and outside every try range:
 * <pre>
 * suspend_k: save what is not in its field yet; null dead fields; sm.label = k;
 *            save the stack below; return r          (r is SUSPENDED: no getstatic)
 * resume_k:  restore the live locals the dispatch did not, and the stack below (dead locals are
 *            top in every frame);
 *            if (failure != null) throw failure;   (inside copies of the user's try ranges; left
 *                                                   out when the dispatch checked it)
 *            push value; goto continue_k            (or, for a value javac pops at once, go on
 *                                                   after the pop)
 * </pre>
 * Suspend blocks that would be the same code but for {@code k} become one shared stub entered
 * with {@code k} on the stack ({@link SuspendBlocks}), and resumes with the same try ranges and
 * frame share one {@code throw failure}, whenever that is shorter.
 */
final class AwaitRewriter {
    private final String machine;
    private final List<Value> restoredFirst;
    private final List<Object> entryLocals;
    private final boolean checkedFirst;
    private final int shift;
    private final SuspendBlocks suspends;
    private final List<Resume> resumes = new ArrayList<>();
    private final List<TryCatchBlockNode> addedRanges = new ArrayList<>();
    private final MethodNode method;
    private final List<LocalVariableNode> variables = new ArrayList<>();

    /** One resume block, emitted by {@link #finish}. */
    private record Resume(int label, LabelNode start, LabelNode continueHere, boolean discarded, Point point,
                          List<Object> locals, List<Object> below, List<TryCatchBlockNode> covering, int line,
                          LabelNode body) {
    }

    /**
     * @param machine       internal name of the state machine class
     * @param restoredFirst the locals the dispatch restores before it jumps ({@link Dispatch}); a
     *                      resume block does not restore them again
     * @param entryLocals   the frame locals a resume block is entered with
     * @param checkedFirst  whether the dispatch throws the failure before it jumps (no await is
     *                      inside a user try range): then a resume block only produces the value
     * @param shift         how far the user's locals sit above their javac slots ({@link SlotShifter#shiftFor})
     * @param method        the method being rewritten, whose LocalVariableTable names the locals
     *                      the out-of-line blocks hold
     */
    AwaitRewriter(String machine, List<Value> restoredFirst, List<Object> entryLocals, boolean checkedFirst, int shift,
                  MethodNode method) {
        this.machine = machine;
        this.method = method;
        this.restoredFirst = restoredFirst;
        this.entryLocals = entryLocals;
        this.checkedFirst = checkedFirst;
        this.shift = shift;
        this.suspends = new SuspendBlocks(machine, shift);
    }

    /**
     * LocalVariableTable entries over the suspend and resume blocks: the user's live locals, by
     * their names, where the block holds them in their slots.
     */
    List<LocalVariableNode> variables() {
        return variables;
    }

    /** Copies of user try ranges that now cover a resume's {@code throw failure}, in priority order. */
    List<TryCatchBlockNode> addedRanges() {
        return addedRanges;
    }

    /**
     * Rewrites the point in {@code code}; its out-of-line blocks are written by {@link #finish}.
     *
     * @param covering the user's try ranges around the await, innermost (first in the table) first
     * @param line     the source line of the await, or -1
     * @return the label the dispatch jumps to to resume at this point
     */
    LabelNode rewrite(InsnList code, Site site, Point point, List<TryCatchBlockNode> covering, int line) {
        List<Object> locals = frameLocals(point.frameLocals());
        List<Object> below = new ArrayList<>();
        point.stack().forEach(value -> below.add(value.type()));
        List<Object> afterAwait = new ArrayList<>(below);
        afterAwait.add("java/lang/Object");

        LabelNode suspendHere = new LabelNode();
        LabelNode continueHere = new LabelNode();
        InsnList inline = new InsnList();
        MethodInsnNode emitting = emittingBefore(site);
        MethodInsnNode box = emitting == null ? null : boxBefore(emitting);
        if (box != null) {
            // emit(i) of a primitive, boxed right before the emit: the box is left out, and the
            // primitive goes to Woven.emitLong / emitInt / emitDouble under the state machine.
            code.remove(box);
            code.remove(emitting);
            Type primitive = Type.getArgumentTypes(box.desc)[0];
            inline.add(new VarInsnNode(Opcodes.ALOAD, 0));
            if (primitive.getSize() == 2) {
                inline.add(new InsnNode(Opcodes.DUP_X2));
                inline.add(new InsnNode(Opcodes.POP));
            } else {
                inline.add(new InsnNode(Opcodes.SWAP));
            }
            inline.add(new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN, primitiveEmit(primitive),
                    "(Ldev/weft/runtime/Coroutine;" + primitive.getDescriptor() + ")Ljava/lang/Object;", false));
        } else if (emitting != null) {
            // An async generator's emit(v), which GeneratorRewriter made await(Woven.emitting(v)):
            // the value goes to Woven.emit as it is, with no awaitable made for it.
            code.remove(emitting);
            inline.add(new VarInsnNode(Opcodes.ALOAD, 0));
            inline.add(new InsnNode(Opcodes.SWAP));
            inline.add(new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN, WeaveSupport.WOVEN_EMIT,
                    WeaveSupport.WOVEN_EMIT_DESC, false));
        } else {
            inline.add(new VarInsnNode(Opcodes.ALOAD, 0));
            inline.add(new InsnNode(Opcodes.SWAP));
            inline.add(site.kind() == Kind.STAGE
                    ? new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN, WeaveSupport.WOVEN_AWAIT_STAGE,
                            WeaveSupport.WOVEN_AWAIT_STAGE_DESC, false)
                    : new MethodInsnNode(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN, WeaveSupport.AWAIT,
                            WeaveSupport.WOVEN_AWAIT_DESC, false));
        }
        inline.add(new InsnNode(Opcodes.DUP));
        inline.add(new FieldInsnNode(Opcodes.GETSTATIC, WeaveSupport.WOVEN, WeaveSupport.SUSPENDED, "Ljava/lang/Object;"));
        inline.add(new JumpInsnNode(Opcodes.IF_ACMPEQ, suspendHere));
        inline.add(continueHere);
        if (site.kind() == Kind.RETURN || !FrameEmitter.frameAhead(site.insn().getNext())) {
            inline.add(FrameEmitter.frame(locals, afterAwait));
        }
        // A resume whose value the code drops at once (`await(sleep(1));` is `await; pop`) goes
        // on after the pop and pushes nothing.
        LabelNode resumeAt = continueHere;
        boolean discarded = site.kind() != Kind.RETURN && site.insn().getNext() != null
                && site.insn().getNext().getOpcode() == Opcodes.POP;
        if (discarded) {
            AbstractInsnNode pop = site.insn().getNext();
            resumeAt = new LabelNode();
            InsnList after = new InsnList();
            after.add(resumeAt);
            if (!FrameEmitter.frameAhead(pop.getNext())) {
                after.add(FrameEmitter.frame(locals, below));
            }
            code.insert(pop, after);
        }
        if (site.kind() == Kind.RETURN) {
            code.insertBefore(site.insn(), inline);
        } else {
            code.insert(site.insn(), inline);
            code.remove(site.insn());
        }
        LabelNode suspendEnd = new LabelNode();
        suspends.add(site.label(), suspendHere, suspendEnd, point, locals, afterAwait, line);
        variables.addAll(LocalVariableScopes.over(method, continueHere, point.liveLocals(), shift, suspendHere, suspendEnd));
        LabelNode resumeHere = new LabelNode();
        resumes.add(new Resume(site.label(), resumeHere, resumeAt, discarded, point, locals, below, covering, line,
                continueHere));
        return resumeHere;
    }

    /**
     * The {@code Woven.emitting(v)} call right before an await of {@code site}, which is then an
     * emit ({@link GeneratorRewriter} writes the two together, with nothing between), or null.
     */
    private static MethodInsnNode emittingBefore(Site site) {
        if (site.kind() != Kind.AWAITABLE) {
            return null;
        }
        AbstractInsnNode previous = site.insn().getPrevious();
        return previous instanceof MethodInsnNode call && call.getOpcode() == Opcodes.INVOKESTATIC
                && WeaveSupport.WOVEN.equals(call.owner) && WeaveSupport.WOVEN_EMITTING.equals(call.name)
                && WeaveSupport.WOVEN_EMITTING_DESC.equals(call.desc) ? call : null;
    }

    /**
     * The {@code Long.valueOf(long)}, {@code Integer.valueOf(int)} or {@code Double.valueOf(double)}
     * call right before {@code emitting} (what javac and ECJ write for {@code emit(i)} of a
     * primitive), whose box then goes nowhere but into the emit, or null. Nothing may stand between
     * the two, not even a label: a jump to the emit would bring a value boxed elsewhere.
     */
    private static MethodInsnNode boxBefore(MethodInsnNode emitting) {
        AbstractInsnNode previous = emitting.getPrevious();
        if (!(previous instanceof MethodInsnNode call) || call.getOpcode() != Opcodes.INVOKESTATIC
                || !"valueOf".equals(call.name) || call.itf) {
            return null;
        }
        return switch (call.owner + call.desc) {
            case "java/lang/Long(J)Ljava/lang/Long;", "java/lang/Integer(I)Ljava/lang/Integer;",
                 "java/lang/Double(D)Ljava/lang/Double;" -> call;
            default -> null;
        };
    }

    private static String primitiveEmit(Type primitive) {
        return switch (primitive.getSort()) {
            case Type.LONG -> WeaveSupport.WOVEN_EMIT_LONG;
            case Type.INT -> WeaveSupport.WOVEN_EMIT_INT;
            case Type.DOUBLE -> WeaveSupport.WOVEN_EMIT_DOUBLE;
            default -> throw new IllegalArgumentException("no unboxed emit of " + primitive);
        };
    }

    /**
     * Appends every out-of-line block to {@code tail}.
     *
     * @param labelOnStack per label (0 being the start), whether the dispatch enters its block with
     *                     the label still on the stack
     */
    void finish(InsnList tail, boolean[] labelOnStack) {
        suspends.emit(tail);
        Map<List<Object>, List<Resume>> groups = new LinkedHashMap<>();
        for (Resume resume : resumes) {
            groups.computeIfAbsent(throwKey(resume), key -> new ArrayList<>()).add(resume);
        }
        InsnList throwBlocks = new InsnList();
        for (List<Resume> group : groups.values()) {
            if (group.size() == 1 || checkedFirst) {
                group.forEach(resume -> emitResume(tail, resume, null, labelOnStack[resume.label()]));
                continue;
            }
            // One `throw failure` for the group, 8 bytes a resume instead of 10.
            Resume first = group.get(0);
            LabelNode shared = new LabelNode();
            group.forEach(resume -> emitResume(tail, resume, shared, labelOnStack[resume.label()]));
            throwBlocks.add(shared);
            throwBlocks.add(FrameEmitter.frame(first.covering().isEmpty() ? frameLocals(List.of()) : first.locals(),
                    first.below()));
            emitThrow(throwBlocks, first.covering());
        }
        tail.add(throwBlocks);
    }

    /**
     * Resumes may share their {@code throw failure} when the same handlers would catch it and the
     * frame there is the same. Without handlers only the stack must agree: the locals are dropped.
     */
    private static List<Object> throwKey(Resume resume) {
        return resume.covering().isEmpty()
                ? List.of(List.of(), resume.below())
                : List.of(List.copyOf(resume.covering()), resume.locals(), resume.below());
    }

    private void emitResume(InsnList tail, Resume resume, LabelNode sharedThrow, boolean popLabel) {
        tail.add(resume.start());
        tail.add(FrameEmitter.frame(entryLocals, popLabel ? List.of(Opcodes.INTEGER) : List.of()));
        if (popLabel) {
            tail.add(new InsnNode(Opcodes.POP));
        }
        for (Value local : resume.point().liveLocals()) {
            if (!restoredFirst.contains(local)) {
                restore(tail, local);
                tail.add(FrameTypes.store(local.type(), local.index() + shift));
            }
        }
        resume.point().stack().forEach(value -> restore(tail, value));
        // The await's line starts once the locals are back, so that a breakpoint there shows them.
        LabelNode restored = new LabelNode();
        LabelNode end = new LabelNode();
        tail.add(restored);
        addLine(tail, restored, resume.line());
        variables.addAll(LocalVariableScopes.over(method, resume.body(), resume.point().liveLocals(), shift, restored, end));
        if (!checkedFirst) {
            tail.add(new VarInsnNode(Opcodes.ALOAD, 2));
            if (sharedThrow != null) {
                tail.add(new JumpInsnNode(Opcodes.IFNONNULL, sharedThrow));
            } else {
                LabelNode produce = new LabelNode();
                tail.add(new JumpInsnNode(Opcodes.IFNULL, produce));
                emitThrow(tail, resume.covering());
                tail.add(produce);
                tail.add(FrameEmitter.frame(resume.locals(), resume.below()));
            }
        }
        if (!resume.discarded()) {
            tail.add(new VarInsnNode(Opcodes.ALOAD, 1));
        }
        tail.add(new JumpInsnNode(Opcodes.GOTO, resume.continueHere()));
        tail.add(end);
    }

    /** {@code throw failure}, inside copies of the user's ranges that covered the await. */
    private void emitThrow(InsnList code, List<TryCatchBlockNode> covering) {
        LabelNode throwStart = new LabelNode();
        LabelNode throwEnd = new LabelNode();
        code.add(throwStart);
        code.add(new VarInsnNode(Opcodes.ALOAD, 2));
        code.add(new InsnNode(Opcodes.ATHROW));
        code.add(throwEnd);
        for (TryCatchBlockNode range : covering) {
            addedRanges.add(new TryCatchBlockNode(throwStart, throwEnd, range.handler, range.type));
        }
    }

    private List<Object> frameLocals(List<Object> userLocals) {
        List<Object> locals = new ArrayList<>(FrameEmitter.prefix(machine, shift));
        locals.addAll(userLocals);
        return locals;
    }

    private void restore(InsnList tail, SpillPlanner.Value value) {
        if (value.field() == null) {
            tail.add(new InsnNode(Opcodes.ACONST_NULL));
            return;
        }
        tail.add(new VarInsnNode(Opcodes.ALOAD, 0));
        tail.add(new FieldInsnNode(Opcodes.GETFIELD, machine, value.field().name(), value.field().desc()));
    }

    static void addLine(InsnList tail, LabelNode at, int line) {
        if (line > 0) {
            tail.add(new LineNumberNode(line, at));
        }
    }
}
