package dev.weft.maven;

import dev.weft.weaver.internal.io.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The staleness record of one goal: for every class file seen by the last successful weave, its
 * size and modification time as the weave left it. A class file that still has both was either
 * woven already or had nothing to weave, so the next build does not read it again.
 *
 * <p>The record is a properties file under {@code target/weft/} so that {@code mvn clean} forgets
 * it together with the classes it describes. It names the weaver version that wrote it: a new
 * weaver reads every class again.
 */
final class WeaveState {
    /** Not a class file path, so it cannot collide with one. */
    private static final String VERSION_KEY = "weaver.version";

    private final String weaverVersion;
    private final Map<String, String> stamps;

    private WeaveState(String weaverVersion, Map<String, String> stamps) {
        this.weaverVersion = weaverVersion;
        this.stamps = stamps;
    }

    /**
     * An empty record, as for a first build.
     *
     * @param weaverVersion the version of the weaver that will write it
     * @return the record
     */
    static WeaveState empty(String weaverVersion) {
        return new WeaveState(weaverVersion, new TreeMap<>());
    }

    /**
     * Reads the record of the last build. A missing file, or one written by another weaver version,
     * gives an empty record.
     *
     * @param file          the record
     * @param weaverVersion the version of the running weaver
     * @return the record
     * @throws IOException when the file exists but cannot be read
     */
    static WeaveState load(Path file, String weaverVersion) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return empty(weaverVersion);
        }
        if (!weaverVersion.equals(properties.getProperty(VERSION_KEY))) {
            return empty(weaverVersion);
        }
        Map<String, String> stamps = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.equals(VERSION_KEY)) {
                stamps.put(key, properties.getProperty(key));
            }
        }
        return new WeaveState(weaverVersion, stamps);
    }

    /**
     * The stamp of a file as it is now: its size and modification time.
     *
     * @param file a class file
     * @return {@code size:mtime-in-nanoseconds}
     * @throws IOException when the file cannot be read
     */
    static String stampOf(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return attributes.size() + ":" + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }

    /**
     * Whether a file is as the last weave left it.
     *
     * @param relativePath the file's path below the classes directory, with {@code /}
     * @param stamp        its current stamp from {@link #stampOf(Path)}
     * @return true when the record holds the same stamp
     */
    boolean isUnchanged(String relativePath, String stamp) {
        return stamp.equals(stamps.get(relativePath));
    }

    /**
     * Records a file as the weave left it.
     *
     * @param relativePath the file's path below the classes directory, with {@code /}
     * @param stamp        its stamp after the weave
     */
    void record(String relativePath, String stamp) {
        stamps.put(relativePath, stamp);
    }

    /**
     * How many files the record holds.
     *
     * @return the count
     */
    int size() {
        return stamps.size();
    }

    /**
     * Writes the record through a temporary file, so that a build killed halfway leaves the old
     * record or the new one, never half of one.
     *
     * @param file where to write
     * @throws IOException when the file cannot be written
     */
    void save(Path file) throws IOException {
        AtomicFiles.replace(file, out -> {
            Writer writer = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
            writer.write("# Weft: class files as the last weave left them (path=size:mtime)\n");
            writer.write(escape(VERSION_KEY) + "=" + escape(weaverVersion) + "\n");
            for (Map.Entry<String, String> stamp : stamps.entrySet()) {
                writer.write(escape(stamp.getKey()) + "=" + stamp.getValue() + "\n");
            }
            writer.flush();
        });
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '\\' || c == '=' || c == ':' || c == '#' || c == '!' || c == ' ') {
                escaped.append('\\');
            }
            if (c > 0x7e) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
