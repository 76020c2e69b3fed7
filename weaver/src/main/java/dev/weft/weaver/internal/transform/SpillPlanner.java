package dev.weft.weaver.internal.transform;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Decides which field of the state machine holds each value at each suspension point; which of
 * those writes and which nulling a suspension really needs is {@link FieldTracker}'s business. A local
 * gets a field per slot and type, an operand-stack value a field per depth and type, so that a
 * field serves every await that keeps the same slot alive; the receiver and the parameters are
 * the slots' first values and share those fields.
 */
final class SpillPlanner {
    /** A field of the state machine. */
    record Field(String name, String desc) {
        boolean isReference() {
            return desc.charAt(0) == 'L' || desc.charAt(0) == '[';
        }
    }

    /**
     * One value to move between a slot (a local slot, or a stack depth) and a field.
     *
     * @param index the local slot (unshifted) or the stack depth, from the bottom
     * @param type  its verification type
     * @param field where it is kept; null for the null type, which is restored as a literal null
     */
    record Value(int index, Object type, Field field) {
    }

    /**
     * What one suspension point saves and restores.
     *
     * @param frameLocals  the live locals (value list, unshifted; dead ones are top) at the point, as a frame writes them
     * @param liveLocals   the locals to save and restore
     * @param stack        the operand-stack values below the awaited one, bottom first
     * @param savedLocals  the live locals a suspension here must write to their fields (those whose
     *                     field may not hold them already)
     * @param clearedFields reference fields a suspension here must null for the garbage collector
     */
    record Point(List<Object> frameLocals, List<Value> liveLocals, List<Value> stack, List<Value> savedLocals,
                 List<Field> clearedFields) {
    }

    /**
     * The whole plan.
     *
     * @param fields         every field of the state machine but the label
     * @param parameters     the receiver and parameters the entry stores and label 0 loads
     * @param points         each suspension point's moves
     * @param clearedAtStart parameters' fields label 0 nulls once it has loaded them
     * @param writeThrough   stores ({@code xstore} or {@code iinc}) after which the local is also
     *                       written to the given field, so that suspensions need not save it
     */
    record Plan(List<Field> fields, List<Value> parameters, Map<AbstractInsnNode, Point> points,
                List<Field> clearedAtStart, Map<AbstractInsnNode, Field> writeThrough) {
    }

    private final Map<String, Field> fields = new LinkedHashMap<>();

    private SpillPlanner() {
    }

    /**
     * Plans the fields for the given points.
     *
     * @param scratch the first local slot of the scratch locals the lifted {@code new}s use; those are never live
     */
    static Plan plan(String owner, MethodNode method, Map<AbstractInsnNode, FrameReader.State> states,
                     Map<AbstractInsnNode, BitSet> live, List<AbstractInsnNode> points, int scratch) {
        SpillPlanner planner = new SpillPlanner();
        List<Value> parameters = new ArrayList<>();
        int slot = 0;
        if ((method.access & Opcodes.ACC_STATIC) == 0) {
            parameters.add(planner.local(slot++, owner));
        }
        for (Type argument : Type.getArgumentTypes(method.desc)) {
            parameters.add(planner.local(slot, FrameTypes.ofType(argument)));
            slot += argument.getSize();
        }
        Map<AbstractInsnNode, Point> planned = new LinkedHashMap<>();
        for (AbstractInsnNode point : points) {
            FrameReader.State state = states.get(point);
            if (state == null) {
                continue;
            }
            List<Object> locals = new ArrayList<>(state.locals());
            for (int i = scratch; i < locals.size(); i++) {
                locals.set(i, Opcodes.TOP);
            }
            List<Value> liveLocals = new ArrayList<>();
            for (int i = 0; i < locals.size(); i++) {
                Object type = locals.get(i);
                if (type instanceof org.objectweb.asm.tree.LabelNode) {
                    throw new IllegalStateException("an uninitialized object is held in a local across an await");
                }
                if (!FrameTypes.isValue(type)) {
                    continue;
                }
                if (live.get(point).get(i)) {
                    liveLocals.add(planner.local(i, type));
                } else {
                    locals.set(i, Opcodes.TOP);
                    if (FrameTypes.isWide(type)) {
                        locals.set(i + 1, Opcodes.TOP);
                    }
                }
            }
            List<Value> stack = new ArrayList<>();
            List<Object> below = state.stack().subList(0, state.stack().size() - 1);
            for (int depth = 0; depth < below.size(); depth++) {
                Object type = below.get(depth);
                if (!FrameTypes.isValue(type)) {
                    throw new IllegalStateException("an uninitialized object is on the stack across an await");
                }
                stack.add(planner.value("s" + depth, depth, type));
            }
            planned.put(point, new Point(trimTop(FrameTypes.toFrameList(locals)), liveLocals, stack,
                    liveLocals.stream().filter(value -> value.field() != null).toList(), List.of()));
        }
        return new Plan(List.copyOf(planner.fields.values()), parameters, planned, List.of(), Map.of());
    }

    private Value local(int slot, Object type) {
        return value("l" + slot, slot, type);
    }

    private Value value(String prefix, int index, Object type) {
        String desc = FrameTypes.fieldDescriptor(type);
        if (desc == null) {
            return new Value(index, type, null);
        }
        Field field = fields.computeIfAbsent(prefix + " " + desc, key -> {
            String name = prefix;
            for (int n = 1; fieldNamed(name); n++) {
                name = prefix + "_" + n;
            }
            return new Field(name, desc);
        });
        return new Value(index, type, field);
    }

    private boolean fieldNamed(String name) {
        return fields.values().stream().anyMatch(field -> field.name().equals(name));
    }

    private static List<Object> trimTop(List<Object> values) {
        int end = values.size();
        while (end > 0 && values.get(end - 1) == (Object) Opcodes.TOP) {
            end--;
        }
        return new ArrayList<>(values.subList(0, end));
    }
}
