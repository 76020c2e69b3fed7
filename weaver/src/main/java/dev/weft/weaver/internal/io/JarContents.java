package dev.weft.weaver.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The entries of a jar in their original order, read into memory, and written back with the same
 * names, times, comments, extra fields and compression methods.
 */
public final class JarContents {
    private static final String VERSIONS = "META-INF/versions/";

    /**
     * One entry.
     *
     * @param name     its path in the jar
     * @param bytes    its content
     * @param template the original entry whose metadata is copied, or null for a new entry
     */
    public record Entry(String name, byte[] bytes, ZipEntry template) {

        /** @return whether the entry is a class file (module and package descriptors included) */
        public boolean isClass() {
            return name.endsWith(".class") && !name.endsWith("/");
        }

        /**
         * @return the class's internal name: the path without {@code .class} and without a
         *         multi-release {@code META-INF/versions/N/} prefix
         */
        public String internalName() {
            String path = name.substring(0, name.length() - ".class".length());
            if (path.startsWith(VERSIONS)) {
                int slash = path.indexOf('/', VERSIONS.length());
                return slash < 0 ? path : path.substring(slash + 1);
            }
            return path;
        }

        /** @return the multi-release prefix ({@code META-INF/versions/11/}) or the empty string */
        public String versionPrefix() {
            if (name.startsWith(VERSIONS)) {
                int slash = name.indexOf('/', VERSIONS.length());
                return slash < 0 ? "" : name.substring(0, slash + 1);
            }
            return "";
        }

        /** @return whether this entry is a signature file, so that changing a class breaks the jar */
        public boolean isSignature() {
            String upper = name.toUpperCase(Locale.ROOT);
            return upper.startsWith("META-INF/") && upper.indexOf('/', "META-INF/".length()) < 0
                    && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA")
                    || upper.endsWith(".EC"));
        }
    }

    private JarContents() {
    }

    /**
     * Reads every entry of a jar.
     *
     * @param jar the jar
     * @return the entries, in central directory order
     * @throws IOException when the jar cannot be read
     */
    public static List<Entry> read(Path jar) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry entry = all.nextElement();
                try (InputStream in = zip.getInputStream(entry)) {
                    entries.add(new Entry(entry.getName(), in.readAllBytes(), entry));
                }
            }
        }
        return entries;
    }

    /**
     * Writes entries as a jar.
     *
     * @param entries the entries, in order
     * @param out     where the jar goes
     * @throws IOException when writing fails
     */
    public static void write(List<Entry> entries, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Entry entry : entries) {
                zip.putNextEntry(header(entry));
                zip.write(entry.bytes());
                zip.closeEntry();
            }
        }
    }

    private static ZipEntry header(Entry entry) {
        ZipEntry header = new ZipEntry(entry.name());
        ZipEntry template = entry.template();
        int method = template != null && template.getMethod() == ZipEntry.STORED ? ZipEntry.STORED : ZipEntry.DEFLATED;
        header.setMethod(method);
        if (method == ZipEntry.STORED) {
            CRC32 crc = new CRC32();
            crc.update(entry.bytes());
            header.setSize(entry.bytes().length);
            header.setCompressedSize(entry.bytes().length);
            header.setCrc(crc.getValue());
        }
        if (template != null) {
            if (template.getTime() != -1) {
                header.setTime(template.getTime());
            }
            if (template.getComment() != null) {
                header.setComment(template.getComment());
            }
            if (template.getExtra() != null) {
                header.setExtra(template.getExtra());
            }
        }
        return header;
    }
}
