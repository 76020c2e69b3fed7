package dev.weft.weaver.testing;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Class files no Java compiler writes but the JVM accepts, written with ASM, for the shapes the weave
 * must refuse as the user's to fix rather than fail on.
 */
public final class HandWrittenClasses {
    /** The line {@link #uninitializedObjectInALocal()} gives its code. */
    public static final int LINE = 7;

    private HandWrittenClasses() {
    }

    /**
     * {@code demo.Odd} from {@code Odd.java}, whose {@code @Async static Coroutine m(Future f)}
     * stores the object of a {@code new StringBuilder} in a local before its constructor runs, with
     * {@code await(f)} in the constructor's argument, all at line {@link #LINE}.
     *
     * @return the class file
     */
    public static byte[] uninitializedObjectInALocal() {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "demo/Odd", null, "java/lang/Object", null);
        writer.visitSource("Odd.java", null);
        MethodVisitor m = writer.visitMethod(Opcodes.ACC_STATIC, "m",
                "(Ldev/weft/runtime/Future;)Ldev/weft/runtime/Coroutine;", null, null);
        m.visitAnnotation("Ldev/weft/Async;", false).visitEnd();
        m.visitCode();
        Label start = new Label();
        m.visitLabel(start);
        m.visitLineNumber(LINE, start);
        m.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
        m.visitInsn(Opcodes.DUP);
        m.visitVarInsn(Opcodes.ASTORE, 1);
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/weft/runtime/Aio", "await",
                "(Ldev/weft/runtime/Awaitable;)Ljava/lang/Object;", false);
        m.visitTypeInsn(Opcodes.CHECKCAST, "java/lang/String");
        m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "(Ljava/lang/String;)V", false);
        m.visitInsn(Opcodes.ACONST_NULL);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/weft/runtime/Aio", "result",
                "(Ljava/lang/Object;)Ldev/weft/runtime/Coroutine;", false);
        m.visitInsn(Opcodes.ARETURN);
        m.visitMaxs(3, 2);
        m.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }
}
