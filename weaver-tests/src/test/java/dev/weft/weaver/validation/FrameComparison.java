package dev.weft.weaver.validation;

import dev.weft.weaver.ClassHierarchy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Compares the StackMapTable frames the weaver wrote with the frames ASM computes for the same
 * code ({@code COMPUTE_FRAMES}, its common superclasses answered by the {@link ClassHierarchy}).
 *
 * <p>The two need not be equal, so the check accepts the differences that cannot break a program
 * and reports the ones that can. At every bytecode offset where both have a frame:
 * <ul>
 *   <li>the operand stacks have the same number of values: the code alone fixes the stack depth,
 *       so any difference is a wrong frame;</li>
 *   <li>locals are compared slot by slot (a long or double fills two). The weaver may declare
 *       fewer locals than ASM, or {@code TOP} where ASM has a value: a dead local dropped by the
 *       liveness analysis. It may never declare a value where ASM finds none, since no path
 *       defines it;</li>
 *   <li>each value the weaver declares is of the same kind as ASM's (int, float, long, double,
 *       reference, uninitialized with the same {@code NEW}), and a reference type the weaver
 *       declares is ASM's type or a supertype of it. An interface type is accepted over any
 *       reference, because ASM merges two classes into their common superclass and never into a
 *       shared interface, while the JVM's type checker treats interfaces as {@code Object}.</li>
 * </ul>
 * Frames are matched by instruction: the recomputed code is the woven code instruction for
 * instruction, up to the first unreachable instruction, which {@code COMPUTE_FRAMES} replaces
 * with {@code nop ... athrow}; from there on nothing is compared. Instructions where only one side
 * has a frame are not compared: an extra frame is harmless, and a missing one is the JVM
 * verifier's to report at load.
 */
final class FrameComparison {
    private FrameComparison() {
    }

