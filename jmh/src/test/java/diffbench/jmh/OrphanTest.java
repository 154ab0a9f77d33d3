package diffbench.jmh;

import diffbench.testing.Needs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        } catch (TimeoutException stillRunning) {
            return false;
        }
        return !p.isAlive();
    }

    /** What a stand-in parent started, once it is there: the descendant whose command line has {@code marker}. */
    private ProcessHandle descendant(ProcessHandle parent, String marker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> found = parent.descendants()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)).findFirst();
            if (found.isPresent()) {
                started.add(found.get());
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no process with " + marker + " under " + parent.pid());
    }

    /** The GPU sampler (nvidia-smi -lms, which never ends by itself) stops when the harness is gone. */
    @Test
    void theGpuSamplerEndsWithTheHarness() throws Exception {
        Path fake = dir.resolve("nvidia-smi");
        Files.writeString(fake, "#!/bin/sh\nwhile true; do echo '1500, 300.5, 55, 0x0'; sleep 0.05; done\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process harness = new ProcessBuilder("sleep", "600").start(); // stands in for the harness
        started.add(harness.toHandle());
        try (GpuSampler sampler = GpuSampler.start(List.of(fake.toString()), harness.pid()).orElseThrow()) {
            ProcessHandle nvidiaSmi = descendant(ProcessHandle.current(), fake.toString());
            Thread.sleep(300);
            assertTrue(nvidiaSmi.isAlive(), "sampling while the harness lives");
            harness.destroyForcibly();
            assertTrue(endsWithin(nvidiaSmi, 10), "the sampler ended with the harness");
        } finally {
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The PyTorch peer (peer/parent_watch.py, started with --parent-pid) ends when the harness is gone. */
    @Test
    void thePeerEndsWithTheHarness() throws Exception {
        Needs.python3();
        Path peer = Path.of(System.getProperty("diffbench.root", ".")).resolve("peer");
        String code = "import sys, time; sys.path.insert(0, sys.argv[1]); import parent_watch; "
                + "parent_watch.start(int(sys.argv[2])); print('watching', flush=True); time.sleep(600)";
        // sh stands in for the harness: python's parent, killed with SIGKILL
        Process harness = new ProcessBuilder("sh", "-c", "python3 -c \"$0\" \"$1\" $$; true", code, peer.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("peer.log").toFile()).start();
        started.add(harness.toHandle());
        try {
            ProcessHandle python = descendant(harness.toHandle(), "parent_watch");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(dir.resolve("peer.log")).contains("watching") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            harness.destroyForcibly();
            assertTrue(endsWithin(python, 10), "the peer ended with the harness: " + Files.readString(dir.resolve("peer.log")));
            assertTrue(Files.readString(dir.resolve("peer.log")).contains("is gone; stopping"));
        } finally {
            started.forEach(ProcessHandle::destroyForcibly);
        }
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
