package dev.weft.weaver.internal.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.weaver.internal.transform.SpillPlanner.Field;
import dev.weft.weaver.internal.transform.SpillPlanner.Value;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;

class FrameEmitterTest {
    private static final String MACHINE = "demo/Fetch$weft$run$0";

    @Test
    void theLocalsOfABlockStandInTheirShiftedSlotsWithTopBetweenAndNoneAtTheEnd() {
        Value count = new Value(0, Opcodes.INTEGER, new Field("i0", "I"));
        Value total = new Value(1, Opcodes.LONG, new Field("j1", "J"));
        Value name = new Value(4, "java/lang/String", new Field("l4", "Ljava/lang/String;"));

        List<Object> locals = FrameEmitter.locals(FrameEmitter.prefix(MACHINE, 3), List.of(name, count, total), 3);

        assertEquals(List.of(MACHINE, "java/lang/Object", "java/lang/Throwable",
                Opcodes.INTEGER, Opcodes.LONG, Opcodes.TOP, "java/lang/String"), locals,
                "a long is one entry over two slots; slot 6 holds nothing");
    }

    @Test
    void aLocalSharingAParameterSlotStandsOverTheParameter() {
        Value count = new Value(0, Opcodes.INTEGER, new Field("i0", "I"));

        List<Object> locals = FrameEmitter.locals(FrameEmitter.prefix(MACHINE), List.of(count), 2);

        assertEquals(List.of(MACHINE, "java/lang/Object", Opcodes.INTEGER), locals);
    }

    @Test
    void withNoLocalsTheFrameHoldsTheParametersBelowTheUsersLocals() {
        assertEquals(List.of(MACHINE), FrameEmitter.locals(FrameEmitter.prefix(MACHINE, 1), List.of(), 1));
    }
}
