package diffbench.maven;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Mojo;

/** Placeholder until the harness lands: `mvn jmh:run` resolves and says what it will do. */
@Mojo(name = "run", threadSafe = true)
public class RunMojo extends AbstractMojo {
    @Override
    public void execute() {
        getLog().info("diffbench: the JMH harness is not built yet");
    }
}
