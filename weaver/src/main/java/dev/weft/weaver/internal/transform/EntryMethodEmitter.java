package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.TypePath;
import org.objectweb.asm.AnnotationVisitor;

/**
 * Rewrites the user's {@code @Async} method as it streams by: its signature, modifiers,
 * annotations and parameter names pass through untouched; its code is replaced by
 * {@code new Machine(), store the receiver and arguments, return it}. Nothing of the body runs:
 * coroutines are lazy. The LocalVariableTable keeps the receiver's and the parameters' entries,
 * over the new code, so that a debugger stopped on the call (a breakpoint on the method's first
 * line stops here too) shows the arguments by name.
 */
final class EntryMethodEmitter extends MethodVisitor {
    private final String machine;
    private final List<Value> parameters;
    private final int line;
    private final int argumentSlots;
    private final boolean generator;
    private final Label start = new Label();
    private final Label end = new Label();
    private int maxStack;
    private int maxLocals;

    /**
     * @param target        where the entry method is written
     * @param machine       internal name of the state machine
     * @param parameters    the receiver and parameters the body reads, with their slots and fields
     * @param line          the method's first source line, for stack traces through the entry, or 0
     * @param argumentSlots the slots the receiver and arguments take: the least {@code max_locals}
     *                      the JVM accepts, whatever the body reads
     * @param generator     whether the method is an async generator, whose entry returns its state
     *                      machine wrapped by {@code Woven.generator}
     */
    EntryMethodEmitter(MethodVisitor target, String machine, List<Value> parameters, int line, int argumentSlots,
            boolean generator) {
        super(WeaveSupport.ASM_API, target);
        this.machine = machine;
        this.parameters = parameters;
        this.line = line;
        this.argumentSlots = argumentSlots;
        this.generator = generator;
    }

    @Override
    public void visitCode() {
        super.visitCode();
        super.visitLabel(start);
        if (line > 0) {
            super.visitLineNumber(line, start);
        }
        super.visitTypeInsn(Opcodes.NEW, machine);
        super.visitInsn(Opcodes.DUP);
        super.visitMethodInsn(Opcodes.INVOKESPECIAL, machine, "<init>", "()V", false);
        maxStack = 2;
        maxLocals = argumentSlots;
        for (Value parameter : parameters) {
            super.visitInsn(Opcodes.DUP);
            super.visitVarInsn(FrameTypes.loadOpcode(parameter.type()), parameter.index());
            super.visitFieldInsn(Opcodes.PUTFIELD, machine, parameter.field().name(), parameter.field().desc());
            int size = FrameTypes.isWide(parameter.type()) ? 2 : 1;
            maxStack = Math.max(maxStack, 2 + size);
            maxLocals = Math.max(maxLocals, parameter.index() + size);
        }
        if (generator) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN, WeaveSupport.WOVEN_GENERATOR,
                    WeaveSupport.WOVEN_GENERATOR_DESC, false);
        }
        super.visitInsn(Opcodes.ARETURN);
        super.visitLabel(end);
    }

    // The original body and everything tied to its offsets is dropped; the entry has its own code.

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
    }

    @Override
    public void visitInsn(int opcode) {
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, org.objectweb.asm.Handle bootstrapMethodHandle,
                                       Object... bootstrapMethodArguments) {
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
    }

    @Override
    public void visitLabel(Label label) {
    }

    @Override
    public void visitLdcInsn(Object value) {
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
    }

    @Override
    public AnnotationVisitor visitInsnAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
        return null;
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
    }

    @Override
    public AnnotationVisitor visitTryCatchAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
        return null;
    }

    @Override
    public void visitLocalVariable(String name, String descriptor, String signature, Label from, Label to, int index) {
        if (index < argumentSlots) {
            super.visitLocalVariable(name, descriptor, signature, start, end, index);
        }
    }

    @Override
    public AnnotationVisitor visitLocalVariableAnnotation(int typeRef, TypePath typePath, Label[] start, Label[] end,
                                                          int[] index, String descriptor, boolean visible) {
        return null;
    }

    @Override
    public void visitLineNumber(int line, Label start) {
    }

    @Override
    public void visitMaxs(int originalMaxStack, int originalMaxLocals) {
        super.visitMaxs(maxStack, maxLocals);
    }
}