    /** The class rewritten by a {@link ClassWriter} in {@code COMPUTE_FRAMES} mode. */
    static byte[] recompute(byte[] classFile, ClassHierarchy hierarchy) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return hierarchy.commonSuperClass(type1, type2);
            }
        };
        new ClassReader(classFile).accept(writer, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    /**
     * Compares every frame of {@code woven} with ASM's at the same offset.
     *
     * @return one line per wrong frame, naming the method and the instruction; empty when they agree
     */
    static List<String> compare(byte[] woven, byte[] recomputed, ClassHierarchy hierarchy) {
        ClassNode ours = read(woven);
        ClassNode asms = read(recomputed);
        Map<String, MethodNode> asmMethods = new HashMap<>();
        for (MethodNode m : asms.methods) {
            asmMethods.put(m.name + m.desc, m);
        }
        List<String> problems = new ArrayList<>();
        for (MethodNode method : ours.methods) {
            MethodNode asm = asmMethods.get(method.name + method.desc);
            if (asm == null || method.instructions.size() == 0) {
                continue;
            }
            int comparable = firstDeadInstruction(ours.name, method);
            List<Integer> ourOpcodes = opcodes(method);
            List<Integer> asmOpcodes = opcodes(asm);
            if (asmOpcodes.size() < comparable || !ourOpcodes.subList(0, comparable).equals(asmOpcodes.subList(0, comparable))) {
                problems.add(ours.name + "." + method.name + method.desc + ": ASM rewrote reachable instructions, "
                        + "so its frames cannot be compared; the method's code is not what the weaver meant");
                continue;
            }
            Map<Integer, FrameNode> asmFrames = framesByInstruction(asm);
            for (Map.Entry<Integer, FrameNode> e : framesByInstruction(method).entrySet()) {
                FrameNode theirs = asmFrames.get(e.getKey());
                if (theirs == null || e.getKey() >= comparable) {
                    continue;
                }
                String problem = compareFrame(e.getValue(), theirs, hierarchy);
                if (problem != null) {
                    problems.add(ours.name + "." + method.name + method.desc + " at instruction " + e.getKey() + ": " + problem
                            + "\n    weaver: " + describe(e.getValue()) + "\n    ASM:    " + describe(theirs));
                }
            }
        }
        return problems;
    }

    private static String compareFrame(FrameNode ours, FrameNode asm, ClassHierarchy hierarchy) {
        List<Object> ourStack = ours.stack == null ? List.of() : ours.stack;
        List<Object> asmStack = asm.stack == null ? List.of() : asm.stack;
        if (ourStack.size() != asmStack.size()) {
            return "the stack holds " + ourStack.size() + " values where the code leaves " + asmStack.size();
        }
        for (int i = 0; i < ourStack.size(); i++) {
            String why = incompatible(ourStack.get(i), asmStack.get(i), hierarchy);
            if (why != null) {
                return "stack value " + i + ": " + why;
            }
        }
        List<Object> ourLocals = trimTop(slots(ours.local));
        List<Object> asmLocals = trimTop(slots(asm.local));
        for (int i = 0; i < ourLocals.size(); i++) {
            Object declared = ourLocals.get(i);
            if (Opcodes.TOP.equals(declared) || declared == SECOND_HALF) {
                continue;
            }
            if (i >= asmLocals.size()) {
                return "local slot " + i + " is declared " + kind(declared) + " but no path here gives it a value";
            }
            String why = incompatible(declared, asmLocals.get(i), hierarchy);
            if (why != null) {
                return "local slot " + i + ": " + why;
            }
        }
        return null;
    }

    /** Why the weaver's declared value {@code ours} does not describe ASM's {@code asm}, or null when it does. */
    private static String incompatible(Object ours, Object asm, ClassHierarchy hierarchy) {
        if (asm == SECOND_HALF) {
            return "declared " + kind(ours) + " in the second slot of a long or double";
        }
        if (ours.equals(asm)) {
            return null;
        }
        if (ours instanceof String oursType) {
            if (Opcodes.NULL.equals(asm)) {
                return null;
            }
            if (!(asm instanceof String asmType)) {
                return "declared " + oursType + " but the value is " + kind(asm);
            }
            String o = oursType;
            String a = asmType;
            while (o.startsWith("[") && a.startsWith("[")) {
                o = o.substring(1);
                a = a.substring(1);
            }
            if (o.startsWith("L") && o.endsWith(";")) {
                o = o.substring(1, o.length() - 1);
            }
            if (hierarchy.isAssignable(oursType, asmType) || (!o.startsWith("[") && o.length() > 1 && hierarchy.isInterface(o))) {
                return null;
            }
            return "declared " + oursType + " but the value is a " + asmType + ", which is not one";
        }
        if (ours instanceof LabelNode ourNew && asm instanceof LabelNode asmNew) {
            int ourIndex = newInstruction(ourNew);
            int asmIndex = newInstruction(asmNew);
            return ourIndex == asmIndex ? null : "an object created by the NEW at instruction " + ourIndex
                    + " but the value was created at instruction " + asmIndex;
        }
        return "declared " + kind(ours) + " but the value is " + kind(asm);
    }

    private static ClassNode read(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, ClassReader.EXPAND_FRAMES);
        return node;
    }

    /**
     * The index, among the real instructions, of the first one no path reaches; the size when
     * every one is reachable. Up to there the woven and the recomputed code are the same
     * instructions one for one.
     */
    private static int firstDeadInstruction(String owner, MethodNode method) {
        Frame<BasicValue>[] frames;
        try {
            frames = new Analyzer<>(new BasicInterpreter()).analyze(owner, method);
        } catch (AnalyzerException e) {
            return 0;
        }
        int real = 0;
        for (int i = 0; i < frames.length; i++) {
            if (method.instructions.get(i).getOpcode() >= 0) {
                if (frames[i] == null) {
                    return real;
                }
                real++;
            }
        }
        return real;
    }

    /** Each frame, keyed by the index among real instructions of the instruction it describes. */
    private static Map<Integer, FrameNode> framesByInstruction(MethodNode method) {
        Map<Integer, FrameNode> frames = new HashMap<>();
        int real = 0;
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof FrameNode frame) {
                frames.put(real, frame);
            } else if (insn.getOpcode() >= 0) {
                real++;
            }
        }
        return frames;
    }

    private static List<Integer> opcodes(MethodNode method) {
        List<Integer> opcodes = new ArrayList<>();
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() >= 0) {
                opcodes.add(insn.getOpcode());
            }
        }
        return opcodes;
    }

    /** The index among real instructions of the NEW a frame's uninitialized value points at. */
    private static int newInstruction(LabelNode label) {
        AbstractInsnNode insn = label;
        while (insn != null && insn.getOpcode() < 0) {
            insn = insn.getNext();
        }
        int index = 0;
        for (AbstractInsnNode before = insn == null ? null : insn.getPrevious(); before != null; before = before.getPrevious()) {
            if (before.getOpcode() >= 0) {
                index++;
            }
        }
        return index;
    }

    /** The second slot of a long or double, which no frame names but which a TOP may occupy. */
    private static final Object SECOND_HALF = new Object();

    /** A frame's locals one entry per slot, as the JVM counts them. */
    private static List<Object> slots(List<Object> values) {
        List<Object> slots = new ArrayList<>();
        if (values != null) {
            for (Object v : values) {
                slots.add(v);
                if (Opcodes.LONG.equals(v) || Opcodes.DOUBLE.equals(v)) {
                    slots.add(SECOND_HALF);
                }
            }
        }
        return slots;
    }

    private static List<Object> trimTop(List<Object> values) {
        List<Object> list = values == null ? new ArrayList<>() : new ArrayList<>(values);
        while (!list.isEmpty() && Opcodes.TOP.equals(list.get(list.size() - 1))) {
            list.remove(list.size() - 1);
        }
        return list;
    }

    private static String kind(Object value) {
        if (value instanceof String s) {
            return "a reference " + s;
        }
        if (value instanceof LabelNode l) {
            return "an object created by the NEW at instruction " + newInstruction(l);
        }
        return switch ((Integer) value) {
            case 0 -> "top (no value)";
            case 1 -> "an int";
            case 2 -> "a float";
            case 3 -> "a double";
            case 4 -> "a long";
            case 5 -> "null";
            case 6 -> "the uninitialized this";
            default -> "kind " + value;
        };
    }

    private static String describe(FrameNode frame) {
        return "locals " + render(frame.local) + " stack " + render(frame.stack);
    }

    private static String render(List<Object> values) {
        List<String> parts = new ArrayList<>();
        if (values != null) {
            for (Object v : values) {
                parts.add(v instanceof String s ? s : v instanceof LabelNode l ? "uninitialized@" + newInstruction(l)
                        : switch ((Integer) v) {
                            case 0 -> "T";
                            case 1 -> "I";
                            case 2 -> "F";
                            case 3 -> "D";
                            case 4 -> "J";
                            case 5 -> "null";
                            case 6 -> "uninit-this";
                            default -> "?";
                        });
            }
        }
        return parts.toString();
    }
}
