package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.transform.SpillPlanner.Field;
import dev.weft.weaver.internal.transform.SpillPlanner.Plan;
import dev.weft.weaver.internal.transform.SpillPlanner.Point;
import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Follows what each field of the state machine holds through the method, to drop the writes a
 * suspension does not need. A forward dataflow with two facts per field:
 * <ul>
 *   <li><em>clean</em> (on every path): the field holds the current value of its local, because
 *       the entry stored the parameter there or a resume restored the local from it, and the slot
 *       has not been written since. A suspension does not save a clean local again;</li>
 *   <li><em>may hold</em> (on some path): the field may hold a reference. A suspension nulls a
 *       reference field that may hold something but keeps nothing live there, so that a suspended
 *       coroutine does not keep dead objects reachable, unless the field holds the very object
 *       being awaited (the runtime keeps that one until the resume anyway).</li>
 * </ul>
 * A local may also be written through: each store of it is followed by a write of its field, so
 * the field is clean after it and no suspension saves it. Each field's facts depend on that field
 * alone, so each field is decided on its own: written at its stores or saved at suspensions,
 * whichever writes fewer bytes.
 *
 * <p>Only the parameters the body reads are stored by the entry and loaded at label 0. A reference
 * parameter's field is either left as the entry wrote it (clean, never saved again, nulled at
 * the first suspension where it is dead) or nulled once at label 0, whichever writes fewer bytes.
 */
final class FieldTracker {
    private final int shift;
    private final ControlFlow flow;
    private final List<Field> fields;
    private final Map<Field, Integer> ids = new HashMap<>();
    private final Map<Integer, BitSet> slotFields = new HashMap<>();
    private final Map<List<Object>, Field> localFields = new HashMap<>();
    private final BitSet references = new BitSet();
    private final Map<Integer, Point> points = new LinkedHashMap<>();
    private final Map<Integer, Field> awaited = new HashMap<>();
    /** Instruction index of a store to field id: the stores that could also write their local's field. */
    private final Map<Integer, Integer> stores = new LinkedHashMap<>();

    /** The facts before one instruction. */
    private record Facts(BitSet clean, BitSet mayHold) {
        Facts copy() {
            return new Facts((BitSet) clean.clone(), (BitSet) mayHold.clone());
        }
    }

    private FieldTracker(MethodNode method, Plan plan, int shift) {
        this.shift = shift;
        this.flow = new ControlFlow(method);
        this.fields = plan.fields();
        for (int i = 0; i < fields.size(); i++) {
            ids.put(fields.get(i), i);
            if (fields.get(i).isReference()) {
                references.set(i);
            }
        }
        List<Value> locals = new ArrayList<>(plan.parameters());
        plan.points().values().forEach(point -> locals.addAll(point.liveLocals()));
        for (Value local : locals) {
            if (local.field() != null) {
                slotFields.computeIfAbsent(local.index(), slot -> new BitSet()).set(ids.get(local.field()));
                localFields.put(List.of(local.index(), local.field().desc()), local.field());
            }
        }
        for (Map.Entry<AbstractInsnNode, Point> entry : plan.points().entrySet()) {
            int index = flow.indexOf(entry.getKey());
            points.put(index, entry.getValue());
        }
    }

