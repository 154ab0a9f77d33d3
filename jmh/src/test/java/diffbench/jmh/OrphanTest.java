package diffbench.jmh;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run leaves no process behind, whichever of its processes is killed (issue 16, item 3): real
 * processes, a fork hung in its load (as a native call would hang), SIGKILL, every wait bounded.
 */
class OrphanTest {

    @TempDir
    Path dir;

    private final List<ProcessHandle> started = new ArrayList<>();

    private Process harness(List<String> jvmOptions) throws Exception {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-D" + FaultInjection.HANG + "=load");
        Process p = HarnessProcess.start(dir.resolve("harness.log"), options, "--results=" + dir.resolve("r.csv"),
                "--device=cpu", "--pipelines=sd-txt2img", "--batches=1", "--modes=eager", "--steps=2", "--warmups=0",
                "--measurements=1", "--cell-timeout=600");
        started.add(p.toHandle());
        return p;
    }

    /** The harness's JMH fork, once it is hung in its load (its report says so). */
    private ProcessHandle hungFork(Process harness) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && harness.isAlive()) {
            Optional<ProcessHandle> fork = harness.descendants()
                    .filter(p -> p.info().commandLine().map(c -> c.contains("ForkedMain")).orElse(false)).findFirst();
            if (fork.isPresent() && Files.readString(dir.resolve("harness.log")).contains("Iteration")) {
                started.add(fork.get());
                Thread.sleep(1000); // in its set-up now, where the hang is
                return fork.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no fork started: " + Files.readString(dir.resolve("harness.log")));
    }

    private static boolean endsWithin(ProcessHandle p, int seconds) throws Exception {
        try {
            p.onExit().get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException stillRunning) {
            return false;
        }
        return !p.isAlive();
    }

    @Test
    void killingTheHarnessEndsItsHungFork() throws Exception {
        try {
            Process h = harness(List.of());
            ProcessHandle fork = hungFork(h);
            h.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(endsWithin(fork, 30), "the fork (pid " + fork.pid() + ") ended with its harness");
        } finally {
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void killingWhatStartedTheHarnessEndsTheHarnessAndItsFork() throws Exception {
        Process parent = new ProcessBuilder("sleep", "600").start(); // stands in for mvn jmh:run
        started.add(parent.toHandle());
        try {
            Process h = harness(List.of("-D" + ParentWatch.PROPERTY + "=" + parent.pid()));
            ProcessHandle fork = hungFork(h);
            parent.destroyForcibly();
            assertTrue(endsWithin(h.toHandle(), 30), "the harness ended with what started it");
            assertTrue(endsWithin(fork, 30), "and so did its fork");
            assertTrue(Files.readString(dir.resolve("harness.log")).contains("is gone; stopping, with every process it started"));
            assertFalse(Files.exists(dir.resolve("r.csv")) && Results.read(dir.resolve("r.csv")).size() > 0, "no row for the cell");
        } finally {
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
