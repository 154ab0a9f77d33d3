package diffbench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person watching a run reads, from the log of a real harness process and its forks. */
class ProgressLinesTest {

    @TempDir
    Path dir;

    private String run(Path csv, String log, String modes) throws Exception {
        Process harness = HarnessProcess.start(dir.resolve(log), List.of("-D" + RunProgress.HEARTBEAT_PROPERTY + "=1"),
                "--results=" + csv, "--device=cpu", "--pipelines=sd-txt2img", "--batches=1", "--modes=" + modes,
                "--steps=2", "--warmups=1", "--measurements=1");
        assertTrue(harness.waitFor(300, TimeUnit.SECONDS), "the harness finished");
        String out = Files.readString(dir.resolve(log));
        assertEquals(0, harness.exitValue(), out);
        return out;
    }

    @Test
    void eachCellSaysWhereItIsAndEachFinishedCellItsFiguresThenATableAndTheReportCommand() throws Exception {
        Path csv = dir.resolve("cpu-smoke.csv");
        String first = run(csv, "first.log", "eager");
        // while it runs: index, label, a phase from the fork's marks, the cell's time and the run's
        assertTrue(Pattern.compile("(?m)^\\[1/1\\] sd-txt2img b1 eager  (starting|starting the fork|load|warm-up 1/1|measured 1/1|done)"
                + "  \\d+ s  \\(run \\d+ s\\)$").matcher(first).find(), first);
        // finished: outcome, it/s, peak memory (CPU cells have none), the cell's time and the run's
        assertTrue(Pattern.compile("(?m)^\\[1/1\\] sd-txt2img b1 eager  ok  [0-9.]+ it/s  peak (\\d+ MiB|—)  \\d+ s  "
                + "\\(run \\d+ s, ETA ~0 s\\)$").matcher(first).find(), first);
        assertTrue(first.contains("diffbench: ran 1 of 1 cells in "), first);
        assertTrue(Pattern.compile("(?m)^  ok +[0-9.]+ it/s +(\\d+ MiB|—) +\\d+ s +sd-txt2img b1 eager$").matcher(first).find(), first);
        // DJL's notices that do not apply to this run stay off the console
        assertFalse(first.contains("graph executor optimizer") || first.contains("Failed to detect GPU count")
                || first.contains("Found matching platform"), first);
        assertTrue(first.contains("diffbench: report: ") && first.contains("diffbench-reports.jar --results " + dir), first);

        // resumed: the measured cell counts, so the one left is the second of two
        String second = run(csv, "second.log", "eager,ts-profiling"); // ts-profiling runs on any libtorch, as compiled (AOTInductor) does not
        assertTrue(second.contains("1 of 2 cells already measured"), second);
        assertTrue(Pattern.compile("(?m)^\\[2/2\\] sd-txt2img b1 ts-profiling  ok  ").matcher(second).find(), second);
        assertTrue(second.contains("diffbench: ran 1 of 2 cells in "), second);
    }

    @Test
    void durationsReadAsAPersonSaysThem() {
        assertEquals("12 s", RunProgress.duration(12_400));
        assertEquals("3 min 10 s", RunProgress.duration(190_000));
        assertEquals("41 min", RunProgress.duration(41 * 60_000));
        assertEquals("1 h 20 min", RunProgress.duration(80 * 60_000 + 10_000));
    }
}
