package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.WeaveSupport;
import java.util.List;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.Interpreter;
import org.objectweb.asm.tree.analysis.Value;

/**
 * The verifier's type rules for one instruction at a time, as an ASM {@link Interpreter}: the type
 * of what each instruction pushes, read from its operands alone (descriptors, constants, the array
 * type for {@code aaload}). It never merges: {@link FrameReader} takes every merged type from
 * javac's frames, so no question about the class hierarchy ever arises.
 */
final class TypeInterpreter extends Interpreter<TypeInterpreter.TypeValue> {
    /** One verification type: an {@link Opcodes} constant, an internal name, or a NEW's label. */
    record TypeValue(Object type) implements Value {
        @Override
        public int getSize() {
            return FrameTypes.isWide(type) ? 2 : 1;
        }
    }

    static final TypeValue TOP = new TypeValue(Opcodes.TOP);
    private static final TypeValue INT = new TypeValue(Opcodes.INTEGER);
    private static final TypeValue FLOAT = new TypeValue(Opcodes.FLOAT);
    private static final TypeValue LONG = new TypeValue(Opcodes.LONG);
    private static final TypeValue DOUBLE = new TypeValue(Opcodes.DOUBLE);
    private static final TypeValue NULL = new TypeValue(Opcodes.NULL);

    TypeInterpreter() {
        super(WeaveSupport.ASM_API);
    }

    static TypeValue of(Type type) {
        return type.getSort() == Type.VOID ? null : new TypeValue(FrameTypes.ofType(type));
    }

    @Override
    public TypeValue newValue(Type type) {
        return type == null ? TOP : of(type);
    }

    @Override
    public TypeValue newOperation(AbstractInsnNode insn) {
        switch (insn.getOpcode()) {
            case Opcodes.ACONST_NULL:
                return NULL;
            case Opcodes.LCONST_0, Opcodes.LCONST_1:
                return LONG;
            case Opcodes.FCONST_0, Opcodes.FCONST_1, Opcodes.FCONST_2:
                return FLOAT;
            case Opcodes.DCONST_0, Opcodes.DCONST_1:
                return DOUBLE;
            case Opcodes.LDC:
                return constant(((LdcInsnNode) insn).cst);
            case Opcodes.GETSTATIC:
                return of(Type.getType(((FieldInsnNode) insn).desc));
            case Opcodes.NEW:
                return new TypeValue(FrameReader.labelOf(insn));
            default:
                return INT;
        }
    }

    private static TypeValue constant(Object cst) {
        if (cst instanceof Integer) {
            return INT;
        } else if (cst instanceof Float) {
            return FLOAT;
        } else if (cst instanceof Long) {
            return LONG;
        } else if (cst instanceof Double) {
            return DOUBLE;
        } else if (cst instanceof String) {
            return new TypeValue("java/lang/String");
        } else if (cst instanceof Type type) {
            return new TypeValue(type.getSort() == Type.METHOD ? "java/lang/invoke/MethodType" : "java/lang/Class");
        } else if (cst instanceof Handle) {
            return new TypeValue("java/lang/invoke/MethodHandle");
        }
        return of(Type.getType(((ConstantDynamic) cst).getDescriptor()));
    }

    @Override
    public TypeValue copyOperation(AbstractInsnNode insn, TypeValue value) {
        return value;
    }

    @Override
    public TypeValue unaryOperation(AbstractInsnNode insn, TypeValue value) {
        switch (insn.getOpcode()) {
            case Opcodes.INEG, Opcodes.IINC, Opcodes.L2I, Opcodes.F2I, Opcodes.D2I, Opcodes.I2B, Opcodes.I2C,
                    Opcodes.I2S, Opcodes.ARRAYLENGTH, Opcodes.INSTANCEOF:
                return INT;
            case Opcodes.FNEG, Opcodes.I2F, Opcodes.L2F, Opcodes.D2F:
                return FLOAT;
            case Opcodes.LNEG, Opcodes.I2L, Opcodes.F2L, Opcodes.D2L:
                return LONG;
            case Opcodes.DNEG, Opcodes.I2D, Opcodes.L2D, Opcodes.F2D:
                return DOUBLE;
            case Opcodes.GETFIELD:
                return of(Type.getType(((FieldInsnNode) insn).desc));
            case Opcodes.NEWARRAY:
                return new TypeValue(primitiveArray(((IntInsnNode) insn).operand));
            case Opcodes.ANEWARRAY:
                return new TypeValue(Type.getType("[" + Type.getObjectType(((TypeInsnNode) insn).desc).getDescriptor())
                        .getInternalName());
            case Opcodes.CHECKCAST:
                return new TypeValue(((TypeInsnNode) insn).desc);
            default:
                return null;
        }
    }

    private static String primitiveArray(int operand) {
        return switch (operand) {
            case Opcodes.T_BOOLEAN -> "[Z";
            case Opcodes.T_CHAR -> "[C";
            case Opcodes.T_BYTE -> "[B";
            case Opcodes.T_SHORT -> "[S";
            case Opcodes.T_INT -> "[I";
            case Opcodes.T_FLOAT -> "[F";
            case Opcodes.T_LONG -> "[J";
            default -> "[D";
        };
    }

    @Override
    public TypeValue binaryOperation(AbstractInsnNode insn, TypeValue value1, TypeValue value2) {
        int opcode = insn.getOpcode();
        switch (opcode) {
            case Opcodes.AALOAD:
                if (value1.type() instanceof String array && array.startsWith("[")) {
                    return of(Type.getType(array.substring(1)));
                }
                return NULL;
            case Opcodes.LALOAD, Opcodes.LADD, Opcodes.LSUB, Opcodes.LMUL, Opcodes.LDIV, Opcodes.LREM, Opcodes.LSHL,
                    Opcodes.LSHR, Opcodes.LUSHR, Opcodes.LAND, Opcodes.LOR, Opcodes.LXOR:
                return LONG;
            case Opcodes.FALOAD, Opcodes.FADD, Opcodes.FSUB, Opcodes.FMUL, Opcodes.FDIV, Opcodes.FREM:
                return FLOAT;
            case Opcodes.DALOAD, Opcodes.DADD, Opcodes.DSUB, Opcodes.DMUL, Opcodes.DDIV, Opcodes.DREM:
                return DOUBLE;
            default:
                return (opcode >= Opcodes.IF_ICMPEQ && opcode <= Opcodes.IF_ACMPNE) || opcode == Opcodes.PUTFIELD
                        ? null : INT;
        }
    }

    @Override
    public TypeValue ternaryOperation(AbstractInsnNode insn, TypeValue value1, TypeValue value2, TypeValue value3) {
        return null;
    }

    @Override
    public TypeValue naryOperation(AbstractInsnNode insn, List<? extends TypeValue> values) {
        if (insn instanceof MultiANewArrayInsnNode multi) {
            return new TypeValue(Type.getType(multi.desc).getInternalName());
        } else if (insn instanceof InvokeDynamicInsnNode indy) {
            return of(Type.getReturnType(indy.desc));
        }
        return of(Type.getReturnType(((MethodInsnNode) insn).desc));
    }

    @Override
    public void returnOperation(AbstractInsnNode insn, TypeValue value, TypeValue expected) {
        // Returns push nothing; the verifier's check of the returned type is javac's business.
    }

    @Override
    public TypeValue merge(TypeValue value1, TypeValue value2) {
        throw new UnsupportedOperationException("types are never merged: javac's frames give them");
    }
}
