package diffbench.jmh;

import diffbench.schema.RuntimeKind;
import java.util.Arrays;
import diffbench.nn.AttentionKernel;
import diffbench.peer.PeerNetworks;
import diffbench.schema.PipelineId;
import diffbench.torchscript.StorageType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * `--peer`: after the JVM cells, the same cells in PyTorch (peer/run_peer.py: eager and two
 * torch.compile modes) on the same networks and weights, merged into the same results file. Runs
 * only where {@code python3 -c "import torch"} works; cells of pipelines the peer does not
 * implement are skipped with a note.
 */
final class PeerRunner {
    /** Where peer/ is: -Ddiffbench.peer.dir (the GPU-box bundle sets it), else {@code <root>/peer}. */
    static final String DIR_PROPERTY = "diffbench.peer.dir";

    /** The runtimes peer/run_peer.py implements, in the order it runs them. */
    static final List<String> RUNTIMES = Arrays.stream(RuntimeKind.values()).filter(RuntimeKind::isPython)
            .map(RuntimeKind::id).toList();

    private final String python;
    private final List<String> runtimes;
    private final Path script;
    private final long timeoutSecondsPerCall;

    PeerRunner(String python, List<String> runtimes, Path root, long timeoutSecondsPerCell) {
        checkRuntimes(runtimes);
        this.python = python;
        this.runtimes = List.copyOf(runtimes);
        String dir = System.getProperty(DIR_PROPERTY);
        this.script = (dir != null ? Path.of(dir) : root.resolve("peer")).resolve("run_peer.py");
        this.timeoutSecondsPerCall = timeoutSecondsPerCell;
    }

    /** Refuses runtimes run_peer.py does not have (checked before any cell runs). */
    static void checkRuntimes(List<String> runtimes) {
        for (String r : runtimes) {
            if (!RUNTIMES.contains(r)) {
                throw new IllegalArgumentException("unknown peer runtime '" + r + "': use one of " + String.join(", ", RUNTIMES));
            }
        }
    }

    /** The peer's command line for one group of cells (all batches of one pipeline and setup). */
    List<String> command(Path networks, List<Cell> group, CellRows.Settings settings, HostEnvironment env, Path csv) {
        Cell c = group.get(0);
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--networks", networks.toString(),
                "--pipeline", c.pipeline(),
                "--batches", group.stream().map(g -> Integer.toString(g.batch())).distinct().collect(Collectors.joining(",")),
                "--steps", Integer.toString(c.steps()), "--dtype", c.dtype(), "--attention", c.attention(),
                "--warmups", Integer.toString(settings.warmups()), "--measurements", Integer.toString(settings.measurements()),
                "--profile", settings.profile(), "--results", csv.toString(), "--runtimes", String.join(",", runtimes),
                "--device", c.device().equals("gpu") ? "cuda" : "cpu",
                "--gpu-slug", env.gpuSlug(), "--host", env.host(), "--host-cpu", env.hostCpu(), "--git-commit", env.gitCommit(),
                "--unet-flops-per-row", Long.toString(PeerNetworks.unetFlopsPerRow(PipelineId.fromId(c.pipeline()), c.tiny()))));
        if (c.tiny()) {
            cmd.add("--tiny");
        }
        env.gpu().ifPresent(g -> {
            cmd.addAll(List.of("--gpu-name", g.name(), "--driver", g.driver(), "--nvidia-smi-id", g.id()));
            if (g.memoryMib() >= 0) {
                cmd.addAll(List.of("--gpu-memory-mib", Long.toString(g.memoryMib())));
            }
        });
        if (settings.memoryCapMib() > 0) {
            cmd.addAll(List.of("--memory-cap-mib", Long.toString(settings.memoryCapMib()), "--emulate", settings.emulate()));
        }
        cmd.addAll(List.of("--parent-pid", Long.toString(ProcessHandle.current().pid()))); // ends with this harness (parent_watch.py)
        return cmd;
    }

    /** Groups the JVM cells by everything but batch and mode (the peer runs its own modes). */
    static Map<Cell, List<Cell>> groups(List<Cell> cells) {
        Map<Cell, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : cells) {
            Cell key = new Cell(c.pipeline(), 0, "", c.attention(), c.dtype(), c.steps(), c.tiny(), c.device());
            List<Cell> g = groups.computeIfAbsent(key, k -> new ArrayList<>());
            if (g.stream().noneMatch(x -> x.batch() == c.batch())) {
                g.add(c);
            }
        }
        return groups;
    }

    /** Whether the Python has torch; says why not otherwise. */
    boolean available() {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                System.out.println("diffbench: --peer: `" + python + " -c \"import torch\"` failed, no PyTorch rows: "
                        + out.strip().lines().reduce((a, b) -> b).orElse(""));
                return false;
            }
        } catch (IOException | InterruptedException e) {
            System.out.println("diffbench: --peer: cannot start " + python + " (" + e.getMessage() + "), no PyTorch rows");
            return false;
        }
        if (!Files.isRegularFile(script)) {
            System.out.println("diffbench: --peer: " + script + " not found (set -D" + DIR_PROPERTY + "), no PyTorch rows");
            return false;
        }
        return true;
    }

    /** Runs the peer for every group it supports; returns whether all its runs exited 0. */
    boolean run(List<Cell> cells, CellRows.Settings settings, HostEnvironment env, Path csv) {
        if (!available()) {
            return true;
        }
        boolean ok = true;
        for (List<Cell> group : groups(cells).values()) {
            Cell c = group.get(0);
            PipelineId id = PipelineId.fromId(c.pipeline());
            if (!PeerNetworks.supports(id)) {
                System.out.println("diffbench: --peer: no PyTorch peer for " + c.pipeline() + " (sd-txt2img and sdxl-txt2img have one)");
                continue;
            }
            Path networks = null;
            try {
                networks = Files.createTempDirectory("diffbench-peer-");
                PeerNetworks.write(id, c.tiny(), StorageType.fromShortName(c.dtype()), AttentionKernel.fromName(c.attention()), networks);
                List<String> cmd = command(networks, group, settings, env, csv);
                System.out.println("diffbench: peer: " + String.join(" ", cmd));
                Process p = new ProcessBuilder(cmd).inheritIO().start();
                long limit = timeoutSecondsPerCall * group.size() * runtimes.size() + 600; // plus compile time
                if (!p.waitFor(limit, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    System.out.println("diffbench: peer: " + c.pipeline() + " timed out after " + limit + " s");
                    ok = false;
                } else if (p.exitValue() != 0) {
                    System.out.println("diffbench: peer: " + c.pipeline() + " exited with " + p.exitValue());
                    ok = false;
                }
            } catch (IOException e) {
                System.out.println("diffbench: peer: " + e.getMessage());
                ok = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                delete(networks);
            }
        }
        return ok;
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