    /**
     * Prunes the plan's saves and sets its clears.
     *
     * @param method   the method, slots not shifted yet
     * @param plan     the fields and values of every point, with every live local saved
     * @param states   the types before each suspension point
     * @param liveAtStart the slots the body reads before writing them
     * @param shift    how far the resume body will move the user's locals ({@link SlotShifter#shiftFor}),
     *                 which decides the size of each load
     * @return the plan with only the saves and clears each suspension needs, and only the
     *         parameters the body reads
     */
    static Plan track(MethodNode method, Plan plan, Map<AbstractInsnNode, FrameReader.State> states, BitSet liveAtStart,
                      int shift) {
        FieldTracker tracker = new FieldTracker(method, plan, shift);
        tracker.findAwaitedFields(states);
        tracker.findStores(states);
        List<Value> parameters = plan.parameters().stream()
                .filter(parameter -> liveAtStart.get(parameter.index()) && parameter.field() != null).toList();
        BitSet stored = new BitSet();
        BitSet referenceParameters = new BitSet();
        for (Value parameter : parameters) {
            stored.set(tracker.ids.get(parameter.field()));
            if (parameter.field().isReference()) {
                referenceParameters.set(tracker.ids.get(parameter.field()));
            }
        }
        // Each field is decided on its own (its facts never depend on another field's): kept or
        // nulled at label 0 (a reference parameter), written at its stores or saved at suspensions.
        BitSet none = new BitSet();
        BitSet all = new BitSet();
        tracker.stores.values().forEach(all::set);
        BitSet[][] choices = {{none, none}, {referenceParameters, none}, {none, all}, {referenceParameters, all}};
        int[][] costs = new int[choices.length][];
        for (int i = 0; i < choices.length; i++) {
            costs[i] = tracker.costs(tracker.solve(stored, choices[i][0], choices[i][1]), choices[i][0], choices[i][1]);
        }
        BitSet clearedAtStart = new BitSet();
        BitSet writeThrough = new BitSet();
        for (int id = 0; id < tracker.fields.size(); id++) {
            int best = 0;
            for (int i = 1; i < choices.length; i++) {
                if (costs[i][id] < costs[best][id]) {
                    best = i;
                }
            }
            clearedAtStart.set(id, choices[best][0].get(id));
            writeThrough.set(id, choices[best][1].get(id));
        }
        Map<Integer, Facts> facts = tracker.solve(stored, clearedAtStart, writeThrough);
        Map<AbstractInsnNode, Field> written = new LinkedHashMap<>();
        tracker.stores.forEach((index, id) -> {
            if (writeThrough.get(id) && facts.containsKey(index)) {
                written.put(tracker.flow.get(index), tracker.fields.get(id));
            }
        });

        Map<AbstractInsnNode, Point> pruned = new LinkedHashMap<>();
        Set<Field> used = new LinkedHashSet<>();
        parameters.forEach(parameter -> used.add(parameter.field()));
        for (Map.Entry<Integer, Point> entry : tracker.points.entrySet()) {
            Point point = entry.getValue();
            Facts before = facts.get(entry.getKey());
            List<Value> saved = new ArrayList<>();
            List<Field> cleared = new ArrayList<>();
            if (before != null) {
                saved = point.savedLocals().stream().filter(local -> !before.clean.get(tracker.ids.get(local.field()))).toList();
                tracker.cleared(entry.getKey(), point, before).stream().mapToObj(tracker.fields::get).forEach(cleared::add);
            }
            pruned.put(tracker.flow.get(entry.getKey()), new Point(point.frameLocals(), point.liveLocals(), point.stack(), saved, cleared));
            point.liveLocals().forEach(local -> used.add(local.field()));
            point.stack().forEach(value -> used.add(value.field()));
        }
        used.remove(null);
        List<Field> start = clearedAtStart.stream().mapToObj(tracker.fields::get).toList();
        return new Plan(plan.fields().stream().filter(used::contains).toList(), parameters, pruned, start, written);
    }

    /** The field of a local that a point awaits directly ({@code aload x; await}), when it has one. */
    private void findAwaitedFields(Map<AbstractInsnNode, FrameReader.State> states) {
        for (int index : points.keySet()) {
            AbstractInsnNode previous = flow.get(index).getPrevious();
            while (previous != null && previous.getOpcode() < 0) {
                previous = previous.getPrevious();
            }
            FrameReader.State state = states.get(flow.get(index));
            if (previous instanceof VarInsnNode load && load.getOpcode() == Opcodes.ALOAD && state != null
                    && FrameTypes.isValue(state.locals().get(load.var))) {
                String desc = FrameTypes.fieldDescriptor(state.locals().get(load.var));
                Field field = desc == null ? null : localFields.get(List.of(load.var, desc));
                if (field != null) {
                    awaited.put(index, field);
                }
            }
        }
    }

    /**
     * The stores that could write their local's field too: those whose value has exactly the type
     * of a field of the slot, so that the {@code putfield} verifies without asking the hierarchy.
     */
    private void findStores(Map<AbstractInsnNode, FrameReader.State> states) {
        for (int index = 0; index < flow.size(); index++) {
            AbstractInsnNode insn = flow.get(index);
            int slot = slotWritten(insn);
            if (slot < 0) {
                continue;
            }
            String desc = switch (insn.getOpcode()) {
                case Opcodes.ISTORE, Opcodes.IINC -> "I";
                case Opcodes.LSTORE -> "J";
                case Opcodes.FSTORE -> "F";
                case Opcodes.DSTORE -> "D";
                default -> {
                    FrameReader.State state = states.get(insn);
                    Object type = state == null ? null : state.stack().get(state.stack().size() - 1);
                    yield type instanceof String ? FrameTypes.fieldDescriptor(type) : null;
                }
            };
            Field field = desc == null ? null : localFields.get(List.of(slot, desc));
            if (field != null) {
                stores.put(index, ids.get(field));
            }
        }
    }

    private static int slotWritten(AbstractInsnNode insn) {
        if (insn instanceof VarInsnNode variable && variable.getOpcode() >= Opcodes.ISTORE && variable.getOpcode() <= Opcodes.ASTORE) {
            return variable.var;
        } else if (insn instanceof IincInsnNode increment) {
            return increment.var;
        }
        return -1;
    }

