package diffbench.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * `mvn jmh:help`: every `-D` property of `mvn jmh:run` with its default. The harness's own are listed
 * by the harness (from its options, so the list cannot drift from what it accepts), then the plugin's.
 */
@Mojo(name = "help", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class HelpMojo extends RunMojo {

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (!inBenchmarkModule()) {
            return;
        }
        System.out.println("mvn jmh:run -Dname=value ...: runs the benchmark matrix; its properties:");
        int rc = runWithWatchdog(command(), rootDirectory());
        if (rc != 0) {
            throw new MojoFailureException("the harness could not list its options (exit code " + rc + ")");
        }
        System.out.println("""
                  -Djmh.timeoutMinutes=1440  wall-clock limit of the whole run, in minutes; the harness is killed after it
                  -Djmh.jvmArgs=...          extra options for the harness JVM, space separated (e.g. -Xmx4g)
                  -Djmh.module=diffbench-jmh, -Djmh.mainClass=diffbench.jmh.HarnessMain  where the harness is
                A property close to one of these but not it (-Dpipeline) is refused.""");
    }

    @Override
    List<String> harnessArguments() {
        return List.of("--help");
    }
}
