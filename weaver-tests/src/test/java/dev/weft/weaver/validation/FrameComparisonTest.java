package dev.weft.weaver.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.ClassHierarchy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

class FrameComparisonTest {
    private static final ClassHierarchy JDK = ClassHierarchy.of(List.of());

    /**
     * {@code static Object m(int b) { Object x = b != 0 ? "s" : new StringBuilder(); return x; }}
     * with the frame at the join declaring local 1 and the stack as given.
     */
    private static byte[] joinDeclaring(Object local1, Object[] stack) {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "demo/Join", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "m", "(I)Ljava/lang/Object;", null, null);
        mv.visitCode();
        Label other = new Label();
        Label join = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitJumpInsn(Opcodes.IFEQ, other);
        mv.visitLdcInsn("s");
        mv.visitVarInsn(Opcodes.ASTORE, 1);
        mv.visitJumpInsn(Opcodes.GOTO, join);
        mv.visitLabel(other);
        mv.visitFrame(Opcodes.F_NEW, 1, new Object[] {Opcodes.INTEGER}, 0, new Object[0]);
        mv.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "()V", false);
        mv.visitVarInsn(Opcodes.ASTORE, 1);
        mv.visitLabel(join);
        mv.visitFrame(Opcodes.F_NEW, 2, new Object[] {Opcodes.INTEGER, local1}, stack.length, stack);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(2, 2);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static List<String> compare(byte[] classFile) {
        return FrameComparison.compare(classFile, FrameComparison.recompute(classFile, JDK), JDK);
    }

    @Test
    void aFrameThatNamesTheMergedSuperclassOrAnInterfaceAgrees() {
        assertEquals(List.of(), compare(joinDeclaring("java/lang/Object", new Object[0])));
        assertEquals(List.of(), compare(joinDeclaring("java/lang/CharSequence", new Object[0])));
    }

    @Test
    void aFrameThatDropsADeadLocalAgrees() {
        assertEquals(List.of(), compare(joinDeclaring(Opcodes.TOP, new Object[0])));
    }

    @Test
    void aFrameThatClaimsOneBranchsTypeForTheMergedValueIsReported() {
        List<String> problems = compare(joinDeclaring("java/lang/String", new Object[0]));
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("local slot 1") && problems.get(0).contains("java/lang/String"), problems::toString);
    }

    @Test
    void aFrameThatDeclaresAnIntForAReferenceIsReported() {
        List<String> problems = compare(joinDeclaring(Opcodes.INTEGER, new Object[0]));
        assertEquals(1, problems.size(), problems::toString);
    }

    @Test
    void aFrameWithAnExtraStackValueIsReported() {
        List<String> problems = compare(joinDeclaring("java/lang/Object", new Object[] {Opcodes.INTEGER}));
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("the stack holds 1 values where the code leaves 0"), problems::toString);
    }
}
