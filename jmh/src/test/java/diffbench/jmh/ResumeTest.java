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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed part-way (kill -9 of the harness) and started again measures the remaining cells only. */
class ResumeTest {

    @TempDir
    Path dir;

    /** sd-txt2img at batch 1 and 2, then IF (three stage rows each) at batch 1 and 2: 4 cells, 8 rows. */
    private List<String> options(Path csv, String... more) {
        List<String> args = new ArrayList<>(List.of("--results=" + csv, "--device=cpu", "--pipelines=sd-txt2img,if",
                "--batches=1,2", "--modes=eager", "--steps=2", "--warmups=0", "--measurements=1"));
        args.addAll(List.of(more));
        return args;
    }

    private String inProcess(List<String> args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, HarnessMain.run(args.toArray(String[]::new)));
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aKilledRunResumesWithTheMissingCellsOnly() throws Exception {
        Path csv = dir.resolve("cpu-smoke.csv");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Ddiffbench.root=" + System.getProperty("diffbench.root", "."), HarnessMain.class.getName()));
        cmd.addAll(options(csv));
        Process harness = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        List<ResultRow> beforeKill = List.of();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (beforeKill.isEmpty() && System.nanoTime() < deadline && harness.isAlive()) {
                Thread.sleep(100);
                if (Files.exists(csv)) {
                    beforeKill = Results.read(csv);
                }
            }
            assertTrue(harness.isAlive(), "killed part-way: " + Files.readString(dir.resolve("killed.log")));
        } finally {
            List<ProcessHandle> forks = harness.descendants().toList();
            harness.destroyForcibly(); // SIGKILL: no shutdown hook, no last merge
            harness.waitFor(30, TimeUnit.SECONDS);
            forks.forEach(ProcessHandle::destroyForcibly); // its JMH fork, orphaned
        }
        List<ResultRow> afterKill = Results.read(csv);
        assertFalse(afterKill.isEmpty(), Files.readString(dir.resolve("killed.log")));
        long cellsBefore = afterKill.stream().map(ResultRow::cellKey).distinct().count();
        assertTrue(cellsBefore < 4, "the kill came before the last cell: " + afterKill);

        // what a second run would do, without doing it
        String listed = inProcess(options(csv, "--missing"));
        assertTrue(listed.contains(cellsBefore + " of 4 cells already measured in " + csv + ", resuming with the "
                + (4 - cellsBefore) + " missing"), listed);
        assertEquals(4 - cellsBefore, listed.lines().filter(l -> l.startsWith("missing: ")).count(), listed);
        assertEquals(afterKill, Results.read(csv), "--missing runs nothing");

        Path progress = dir.resolve("progress");
        String resumed = inProcess(options(csv, "--progress=" + progress));
        assertTrue(resumed.contains(cellsBefore + " of 4 cells already measured"), resumed);
        List<ResultRow> rows = Results.read(csv);
        for (ResultRow r : afterKill) {
            assertTrue(rows.contains(r), "measured before the kill, kept as it was (not measured again): " + r);
        }
        Map<String, Long> perCellAndStage = rows.stream().collect(Collectors.groupingBy(
                r -> r.pipeline() + " " + r.batch() + " " + r.stage(), Collectors.counting()));
        assertEquals(Map.of("sd-txt2img 1 ", 1L, "sd-txt2img 2 ", 1L, "if 1 I", 1L, "if 1 II", 1L, "if 1 III", 1L,
                "if 2 I", 1L, "if 2 II", 1L, "if 2 III", 1L), perCellAndStage, "one row per cell and stage: " + rows);
        rows.forEach(r -> assertEquals(Outcome.OK, r.outcome(), r.toString()));
        assertEquals("finished=4 cells=4 results=" + csv.toAbsolutePath() + "\n", Files.readString(progress));

        // a third run finds nothing to do and leaves the file as it is
        String third = inProcess(options(csv));
        assertTrue(third.contains("all 4 cells already measured in " + csv + ", nothing to do"), third);
        assertEquals(rows, Results.read(csv));
    }

    @Test
    void aProgressFileIsOneHarnesssAndRemeasureTakesKnownValues() {
        Path csv = dir.resolve("r.csv");
        assertEquals(HarnessMain.USAGE, HarnessMain.run("--gpus=0,1", "--progress=" + dir.resolve("p"), "--results=" + csv));
        assertEquals(HarnessMain.USAGE, HarnessMain.run("--remeasure=sometimes", "--results=" + csv, "--device=cpu"));
        assertFalse(Files.exists(csv), "nothing ran");
    }
}
