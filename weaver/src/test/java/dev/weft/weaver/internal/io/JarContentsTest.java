package dev.weft.weaver.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarContentsTest {
    private static final long TIME = 1_600_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void entriesAreReadBackInOrderWithTheirMethodTimeAndComment() throws IOException {
        Path jar = dir.resolve("in.jar");
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            ZipEntry stored = new ZipEntry("b/data.bin");
            byte[] data = {1, 2, 3};
            CRC32 crc = new CRC32();
            crc.update(data);
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(3);
            stored.setCrc(crc.getValue());
            stored.setTime(TIME);
            zip.putNextEntry(stored);
            zip.write(data);
            ZipEntry deflated = new ZipEntry("a/A.class");
            deflated.setComment("host");
            deflated.setTime(TIME);
            zip.putNextEntry(deflated);
            zip.write(new byte[] {4, 5});
        }
        Path out = dir.resolve("out.jar");

        List<JarContents.Entry> entries = JarContents.read(jar);
        try (OutputStream file = Files.newOutputStream(out)) {
            JarContents.write(entries, file);
        }

        List<JarContents.Entry> again = JarContents.read(out);
        assertEquals(List.of("b/data.bin", "a/A.class"), again.stream().map(JarContents.Entry::name).toList());
        assertArrayEquals(new byte[] {1, 2, 3}, again.get(0).bytes());
        assertEquals(ZipEntry.STORED, again.get(0).template().getMethod());
        assertEquals(ZipEntry.DEFLATED, again.get(1).template().getMethod());
        assertEquals(TIME, again.get(1).template().getTime());
        assertEquals("host", again.get(1).template().getComment());
    }

    @Test
    void aMultiReleaseClassKeepsItsPrefixApartFromItsInternalName() {
        JarContents.Entry versioned = new JarContents.Entry("META-INF/versions/11/com/x/A.class", new byte[0], null);
        assertTrue(versioned.isClass());
        assertEquals("com/x/A", versioned.internalName());
        assertEquals("META-INF/versions/11/", versioned.versionPrefix());
        JarContents.Entry plain = new JarContents.Entry("com/x/A.class", new byte[0], null);
        assertEquals("com/x/A", plain.internalName());
        assertEquals("", plain.versionPrefix());
    }

    @Test
    void signatureFilesAreRecognizedOnlyDirectlyUnderMetaInf() {
        assertTrue(new JarContents.Entry("META-INF/SIGNER.SF", new byte[0], null).isSignature());
        assertTrue(new JarContents.Entry("META-INF/signer.rsa", new byte[0], null).isSignature());
        assertFalse(new JarContents.Entry("META-INF/MANIFEST.MF", new byte[0], null).isSignature());
        assertFalse(new JarContents.Entry("META-INF/maven/x.SF", new byte[0], null).isSignature());
    }
}
