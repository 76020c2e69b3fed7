package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.WeaveSupport;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.Interpreter;

/**
 * Where each value of a method came from, for {@link AsyncCloseRewriter}: the instruction that made
 * it, the parameter it is, or the handler that caught it. Loads, stores, dups and casts pass a value on
 * as it is, so the exception a catch-any handler caught is known wherever the compiler's code moves
 * it; where paths meet, the origins are joined. Sizes come from ASM's {@link BasicInterpreter}.
 */
final class CaughtValues extends Interpreter<CaughtValues.Flow> {
    private static final BasicInterpreter BASIC = new BasicInterpreter();
    /** What a local holds before any store: merged into a value, it marks the value as maybe unset. */
    private static final Object UNSET = new Object() {
        @Override
        public String toString() {
            return "unset";
        }
    };
    private static final Flow UNINITIALIZED = new Flow(1, Set.of(UNSET), false);
    /** Values of different sizes met in one slot: nothing the code can read again. */
    private static final Flow CONFLICT = new Flow(1, Set.of(), true);

    /**
     * A value and its origins.
     *
     * @param size     1, or 2 for a {@code long} or {@code double}
     * @param origins  instructions, parameter slots ({@code Integer}) and handlers ({@link TryCatchBlockNode})
     * @param conflict whether paths that meet disagree on the slot's size
     */
    record Flow(int size, Set<Object> origins, boolean conflict) implements org.objectweb.asm.tree.analysis.Value {
        @Override
        public int getSize() {
            return size;
        }

        /** Whether this comes from a store on every path: no path reaches it with the local still unset. */
        boolean isSet() {
            return !origins.contains(UNSET);
        }

        /** Whether some origin is among {@code others}' origins. */
        boolean sharesOriginWith(Flow other) {
            for (Object origin : origins) {
                if (other.origins.contains(origin)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Whether this is an exception caught by a catch-any handler and nothing else (or null, as ECJ
         * starts the slot): a {@code Throwable} the weave may hand to {@code Woven.acloseAfter}.
         */
        boolean isCaughtFailure() {
            boolean caught = false;
            for (Object origin : origins) {
                if (origin instanceof TryCatchBlockNode handler && catchesAll(handler)) {
                    caught = true;
                } else if (!(origin instanceof AbstractInsnNode insn && insn.getOpcode() == Opcodes.ACONST_NULL)) {
                    return false;
                }
            }
            return caught && !conflict;
        }

        /** The catch-any handlers among the origins. */
        Set<TryCatchBlockNode> catchers() {
            Set<TryCatchBlockNode> catchers = new HashSet<>();
            for (Object origin : origins) {
                if (origin instanceof TryCatchBlockNode handler && catchesAll(handler)) {
                    catchers.add(handler);
                }
            }
            return catchers;
        }
    }

    CaughtValues() {
        super(WeaveSupport.ASM_API);
    }

    /** Whether a handler catches every failure: {@code finally}, try-with-resources, {@code catch (Throwable)}. */
    static boolean catchesAll(TryCatchBlockNode handler) {
        return handler.type == null || "java/lang/Throwable".equals(handler.type);
    }

    private static Flow made(AbstractInsnNode insn, BasicValue basic) {
        return basic == null ? null : new Flow(basic.getSize(), Set.of(insn), false);
    }

    @Override
    public Flow newValue(Type type) {
        if (type == null) {
            return UNINITIALIZED;
        }
        return type.getSort() == Type.VOID ? null : new Flow(type.getSize(), Set.of(), false);
    }

    @Override
    public Flow newParameterValue(boolean isInstanceMethod, int local, Type type) {
        return new Flow(type.getSize(), Set.of(local), false);
    }

    @Override
    public Flow newExceptionValue(TryCatchBlockNode handler, Frame<Flow> handlerFrame, Type exceptionType) {
        return new Flow(1, Set.of(handler), false);
    }

    @Override
    public Flow newOperation(AbstractInsnNode insn) throws AnalyzerException {
        return made(insn, BASIC.newOperation(insn));
    }

    @Override
    public Flow copyOperation(AbstractInsnNode insn, Flow value) {
        return value;
    }

    @Override
    public Flow unaryOperation(AbstractInsnNode insn, Flow value) throws AnalyzerException {
        return insn.getOpcode() == Opcodes.CHECKCAST ? value : made(insn, BASIC.unaryOperation(insn, null));
    }

    @Override
    public Flow binaryOperation(AbstractInsnNode insn, Flow value1, Flow value2) throws AnalyzerException {
        return made(insn, BASIC.binaryOperation(insn, null, null));
    }

    @Override
    public Flow ternaryOperation(AbstractInsnNode insn, Flow value1, Flow value2, Flow value3) {
        return null;
    }

    @Override
    public Flow naryOperation(AbstractInsnNode insn, List<? extends Flow> values) throws AnalyzerException {
        return made(insn, BASIC.naryOperation(insn, null));
    }

    @Override
    public void returnOperation(AbstractInsnNode insn, Flow value, Flow expected) {
        // Nothing flows out of a return that the rewriter follows.
    }

    @Override
    public Flow merge(Flow value1, Flow value2) {
        if (value1.equals(value2)) {
            return value1;
        }
        if (value1.conflict || value2.conflict || value1.size != value2.size) {
            return CONFLICT;
        }
        if (value1.origins.containsAll(value2.origins)) {
            return value1;
        }
        Set<Object> origins = new HashSet<>(value1.origins);
        origins.addAll(value2.origins);
        return new Flow(value1.size, origins, false);
    }
}
