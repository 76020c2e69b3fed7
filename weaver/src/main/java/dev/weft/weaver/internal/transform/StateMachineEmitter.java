package dev.weft.weaver.internal.transform;

import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.internal.transform.SpillPlanner.Field;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Writes the state machine class of one {@code @Async} method: a final subclass of
 * {@code Coroutine} in the host's package with the label, one typed package-private field per
 * planned value, and a {@code resume} that hands itself to the host's resume body. It has no
 * NestHost or InnerClasses attribute: package access is all it needs. Its static initializer hands
 * the protocol version it was woven for to {@code Woven.checkProtocol}, so a runtime of another
 * protocol refuses it the first time the method runs, naming the class and both versions.
 *
 * <p>For task stacks it answers where it waits: {@code describe()} names the host and the method,
 * {@code awaitLine()} reads the line of its current label from the {@link AwaitLines} table, a
 * string constant, and {@code sourceFile()} names the host's file, generated only when the
 * runtime's guess from the class name ({@code Outer.java} for {@code Outer$Inner}) would be wrong.
 */
final class StateMachineEmitter {
    private StateMachineEmitter() {
    }

    /**
     * The class file of the state machine.
     *
     * @param version     the host's class file version
     * @param sourceFile  the host's SourceFile, or null
     * @param host        internal name of the host
     * @param isInterface whether the host is an interface
     * @param machine     internal name of the state machine
     * @param methodName  the {@code @Async} method's name
     * @param lines       the line table, {@link AwaitLines#table}
     */
    static byte[] emit(int version, String sourceFile, String host, boolean isInterface, String machine,
                       String methodName, Iterable<Field> fields, String lines) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(version, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, machine, null,
                WeaveSupport.COROUTINE, null);
        if (sourceFile != null) {
            writer.visitSource(sourceFile, null);
        }
        writer.visitField(0, WeaveSupport.LABEL_FIELD, "I", null, null).visitEnd();
        for (Field field : fields) {
            writer.visitField(0, field.name(), field.desc(), null, null).visitEnd();
        }

        MethodVisitor clinit = writer.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        clinit.visitCode();
        clinit.visitIntInsn(Opcodes.SIPUSH, WeaveSupport.PROTOCOL);
        clinit.visitLdcInsn(host.replace('/', '.') + "." + methodName);
        clinit.visitMethodInsn(Opcodes.INVOKESTATIC, WeaveSupport.WOVEN, WeaveSupport.WOVEN_CHECK_PROTOCOL,
                WeaveSupport.WOVEN_CHECK_PROTOCOL_DESC, false);
        clinit.visitInsn(Opcodes.RETURN);
        clinit.visitMaxs(2, 0);
        clinit.visitEnd();

        MethodVisitor init = writer.visitMethod(0, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, WeaveSupport.COROUTINE, "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(1, 1);
        init.visitEnd();

        MethodVisitor resume = writer.visitMethod(Opcodes.ACC_PROTECTED, "resume",
                "(Ljava/lang/Object;Ljava/lang/Throwable;)Ljava/lang/Object;", null, new String[] {"java/lang/Throwable"});
        resume.visitCode();
        resume.visitVarInsn(Opcodes.ALOAD, 0);
        resume.visitVarInsn(Opcodes.ALOAD, 1);
        resume.visitVarInsn(Opcodes.ALOAD, 2);
        resume.visitMethodInsn(Opcodes.INVOKESTATIC, host, methodName, ResumeBodyEmitter.descriptor(machine), isInterface);
        resume.visitInsn(Opcodes.ARETURN);
        resume.visitMaxs(3, 3);
        resume.visitEnd();

        MethodVisitor describe = writer.visitMethod(Opcodes.ACC_PROTECTED, "describe", "()Ljava/lang/String;", null, null);
        describe.visitCode();
        describe.visitLdcInsn(host.substring(host.lastIndexOf('/') + 1) + "." + methodName);
        describe.visitInsn(Opcodes.ARETURN);
        describe.visitMaxs(1, 1);
        describe.visitEnd();

        MethodVisitor awaitLine = writer.visitMethod(Opcodes.ACC_PROTECTED, WeaveSupport.AWAIT_LINE,
                WeaveSupport.AWAIT_LINE_DESC, null, null);
        awaitLine.visitCode();
        awaitLine.visitLdcInsn(lines);
        awaitLine.visitVarInsn(Opcodes.ALOAD, 0);
        awaitLine.visitFieldInsn(Opcodes.GETFIELD, machine, WeaveSupport.LABEL_FIELD, "I");
        awaitLine.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "charAt", "(I)C", false);
        awaitLine.visitInsn(Opcodes.IRETURN);
        awaitLine.visitMaxs(2, 1);
        awaitLine.visitEnd();

        if (!guessedSourceFile(host).equals(sourceFile)) {
            MethodVisitor file = writer.visitMethod(Opcodes.ACC_PROTECTED, WeaveSupport.SOURCE_FILE,
                    WeaveSupport.SOURCE_FILE_DESC, null, null);
            file.visitCode();
            if (sourceFile == null) {
                file.visitInsn(Opcodes.ACONST_NULL);
            } else {
                file.visitLdcInsn(sourceFile);
            }
            file.visitInsn(Opcodes.ARETURN);
            file.visitMaxs(1, 1);
            file.visitEnd();
        }

        writer.visitEnd();
        return writer.toByteArray();
    }

    /** The file the runtime's {@code Coroutine.sourceFile()} names when a machine does not say: the top-level class's. */
    static String guessedSourceFile(String host) {
        String simple = host.substring(host.lastIndexOf('/') + 1);
        int dollar = simple.indexOf('$');
        return (dollar > 0 ? simple.substring(0, dollar) : simple) + ".java";
    }
}
