package diffbench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffbench.schema.Outcome;
import diffbench.schema.ResultRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --gpus: the matrix spread over the cards of one box, one harness per card, every row kept and labelled. */
class GpuShardsTest {

    @TempDir
    Path dir;

    @Test
    void shardsTakeEveryNthCellAndTogetherAllOfThem() {
        List<Cell> cells = new ArrayList<>();
        for (int batch = 1; batch <= 5; batch++) {
            cells.add(new Cell("sd-txt2img", batch, "eager", "sdpa", "fp16", 50, false, "gpu"));
        }
        assertEquals(List.of(cells.get(0), cells.get(2), cells.get(4)), HarnessMain.shard(cells, "0/2"));
        assertEquals(List.of(cells.get(1), cells.get(3)), HarnessMain.shard(cells, "1/2"));
        assertEquals(List.of(), HarnessMain.shard(cells.subList(0, 1), "1/2"), "more cards than cells: some idle");
        for (String bad : List.of("2/2", "a/2", "1", "-1/2", "99999999999/2")) {
            assertThrows(IllegalArgumentException.class, () -> HarnessMain.shard(cells, bad), bad);
        }
    }

    /** The harness as a user starts it on a box of two cards (a stand-in nvidia-smi), with CPU cells so it runs here. */
    @Test
    void eachCardRunsItsShareIntoTheSameFile() throws Exception {
        Path csv = dir.resolve("r.csv");
        Run run = harness("--gpus=0,1", "--results=" + csv, "--device=cpu", "--tiny", "--pipelines=sd-txt2img",
                "--batches=1,2,3", "--modes=eager", "--steps=2", "--warmups=0", "--measurements=1");
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("diffbench: one harness per card, each running 1 cell in 2: "
                + "0: NVIDIA H100 80GB HBM3, 1: NVIDIA H100 80GB HBM3"), run.output());
        assertTrue(run.output().contains("[gpu 0] diffbench: shard 0/2: 2 cells"), run.output());
        assertTrue(run.output().contains("[gpu 1] diffbench: shard 1/2: 1 cells"), run.output());
        assertTrue(run.output().contains("[gpu 1] diffbench: NVIDIA H100 80GB HBM3 (GPU-b)"), "the second card's own: " + run.output());
        List<ResultRow> rows = Results.read(csv);
        assertEquals(List.of(1, 2, 3), rows.stream().map(ResultRow::batch).sorted().toList(), "every cell, once");
        rows.forEach(r -> assertEquals(Outcome.OK, r.outcome(), "the harnesses ran side by side (JMH's one-runner lock "
                + "would fail one): " + r));
    }

    @Test
    void unknownOrRepeatedCardsAreRefusedBeforeAnyRuns() throws Exception {
        Path csv = dir.resolve("r.csv");
        Run unknown = harness("--gpus=0,2", "--results=" + csv, "--device=cpu", "--tiny");
        assertEquals(HarnessMain.USAGE, unknown.exit(), unknown.output());
        assertTrue(unknown.output().contains("diffbench: --gpus: CUDA_VISIBLE_DEVICES=2 names GPU 2, but nvidia-smi lists "
                + "0: NVIDIA H100 80GB HBM3, 1: NVIDIA H100 80GB HBM3: pick one of those"), unknown.output());
        Run twice = harness("--gpus=1,1", "--results=" + csv);
        assertEquals(HarnessMain.USAGE, twice.exit(), twice.output());
        assertTrue(twice.output().contains("--gpus takes each card once"), twice.output());
        assertTrue(Files.notExists(csv), "nothing ran");
    }

    private record Run(int exit, String output) {}

    /** HarnessMain in its own JVM with a stand-in nvidia-smi for two H100s first on the PATH. */
    private Run harness(String... args) throws Exception {
        Path fake = dir.resolve("bin/nvidia-smi");
        Files.createDirectories(fake.getParent());
        Files.writeString(fake, "#!/bin/sh\nprintf '0, GPU-a, NVIDIA H100 80GB HBM3, 81559, 580.1\\n"
                + "1, GPU-b, NVIDIA H100 80GB HBM3, 81559, 580.1\\n'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Ddiffbench.root=" + System.getProperty("diffbench.root", "."), HarnessMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("CUDA_VISIBLE_DEVICES");
        pb.environment().put("PATH", fake.getParent() + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }
}
