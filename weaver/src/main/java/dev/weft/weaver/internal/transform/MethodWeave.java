package dev.weft.weaver.internal.transform;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.internal.AsyncMethods;
import dev.weft.weaver.internal.transform.AwaitSiteFinder.Site;
import dev.weft.weaver.internal.transform.SpillPlanner.Plan;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Runs the stages over one {@code @Async} method, in order: await returned awaitables where their
 * return statements compute them, turn the closes of {@code AsyncCloseable}s into awaits, find the
 * suspension points and their lines, lift uninitialized {@code new}s, read the types, compute
 * liveness, plan the fields, drop the saves and clears a suspension does not need, emit the resume
 * body, and narrow its LocalVariableTable to where each local holds its value.
 */
final class MethodWeave {
    private MethodWeave() {
    }

    /**
     * Weaves one method. {@code method} becomes the resume body; the result also holds what the
     * entry method and the state machine need.
     *
     * @param warnings receives what the user should know about the woven method
     * @throws UnweavableShapeException when the method holds code the weave cannot rewrite
     */
    static WovenMethod weave(String owner, boolean isInterface, String machine, MethodNode method,
                             ClassHierarchy hierarchy, List<ReturnHoister.Warning> warnings) {
        int firstLine = AsyncMethods.firstLine(method);
        GeneratorRewriter.rewrite(method);
        Set<AbstractInsnNode> plainReturns = ReturnHoister.hoist(owner, method, warnings);
        AsyncCloseRewriter.rewrite(owner, method, hierarchy);
        List<Site> sites = AwaitSiteFinder.find(method, plainReturns);
        String lines = AwaitLines.table(firstLine, sites);
        List<AbstractInsnNode> points = sites.stream().map(Site::insn).toList();
        Set<AbstractInsnNode> pointSet = new HashSet<>(points);
        int scratch = UninitializedNewLifter.lift(owner, method, pointSet);
        LivenessAnalyzer.trimFrames(method);
        // The types before each reference store too: FieldTracker may write a stored local to its field.
        Map<AbstractInsnNode, FrameReader.State> states = FrameReader.read(owner, method,
                insn -> pointSet.contains(insn) || insn.getOpcode() == Opcodes.ASTORE);
        Map<AbstractInsnNode, BitSet> live = LivenessAnalyzer.liveAfter(method, points);
        Plan planned = SpillPlanner.plan(owner, method, states, live, points, scratch);
        int shift = SlotShifter.shiftFor(ResumeBodyEmitter.failureCheckedFirst(method, sites),
                ResumeBodyEmitter.firstSlotRestored(planned));
        Plan plan = FieldTracker.track(method, planned, states, LivenessAnalyzer.liveAtStart(method), shift);
        List<LocalVariableScopes.Run> scopes = LocalVariableScopes.narrow(method, plan.parameters(), plan.points());
        LocalVariableScopes.apply(method, scopes, ResumeBodyEmitter.emit(machine, isInterface, method, sites, plan, shift));
        return new WovenMethod(machine, plan.parameters(), plan.fields(), method, firstLine, lines);
    }
}