    /** The fields a suspension at this point must null. */
    private BitSet cleared(int index, Point point, Facts before) {
        BitSet cleared = (BitSet) before.mayHold.clone();
        cleared.and(references);
        cleared.andNot(held(point));
        Field field = awaited.get(index);
        if (field != null && before.clean.get(ids.get(field))) {
            cleared.clear(ids.get(field));
        }
        return cleared;
    }

    private BitSet held(Point point) {
        BitSet held = new BitSet();
        point.liveLocals().stream().filter(v -> v.field() != null).forEach(v -> held.set(ids.get(v.field())));
        point.stack().stream().filter(v -> v.field() != null).forEach(v -> held.set(ids.get(v.field())));
        return held;
    }

    /**
     * Bytes each field costs in saves and clears, in a clear at label 0 if {@code clearedAtStart}
     * has it, and in a write at each of its stores if {@code writeThrough} has it.
     */
    private int[] costs(Map<Integer, Facts> facts, BitSet clearedAtStart, BitSet writeThrough) {
        int[] costs = new int[fields.size()];
        clearedAtStart.stream().forEach(id -> costs[id] += 5);
        stores.forEach((index, id) -> {
            if (writeThrough.get(id) && facts.containsKey(index)) {
                costs[id] += moveBytes(slotWritten(flow.get(index)));
            }
        });
        for (Map.Entry<Integer, Point> entry : points.entrySet()) {
            Facts before = facts.get(entry.getKey());
            if (before == null) {
                continue;
            }
            for (Value local : entry.getValue().savedLocals()) {
                int id = ids.get(local.field());
                if (!before.clean.get(id)) {
                    costs[id] += moveBytes(local.index());
                }
            }
            cleared(entry.getKey(), entry.getValue(), before).stream().forEach(id -> costs[id] += 5);
        }
        return costs;
    }

    /** Bytes of {@code aload_0; xload slot; putfield}, the slot not shifted yet. */
    private int moveBytes(int slot) {
        int shifted = slot + shift;
        return 4 + (shifted <= 3 ? 1 : shifted <= 255 ? 2 : 4);
    }

    /** The facts before every reachable instruction, from the start of label 0. */
    private Map<Integer, Facts> solve(BitSet stored, BitSet clearedAtStart, BitSet writeThrough) {
        BitSet clean = (BitSet) stored.clone();
        clean.andNot(clearedAtStart);
        Map<Integer, Facts> in = new HashMap<>();
        Deque<Integer> work = new ArrayDeque<>();
        if (flow.size() > 0) {
            in.put(0, new Facts(clean, (BitSet) clean.clone()));
            work.add(0);
        }
        while (!work.isEmpty()) {
            int index = work.poll();
            Facts before = in.get(index);
            Facts after = transfer(index, before, writeThrough);
            for (int successor : flow.successors(index)) {
                join(in, work, successor, after);
            }
            for (int handler : flow.handlers(index)) {
                join(in, work, handler, before);
                join(in, work, handler, after);
            }
        }
        return in;
    }

    private Facts transfer(int index, Facts before, BitSet writeThrough) {
        Facts after = before.copy();
        int slot = slotWritten(flow.get(index));
        if (slot >= 0 && slotFields.containsKey(slot)) {
            after.clean.andNot(slotFields.get(slot));
        }
        Integer written = stores.get(index);
        if (written != null && writeThrough.get(written)) {
            after.clean.set(written);
            if (references.get(written)) {
                after.mayHold.set(written);
            }
        }
        Point point = points.get(index);
        if (point != null) {
            // The fast path changes nothing; a suspension leaves exactly the held fields set,
            // and the restored locals clean.
            after.mayHold.or(held(point));
            BitSet restored = new BitSet();
            point.liveLocals().stream().filter(v -> v.field() != null).forEach(v -> restored.set(ids.get(v.field())));
            after.clean.and(restored);
        }
        return after;
    }

    private static void join(Map<Integer, Facts> in, Deque<Integer> work, int target, Facts facts) {
        Facts current = in.get(target);
        if (current == null) {
            in.put(target, facts.copy());
            work.add(target);
            return;
        }
        BitSet clean = (BitSet) current.clean.clone();
        clean.and(facts.clean);
        BitSet mayHold = (BitSet) current.mayHold.clone();
        mayHold.or(facts.mayHold);
        if (!clean.equals(current.clean) || !mayHold.equals(current.mayHold)) {
            in.put(target, new Facts(clean, mayHold));
            work.add(target);
        }
    }
}
