package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.runtime.internal.Woven;
import dev.weft.weaver.internal.WeaveSupport;
import dev.weft.weaver.testing.ByteArrayClassLoader;
import dev.weft.weaver.testing.TestCompiler;
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;

/** The woven marker's versions, and the protocol check every state machine makes when it first runs. */
class WovenMarkerTest {
    private static Map<String, byte[]> wovenFetch() {
        Map<String, byte[]> classes = TestCompiler.javac17().compile("demo/Fetch.java", WeaverTest.FETCH);
        WeaveResult result = new Weaver(ClassHierarchy.ofBytes(classes, WeaverTest.CLASSPATH)).weave(classes.get("demo/Fetch"));
        assertTrue(result.changed(), result::toString);
        return new HashMap<>(result.classes());
    }

    private static AnnotationNode marker(byte[] host) {
        ClassNode node = new ClassNode();
        new ClassReader(host).accept(node, 0);
        return node.invisibleAnnotations.stream().filter(a -> a.desc.equals(WeaveSupport.WOVEN_MARKER_DESC))
                .findFirst().orElseThrow();
    }

    /** The class file with its marker's elements replaced; the marker of older weavers when {@code weaver} is null. */
    private static byte[] remark(byte[] host, String weaver, int protocol) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(host).accept(new ClassVisitor(WeaveSupport.ASM_API, writer) {
            @Override
            public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                if (!descriptor.equals(WeaveSupport.WOVEN_MARKER_DESC)) {
                    return super.visitAnnotation(descriptor, visible);
                }
                AnnotationVisitor marker = super.visitAnnotation(weaver == null ? WeaveSupport.LEGACY_MARKER_DESC
                        : descriptor, visible);
                if (weaver != null) {
                    marker.visit(WeaveSupport.MARKER_PROTOCOL, protocol);
                    marker.visit(WeaveSupport.MARKER_WEAVER, weaver);
                }
                marker.visitEnd();
                return null;
            }
        }, 0);
        return writer.toByteArray();
    }

    @Test
    void theMarkerRecordsTheProtocolAndTheWeaversVersion() {
        AnnotationNode marker = marker(wovenFetch().get("demo/Fetch"));
        assertEquals(List.of(WeaveSupport.MARKER_PROTOCOL, WeaveSupport.PROTOCOL,
                WeaveSupport.MARKER_WEAVER, WeaveSupport.weaverVersion()), marker.values);
        assertEquals(Woven.PROTOCOL, WeaveSupport.PROTOCOL, "the weaver writes the protocol this runtime speaks");
        assertFalse(WeaveSupport.weaverVersion().equals("development"), "the build stamps the weaver's version");
    }

    @Test
    void weavingAClassMarkedByThisWeaverAgainChangesNothing() {
        byte[] host = wovenFetch().get("demo/Fetch");
        WeaveResult again = new Weaver(WeaverTest.CLASSPATH).weave(host);
        assertFalse(again.changed());
        assertEquals(List.of(), again.diagnostics());
    }

    @Test
    void aClassWovenByAnotherWeaverVersionIsAnErrorNamingBothVersionsAndTheFix() {
        byte[] host = remark(wovenFetch().get("demo/Fetch"), "0.0.9", WeaveSupport.PROTOCOL);
        WeaveResult result = new Weaver(WeaverTest.CLASSPATH).weave(host);
        assertFalse(result.changed());
        assertEquals(1, result.diagnostics().size(), result.diagnostics()::toString);
        Diagnostic error = result.diagnostics().get(0);
        assertTrue(error.isError());
        assertEquals("Fetch.java: error: demo.Fetch: this class file was woven by weaver 0.0.9 (protocol "
                + WeaveSupport.PROTOCOL + "), and this is weaver " + WeaveSupport.weaverVersion() + " (protocol "
                + WeaveSupport.PROTOCOL + "); its original bytes are gone, so it cannot be woven again: rebuild it "
                + "from source (mvn clean, then build)", error.format());
    }

    @Test
    void aClassWovenForAnotherProtocolIsAnErrorToo() {
        byte[] host = remark(wovenFetch().get("demo/Fetch"), WeaveSupport.weaverVersion(), WeaveSupport.PROTOCOL + 1);
        Diagnostic error = new Weaver(WeaverTest.CLASSPATH).weave(host).diagnostics().get(0);
        assertTrue(error.isError());
        assertTrue(error.message().contains("(protocol " + (WeaveSupport.PROTOCOL + 1) + ")"), error.message());
    }

    @Test
    void theMarkerOfWeaversBeforeVersionsIsNamedAsAnOlderWeavers() {
        byte[] host = remark(wovenFetch().get("demo/Fetch"), null, 0);
        Diagnostic error = new Weaver(WeaverTest.CLASSPATH).weave(host).diagnostics().get(0);
        assertTrue(error.message().startsWith("this class file was woven by a weaver older than 0.1.0"), error.message());
    }

    @Test
    void aStateMachineWovenForAnotherProtocolIsRefusedWhenItsMethodFirstRuns() throws Exception {
        Map<String, byte[]> classes = wovenFetch();
        String machine = classes.keySet().stream().filter(n -> !n.equals("demo/Fetch")).findFirst().orElseThrow();
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(classes.get(machine)).accept(new ClassVisitor(WeaveSupport.ASM_API, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!name.equals("<clinit>")) {
                    return mv;
                }
                return new MethodVisitor(WeaveSupport.ASM_API, mv) {
                    @Override
                    public void visitIntInsn(int opcode, int operand) {
                        assertEquals(Opcodes.SIPUSH, opcode);
                        assertEquals(WeaveSupport.PROTOCOL, operand);
                        super.visitIntInsn(opcode, 99);
                    }
                };
            }
        }, 0);
        classes.put(machine, writer.toByteArray());
        Class<?> fetch = new ByteArrayClassLoader("weft-test", classes, WovenMarkerTest.class.getClassLoader()).loadClass("demo.Fetch");
        var entry = fetch.getDeclaredMethod("fetch", int.class);
        entry.setAccessible(true);
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> entry.invoke(null, 1));
        IncompatibleClassChangeError refused = assertInstanceOf(IncompatibleClassChangeError.class, e.getCause());
        assertEquals("demo.Fetch.fetch was woven for Weft protocol 99, but this weft-runtime speaks protocol "
                + Woven.PROTOCOL + ": rebuild it with the weft-maven-plugin (or weft-cli) of the same Weft version as "
                + "weft-runtime", refused.getMessage());
    }

    @Test
    void aStateMachineOfThisProtocolRuns() throws Exception {
        Class<?> fetch = new ByteArrayClassLoader("weft-test", wovenFetch(), WovenMarkerTest.class.getClassLoader()).loadClass("demo.Fetch");
        var entry = fetch.getDeclaredMethod("fetch", int.class);
        entry.setAccessible(true);
        Object coroutine = entry.invoke(null, 7);
        assertEquals("Data 7", dev.weft.runtime.Aio.run((dev.weft.runtime.Coroutine<?>) coroutine,
                dev.weft.runtime.Clock.virtual()));
    }
}
