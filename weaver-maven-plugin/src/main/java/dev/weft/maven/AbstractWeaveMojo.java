package dev.weft.maven;

import dev.weft.weaver.ClassHierarchy;
import dev.weft.weaver.Diagnostic;
import dev.weft.weaver.WeaveException;
import dev.weft.weaver.WeaveReport;
import dev.weft.weaver.Weaver;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What the {@code weave} and {@code weave-test} goals share: the parameters, the incremental
 * selection of class files, the report of the weaver's findings and the summary line.
 *
 * <p>A run reads only the class files that changed since the last successful weave (see
 * {@code target/weft/}), weaves them in place, lists every error and warning as
 * {@code File.java:line: ...}, and prints one line: {@code woven 12 methods in 5 classes, 3
 * unchanged skipped}. When the weaver finds an error the class files are left exactly as they were
 * and the build fails.
 */
public abstract class AbstractWeaveMojo extends AbstractMojo {

    /** Skips the goal: the classes stay as the compiler wrote them. */
    @Parameter(property = "weft.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * Ant-style patterns of the class files to weave, relative to the classes directory
     * ({@code com/example/**}, {@code **}{@code /*Service.class}). Default: every class file.
     */
    @Parameter(property = "weft.includes")
    protected List<String> includes;

    /** Ant-style patterns of class files never to weave, relative to the classes directory. */
    @Parameter(property = "weft.excludes")
    protected List<String> excludes;

    /** Fails the build on a warning (a forgotten await, a blocking call in an {@code @Async} method) too. */
    @Parameter(property = "weft.failOnWarning", defaultValue = "false")
    protected boolean failOnWarning;

    /** Lists each woven class at info level instead of debug. */
    @Parameter(property = "weft.verbose", defaultValue = "false")
    protected boolean verbose;

    /** Where the record of the last weave is kept; {@code mvn clean} removes it with the classes. */
    @Parameter(property = "weft.stateDirectory", defaultValue = "${project.build.directory}/weft")
    protected File stateDirectory;

    /** The project being built. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /** This plugin, for its version. */
    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    protected PluginDescriptor plugin;

    /** Creates the goal; Maven injects the parameters. */
    protected AbstractWeaveMojo() {
    }

    /**
     * The directory whose class files this goal weaves.
     *
     * @return the directory
     */
    protected abstract File classesDirectory();

    /**
     * The classpath the weaver reads type information from, as Maven resolved it.
     *
     * @return directories and jars
     * @throws DependencyResolutionRequiredException when Maven has not resolved the dependencies
     */
    protected abstract List<String> classpathElements() throws DependencyResolutionRequiredException;

    /**
     * The file name of this goal's staleness record inside {@link #stateDirectory}.
     *
     * @return e.g. {@code weave-state.properties}
     */
    protected abstract String stateFileName();

    /**
     * Weaves the selected class files of {@link #classesDirectory()} in place.
     *
     * @throws MojoFailureException   when the weaver reports an error in the user's code (or a
     *                                warning, with {@code failOnWarning}); nothing is written
     * @throws MojoExecutionException when a file cannot be read or written, or the weaver fails
     *                                internally
     */
    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Weft weave skipped (weft.skip)");
            return;
        }
        Path classes = classesDirectory().toPath();
        if (!Files.isDirectory(classes)) {
            getLog().info("No classes to weave: " + classes + " does not exist");
            return;
        }
        try {
            weave(classes);
        } catch (IOException | UncheckedIOException e) {
            throw new MojoExecutionException("Weft could not read or write the classes in " + classes + ": " + e.getMessage(), e);
        } catch (WeaveException e) {
            throw new MojoExecutionException("The Weft weaver failed: " + e.getMessage()
                    + ". This is an internal fault or an unreadable class file, not a mistake in your code;"
                    + " the class files were left as they were", e);
        }
    }

    private void weave(Path classes) throws IOException, MojoExecutionException, MojoFailureException {
        AntPatterns patterns = AntPatterns.of(includes, excludes);
        String version = weaverVersion();
        Path stateFile = stateDirectory.toPath().resolve(stateFileName());
        WeaveState state = WeaveState.load(stateFile, version);
        ClassSelection selection = ClassSelection.scan(classes, patterns, state);
        getLog().debug("Weft: " + selection.toWeave().size() + " class files to read in " + classes + ", "
                + selection.unchanged() + " unchanged since the last weave, " + selection.excluded() + " excluded");
        if (selection.toWeave().isEmpty()) {
            getLog().info(Summary.line(0, 0, selection.unchanged()));
            return;
        }
        try (ClassHierarchy hierarchy = ClassHierarchy.of(classpath(classes))) {
            weave(weaver(hierarchy), classes, patterns, version, stateFile, selection);
        }
    }

    private void weave(DirectoryWeaver weaver, Path classes, AntPatterns patterns, String version, Path stateFile,
            ClassSelection selection) throws IOException, MojoFailureException {
        Set<String> toWeave = selection.toWeave();
        WeaveReport report = weaver.weave(classes, file -> toWeave.contains(ClassSelection.relative(classes, file)),
                failOnWarning);
        List<Diagnostic> diagnostics = report.diagnostics();
        log(diagnostics);
        if (report.hasErrors() || failOnWarning && !diagnostics.isEmpty()) {
            throw failure(diagnostics);
        }
        for (Path written : report.writtenFiles()) {
            String line = "woven " + ClassSelection.relative(classes, written);
            if (verbose) {
                getLog().info(line);
            } else {
                getLog().debug(line);
            }
        }
        getLog().info(Summary.line(report.wovenMethods(), report.wovenClasses(), selection.unchanged()));
        ClassSelection.recordAfterWeave(classes, patterns, version).save(stateFile);
    }

    /**
     * The weaver this goal weaves its directory with: the one call a run makes to it, so that each
     * class is woven once and a test can count the weaves.
     *
     * @param hierarchy the build's classpath
     * @return the weave of a directory
     */
    DirectoryWeaver weaver(ClassHierarchy hierarchy) {
        return new Weaver(hierarchy)::weaveDirectory;
    }

    private void log(List<Diagnostic> diagnostics) {
        for (Diagnostic diagnostic : diagnostics) {
            if (diagnostic.kind() == Diagnostic.Kind.ERROR) {
                getLog().error(diagnostic.format());
            } else {
                getLog().warn(diagnostic.format());
            }
        }
    }

    private MojoFailureException failure(List<Diagnostic> diagnostics) {
        long errors = diagnostics.stream().filter(d -> d.kind() == Diagnostic.Kind.ERROR).count();
        long warnings = diagnostics.size() - errors;
        String found = errors > 0
                ? plural(errors, "error") + (warnings > 0 ? " and " + plural(warnings, "warning") : "")
                : plural(warnings, "warning") + " (weft.failOnWarning is set)";
        return new MojoFailureException("Weft found " + found + " in @Async code, listed above; "
                + "the class files were left as they were. Fix the code at the lines named, then build again.");
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private List<Path> classpath(Path classes) throws MojoExecutionException {
        Set<Path> entries = new LinkedHashSet<>();
        entries.add(classes);
        try {
            for (String element : classpathElements()) {
                entries.add(Path.of(element));
            }
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("Weft needs the project's dependencies resolved: " + e.getMessage(), e);
        }
        return List.copyOf(entries);
    }

    /** A snapshot weaver can change under the same version, so its jar's time is part of it. */
    private String weaverVersion() {
        String version = plugin.getVersion();
        File jar = plugin.getPluginArtifact() != null ? plugin.getPluginArtifact().getFile() : null;
        if (version.endsWith("-SNAPSHOT") && jar != null) {
            return version + "@" + jar.lastModified();
        }
        return version;
    }
}
