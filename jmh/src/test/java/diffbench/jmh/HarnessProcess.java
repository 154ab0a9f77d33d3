package diffbench.jmh;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The harness in its own JVM, as `mvn jmh:run` starts it, with its output in a log file. */
final class HarnessProcess {

    private HarnessProcess() {}

    /** @param jvmOptions system properties (`-D...`) for the harness JVM, before its main class */
    static Process start(Path log, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.offline=true",
                "-Ddiffbench.root=" + System.getProperty("diffbench.root", ".")));
        cmd.addAll(jvmOptions);
        cmd.add(HarnessMain.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
