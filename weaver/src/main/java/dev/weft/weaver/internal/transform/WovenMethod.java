package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.transform.SpillPlanner.Field;
import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.List;
import org.objectweb.asm.tree.MethodNode;

/**
 * One woven method, as the host and state machine writers need it.
 *
 * @param machine    internal name of the state machine class
 * @param parameters the receiver and parameters with their slots and fields
 * @param fields     every field of the state machine but the label
 * @param resumeBody the resume body, ready to be written into the host
 * @param firstLine  the method's first source line, or 0 when it has none
 * @param lines      the state machine's line table ({@link AwaitLines})
 */
record WovenMethod(String machine, List<Value> parameters, List<Field> fields, MethodNode resumeBody, int firstLine,
                   String lines) {
}
