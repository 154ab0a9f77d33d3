package diffbench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end: real JMH runner, real forks, real DJL engine on CPU with tiny configs.
 * Each cell costs a fork (about 3 s here), so the slices are small.
 */
class HarnessRunTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearInjection() {
        System.clearProperty(FaultInjection.OOM);
        System.clearProperty(FaultInjection.HANG);
    }

    private int harness(Path csv, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--results=" + csv;
        all[1] = "--device=cpu";
        all[2] = "--warmups=1";
        all[3] = "--measurements=2";
        System.arraycopy(args, 0, all, 4, args.length);
        return HarnessMain.run(all);
    }

    @Test
    void tinyMatrixWritesOneRowPerCellAndStageAndReRunsMerge() throws Exception {
        Path csv = dir.resolve("cpu-smoke.csv");
        assertEquals(0, harness(csv, "--pipelines=sd-txt2img,if", "--batches=1", "--modes=eager,compiled", "--steps=3"));

        List<Map<String, String>> rows = Results.read(csv);
        assertEquals(2 + 2 * 3, rows.size(), "sd-txt2img: 1 row per mode, if: 3 stages per mode");
        for (Map<String, String> r : rows) {
            assertEquals("ok", r.get("outcome"), r.toString());
            assertEquals("cpu-smoke", r.get("gpu_slug"));
            assertEquals("cpu", r.get("device"));
            assertEquals("tiny", r.get("model_size"));
            assertEquals("3", r.get("steps"));
            assertEquals("3", r.get("unet_calls_per_image"));
            assertEquals("2", r.get("measurement_calls"));
            assertEquals("2.7.1", r.get("libtorch"), "the fork reports the engine it ran");
            assertEquals("0.36.0", r.get("djl"));
            assertEquals("djl", r.get("jni"));
            assertTrue(Double.parseDouble(r.get("its_mean")) > 0, r.toString());
            assertTrue(Double.parseDouble(r.get("its_min")) <= Double.parseDouble(r.get("its_max")));
            assertTrue(Double.parseDouble(r.get("seconds_per_call_mean")) > 0);
            assertTrue(Double.parseDouble(r.get("outside_loop_seconds")) >= 0);
        }
        Results.only(rows, "if", "1", "compiled", "III");
        Map<String, String> kept = Results.only(rows, "if", "1", "eager", "II");
        Map<String, String> replaced = Results.only(rows, "sd-txt2img", "1", "eager", "");
        assertEquals(4, JsonParser.parseString(Files.readString(dir.resolve("cpu-smoke.jmh.json"))).getAsJsonArray().size());

        // Re-run one cell and add one: its row is replaced, the new one added, the others kept as they were.
        assertEquals(0, harness(csv, "--pipelines=sd-txt2img", "--batches=1,2", "--modes=eager", "--steps=3"));
        List<Map<String, String>> merged = Results.read(csv);
        assertEquals(rows.size() + 1, merged.size());
        assertEquals(kept, Results.only(merged, "if", "1", "eager", "II"));
        Map<String, String> rerun = Results.only(merged, "sd-txt2img", "1", "eager", "");
        assertTrue(rerun.get("time").compareTo(replaced.get("time")) >= 0);
        assertTrue(!rerun.get("its_mean").equals(replaced.get("its_mean")) || !rerun.get("time").equals(replaced.get("time")),
                "the re-run cell's row is new");
        Results.only(merged, "sd-txt2img", "2", "eager", "");
        assertEquals(5, JsonParser.parseString(Files.readString(dir.resolve("cpu-smoke.jmh.json"))).getAsJsonArray().size());
    }

    @Test
    void eachInjectedOomGivesItsOutcomeAndTheNextCellStillRuns() throws Exception {
        Path csv = dir.resolve("oom.csv");
        System.setProperty(FaultInjection.OOM,
                "sd-txt2img:1:eager=load;sd-txt2img:2:eager=warmup:1;sd-txt2img:3:eager=iteration:2");
        assertEquals(0, harness(csv, "--pipelines=sd-txt2img", "--batches=1,2,3,4", "--modes=eager", "--steps=2"));

        List<Map<String, String>> rows = Results.read(csv);
        assertEquals(4, rows.size());
        assertEquals("oom-at-load", Results.only(rows, "sd-txt2img", "1", "eager", "").get("outcome"));
        assertEquals("oom-in-warmup-1", Results.only(rows, "sd-txt2img", "2", "eager", "").get("outcome"));
        assertEquals("oom-at-iteration-2", Results.only(rows, "sd-txt2img", "3", "eager", "").get("outcome"));
        Map<String, String> ok = Results.only(rows, "sd-txt2img", "4", "eager", "");
        assertEquals("ok", ok.get("outcome"));
        assertTrue(Double.parseDouble(ok.get("its_mean")) > 0);
        for (Map<String, String> r : rows.subList(0, 3)) {
            assertTrue(r.get("error_message").startsWith("ai.djl.engine.EngineException: CUDA out of memory"), r.get("error_message"));
            assertEquals("", r.get("its_mean"), "a failed cell has no figures");
        }
        // Only the finished cell is in JMH's JSON.
        assertEquals(1, JsonParser.parseString(Files.readString(dir.resolve("oom.jmh.json"))).getAsJsonArray().size());
    }

    @Test
    void aForkStuckInACallIsKilledAndRecordedAsTimeout() throws Exception {
        Path csv = dir.resolve("hang.csv");
        System.setProperty(FaultInjection.HANG, "sd-txt2img:1:eager=warmup:1");
        long start = System.nanoTime();
        assertEquals(0, harness(csv, "--pipelines=sd-txt2img", "--batches=1,2", "--modes=eager", "--steps=2", "--cell-timeout=12"));
        assertTrue((System.nanoTime() - start) / 1e9 < 60, "the watchdog, not JMH's 10-minute timeout, ended the cell");

        List<Map<String, String>> rows = Results.read(csv);
        Map<String, String> hung = Results.only(rows, "sd-txt2img", "1", "eager", "");
        assertEquals("timeout", hung.get("outcome"));
        assertTrue(hung.get("error_message").contains("warmup:1"), hung.get("error_message"));
        assertEquals("ok", Results.only(rows, "sd-txt2img", "2", "eager", "").get("outcome"));
        assertEquals(1, harness(dir.resolve("hang2.csv"), "--pipelines=sd-txt2img", "--batches=1", "--modes=eager",
                "--steps=2", "--cell-timeout=8", "--fail-on-error"), "--fail-on-error turns a timeout into exit 1");
    }
}
