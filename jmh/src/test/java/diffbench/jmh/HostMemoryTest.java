package diffbench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffbench.schema.Outcome;
import diffbench.schema.ResultRow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host memory running out is predicted or named (issue 16, item 5): a CPU batch the machine cannot
 * hold is refused before it loads, and a fork the kernel kills says what probably killed it.
 */
class HostMemoryTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearInjection() {
        System.clearProperty(FaultInjection.HANG);
    }

    @Test
    void aCpuBatchBeyondTheHostsMemoryIsRefusedBeforeAnyCell() {
        Path csv = dir.resolve("r.csv");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(HarnessMain.USAGE, HarnessMain.run("--results=" + csv, "--device=cpu", "--pipelines=sd-txt2img",
                    "--batches=1,100000", "--modes=eager"));
        } finally {
            System.setErr(err);
        }
        String said = captured.toString(StandardCharsets.UTF_8);
        assertTrue(said.matches("diffbench: sd-txt2img batch 100000 on CPU needs at least [0-9.]+ GiB of host memory \\(weights "
                + "and activations, estimated\\), more than the [0-9.]+ GiB available: use a smaller batch\\R"), said);
        assertFalse(Files.exists(csv), "not even batch 1 ran");
    }

    /** SIGKILL from outside, as the kernel's OOM killer sends it, to a fork stuck in its load. */
    @Test
    void aForkKilledWithSigkillIsNamedAsProbablyOutOfHostMemory() throws Exception {
        Path csv = dir.resolve("killed.csv");
        System.setProperty(FaultInjection.HANG, "load");
        Thread killer = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                var fork = ProcessHandle.current().children()
                        .filter(p -> p.info().commandLine().map(c -> c.contains("ForkedMain")).orElse(false)).findFirst();
                if (fork.isPresent()) {
                    try {
                        Thread.sleep(2000); // into its load, where it hangs
                    } catch (InterruptedException e) {
                        return;
                    }
                    fork.get().destroyForcibly();
                    return;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        killer.start();
        assertEquals(0, HarnessMain.run("--results=" + csv, "--device=cpu", "--pipelines=sd-txt2img", "--batches=1",
                "--modes=eager", "--steps=2", "--warmups=0", "--measurements=1", "--cell-timeout=120"));
        killer.join(10_000);
        ResultRow row = Results.only(Results.read(csv), "sd-txt2img", 1, "eager", "");
        assertEquals(Outcome.ERROR, row.outcome());
        // "in load: ..." where the fork's report got that far before the kill
        assertTrue(row.errorMessage().contains("the fork was killed (SIGKILL, exit code 137), probably because host memory "
                + "ran out: use a smaller batch"), row.errorMessage());
    }
}
