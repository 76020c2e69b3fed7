package dev.weft.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Weaves the {@code @Async} methods of the test classes, in place, right after test compilation,
 * so that tests can be written as {@code @Async} methods too.
 *
 * <pre>{@code
 * <execution>
 *   <goals><goal>weave</goal><goal>weave-test</goal></goals>
 * </execution>
 * }</pre>
 */
@Mojo(name = "weave-test", defaultPhase = LifecyclePhase.PROCESS_TEST_CLASSES, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.TEST)
public class WeaveTestMojo extends AbstractWeaveMojo {

    /** The compiled test classes. */
    @Parameter(defaultValue = "${project.build.testOutputDirectory}", readonly = true, required = true)
    protected File testClassesDirectory;

    /** Creates the goal; Maven injects the parameters. */
    public WeaveTestMojo() {
    }

    @Override
    protected File classesDirectory() {
        return testClassesDirectory;
    }

    @Override
    protected List<String> classpathElements() throws DependencyResolutionRequiredException {
        return project.getTestClasspathElements();
    }

    @Override
    protected String stateFileName() {
        return "weave-test-state.properties";
    }
}
