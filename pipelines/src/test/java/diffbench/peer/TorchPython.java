package diffbench.peer;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * python3 with torch, the peer's runtime, for the tests that hold Java's output against PyTorch:
 * such a test is skipped, saying so, where python3 has no torch (CI runs them in its torch stage).
 */
final class TorchPython {
    private TorchPython() {
    }

    /** A finished python3: its exit status and its stdout and stderr together. */
    record Result(int exit, String output) {
        /** The last line printed: the scripts print their JSON answer there. */
        String lastLine() {
            return output.strip().lines().reduce((x, y) -> y).orElse("");
        }
    }

    static void assumeTorch(String why) throws IOException, InterruptedException {
        Result r = run(List.of("python3", "-c", "import torch; print(torch.__version__)"));
        Assumptions.assumeTrue(r.exit() == 0, "python3 has no torch (the peer's runtime); " + why + " needs it: " + r.lastLine());
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(127, "no python3: " + e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "python3 finished");
        return new Result(p.exitValue(), out);
    }
}
