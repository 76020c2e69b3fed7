package dev.weft.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Weaves the {@code @Async} methods of the main classes into state machines, in place, right after
 * compilation.
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>dev.weft</groupId>
 *   <artifactId>weft-maven-plugin</artifactId>
 *   <executions>
 *     <execution>
 *       <goals><goal>weave</goal></goals>
 *     </execution>
 *   </executions>
 * </plugin>
 * }</pre>
 */
@Mojo(name = "weave", defaultPhase = LifecyclePhase.PROCESS_CLASSES, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.COMPILE)
public class WeaveMojo extends AbstractWeaveMojo {

    /** The compiled main classes. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", readonly = true, required = true)
    protected File classesDirectory;

    /** Creates the goal; Maven injects the parameters. */
    public WeaveMojo() {
    }

    @Override
    protected File classesDirectory() {
        return classesDirectory;
    }

    @Override
    protected List<String> classpathElements() throws DependencyResolutionRequiredException {
        return project.getCompileClasspathElements();
    }

    @Override
    protected String stateFileName() {
        return "weave-state.properties";
    }
}
