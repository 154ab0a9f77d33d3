package diffbench.jmh;

import diffbench.schema.Outcome;
import diffbench.schema.ResultRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two runs at once on one machine, merging into one results file (issue 16, item 1): JMH's one-runner
 * lock used to fail the second run's cells at once, and their `error` rows replaced finished `ok` ones.
 */
class ConcurrentRunsTest {

    @TempDir
    Path dir;

    @Test
    void aSecondRunWaitsForTheFirstsCellsAndNoFinishedRowIsReplaced() throws Exception {
        Path csv = dir.resolve("shared.csv");
        String[] common = {"--results=" + csv, "--device=cpu", "--pipelines=sd-txt2img", "--modes=eager", "--steps=2",
                "--warmups=0", "--measurements=1"};
        Process first = HarnessProcess.start(dir.resolve("first.log"), List.of(), concat(common, "--batches=1,2,3"));
        Process second = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (first.isAlive() && System.nanoTime() < deadline && (!Files.exists(csv) || Results.read(csv).isEmpty())) {
                Thread.sleep(100);
            }
            assertTrue(first.isAlive(), "the first run is still measuring: " + Files.readString(dir.resolve("first.log")));
            // batch 1 is finished; the second run re-runs it while the first measures batch 2
            second = HarnessProcess.start(dir.resolve("second.log"), List.of(), concat(common, "--batches=1"));
            assertTrue(first.waitFor(180, TimeUnit.SECONDS) && second.waitFor(180, TimeUnit.SECONDS), "both runs ended");
        } finally {
            for (Process p : second == null ? List.of(first) : List.of(first, second)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        String log = Files.readString(dir.resolve("first.log")) + Files.readString(dir.resolve("second.log"));
        assertEquals(0, first.exitValue(), log);
        assertEquals(0, second.exitValue(), log);
        List<ResultRow> rows = Results.read(csv);
        assertEquals(3, rows.size(), rows.toString());
        for (ResultRow r : rows) {
            assertEquals(Outcome.OK, r.outcome(), "every cell measured, none replaced by a cell that could not start: " + r
                    + "\n" + log);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
