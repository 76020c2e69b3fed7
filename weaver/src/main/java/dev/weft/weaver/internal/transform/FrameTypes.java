package dev.weft.weaver.internal.transform;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Verification types as ASM's frames write them ({@link Opcodes#INTEGER}, an internal name, a label
 * for an uninitialized value) and what the weave needs from each: a field descriptor, the load and
 * store opcodes, a default value.
 */
final class FrameTypes {
    private FrameTypes() {
    }

    /** Whether the type takes two slots. */
    static boolean isWide(Object type) {
        return type == Opcodes.LONG || type == Opcodes.DOUBLE;
    }

    /** Whether the type holds a value a field could keep: not top, not uninitialized. */
    static boolean isValue(Object type) {
        return type != Opcodes.TOP && type != Opcodes.UNINITIALIZED_THIS && (type instanceof Integer || type instanceof String);
    }

    /** Whether the type is a reference (including the null type). */
    static boolean isReference(Object type) {
        return type instanceof String || type == Opcodes.NULL;
    }

    /**
     * The descriptor of a field that can hold a value of this type; the null type has none (it is
     * restored as {@code aconst_null}), so it returns null.
     */
    static String fieldDescriptor(Object type) {
        if (type == Opcodes.INTEGER) {
            return "I";
        } else if (type == Opcodes.FLOAT) {
            return "F";
        } else if (type == Opcodes.LONG) {
            return "J";
        } else if (type == Opcodes.DOUBLE) {
            return "D";
        } else if (type == Opcodes.NULL) {
            return null;
        } else if (type instanceof String name) {
            return name.charAt(0) == '[' ? name : "L" + name + ";";
        }
        throw new IllegalArgumentException("no field can hold the verification type " + type);
    }

    /** The verification type of a value of the given field or parameter type. */
    static Object ofType(Type type) {
        switch (type.getSort()) {
            case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT:
                return Opcodes.INTEGER;
            case Type.FLOAT:
                return Opcodes.FLOAT;
            case Type.LONG:
                return Opcodes.LONG;
            case Type.DOUBLE:
                return Opcodes.DOUBLE;
            default:
                return type.getInternalName();
        }
    }

    /** The opcode that loads a local of this type: ILOAD, LLOAD, FLOAD, DLOAD or ALOAD. */
    static int loadOpcode(Object type) {
        return opcodeType(type).getOpcode(Opcodes.ILOAD);
    }

    /** The opcode that stores a local of this type. */
    static int storeOpcode(Object type) {
        return opcodeType(type).getOpcode(Opcodes.ISTORE);
    }

    private static Type opcodeType(Object type) {
        if (type == Opcodes.INTEGER) {
            return Type.INT_TYPE;
        } else if (type == Opcodes.FLOAT) {
            return Type.FLOAT_TYPE;
        } else if (type == Opcodes.LONG) {
            return Type.LONG_TYPE;
        } else if (type == Opcodes.DOUBLE) {
            return Type.DOUBLE_TYPE;
        }
        return Type.getObjectType("java/lang/Object");
    }

    /** {@code xload slot} for a value of this type. */
    static VarInsnNode load(Object type, int slot) {
        return new VarInsnNode(loadOpcode(type), slot);
    }

    /** {@code xstore slot} for a value of this type. */
    static VarInsnNode store(Object type, int slot) {
        return new VarInsnNode(storeOpcode(type), slot);
    }

    /**
     * Turns a slot-per-entry list, as {@code AnalyzerAdapter} keeps it (a long is {@code LONG, TOP}),
     * into a value-per-entry list, as frames are written (a long is one {@code LONG}).
     */
    static List<Object> toFrameList(List<Object> slots) {
        List<Object> values = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            Object type = slots.get(i);
            values.add(type);
            if (isWide(type)) {
                i++;
            }
        }
        return values;
    }

    /** Turns a value-per-entry list into a slot-per-entry list (a long becomes {@code LONG, TOP}). */
    static List<Object> toSlotList(List<Object> values) {
        List<Object> slots = new ArrayList<>(values.size() + 4);
        for (Object type : values) {
            slots.add(type);
            if (isWide(type)) {
                slots.add(Opcodes.TOP);
            }
        }
        return slots;
    }
}
