package diffbench.peer;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * python3 with torch, the peer's runtime, for the tests that hold Java's output against PyTorch:
 * a test class marked {@code @ExtendWith(TorchPython.class)} is skipped, saying so, where python3
 * has no torch (CI runs them in its torch stage).
 */
final class TorchPython implements ExecutionCondition {

    /** A finished python3: its exit status and its stdout and stderr together. */
    record Result(int exit, String output) {
        /** The last line printed: the scripts print their JSON answer there. */
        String lastLine() {
            return output.strip().lines().reduce((x, y) -> y).orElse("");
        }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Result r;
        try {
            r = run(List.of("python3", "-c", "import torch; print(torch.__version__)"));
        } catch (IOException e) {
            r = new Result(1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r = new Result(1, "interrupted");
        }
        return r.exit() == 0 ? ConditionEvaluationResult.enabled("python3 has torch " + r.lastLine())
                : ConditionEvaluationResult.disabled("python3 has no torch (the peer's runtime), which this test compares with: "
                        + r.lastLine());
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
