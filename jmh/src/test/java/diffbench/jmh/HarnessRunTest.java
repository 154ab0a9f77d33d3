package diffbench.jmh;

import static diffbench.schema.ResultColumn.DENOISER_TFLOPS;
import static diffbench.schema.ResultColumn.DJL;
import static diffbench.schema.ResultColumn.IMAGES_PER_SECOND;
import static diffbench.schema.ResultColumn.ITS_MAX;
import static diffbench.schema.ResultColumn.ITS_MEAN;
import static diffbench.schema.ResultColumn.ITS_MIN;
import static diffbench.schema.ResultColumn.JOULES_PER_IMAGE;
import static diffbench.schema.ResultColumn.LOAD_SECONDS;
import static diffbench.schema.ResultColumn.MEASUREMENT_CALLS;
import static diffbench.schema.ResultColumn.OUTPUT_CHECK;
import static diffbench.schema.ResultColumn.OUTSIDE_LOOP_SECONDS;
import static diffbench.schema.ResultColumn.PEAK_RESERVED_MIB;
import static diffbench.schema.ResultColumn.SECONDS_PER_CALL_MEAN;
import static diffbench.schema.ResultColumn.UNET_CALLS_PER_IMAGE;
import static diffbench.schema.ResultColumn.WARMUP_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import diffbench.schema.Outcome;
import diffbench.schema.ResultRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        assertEquals(0, harness(csv, "--pipelines=sd-txt2img,if", "--batches=1", "--modes=eager,ts-profiling", "--steps=3"));

        List<ResultRow> rows = Results.read(csv);
        assertEquals(2 + 2 * 3, rows.size(), "sd-txt2img: 1 row per mode, if: 3 stages per mode");
        for (ResultRow r : rows) {
            assertEquals(Outcome.OK, r.outcome(), r.toString());
            assertEquals("cpu-smoke", r.gpuSlug());
            assertEquals("diffbench", r.runtime(), "the schema's runtime id");
            assertEquals("cpu", r.device());
            assertEquals("tiny", r.modelSize());
            assertEquals(3, r.steps().getAsInt());
            // PNDM as the benchmark counts: 3 steps are 4 UNet calls; IF scales its stages' 100/50/75 by 3/50
            String expectedCalls = switch (r.pipeline() + r.stage()) {
                case "sd-txt2img" -> "4";
                case "ifI" -> "6";
                case "ifII" -> "3";
                case "ifIII" -> "5";
                default -> throw new AssertionError("unexpected row " + r);
            };
            assertEquals(expectedCalls, r.get(UNET_CALLS_PER_IMAGE), r.toString());
            assertEquals("2", r.get(MEASUREMENT_CALLS));
            assertEquals("2.7.1", r.libtorch(), "the fork reports the engine it ran");
            assertEquals("0.36.0", r.get(DJL));
            assertEquals("djl", r.jni());
            assertTrue(Results.decimal(r, ITS_MEAN) > 0, r.toString());
            assertTrue(Results.decimal(r, ITS_MIN) <= Results.decimal(r, ITS_MAX));
            assertTrue(Results.decimal(r, SECONDS_PER_CALL_MEAN) > 0);
            // batch 1: images per second is the inverse of the mean call, both rounded to six digits
            assertEquals(1 / Results.decimal(r, SECONDS_PER_CALL_MEAN), Results.decimal(r, IMAGES_PER_SECOND),
                    1e-5 * Results.decimal(r, IMAGES_PER_SECOND), r.toString());
            assertEquals("", r.get(JOULES_PER_IMAGE), "no board power sampled on CPU");
            assertEquals("", r.get(PEAK_RESERVED_MIB), "no caching allocator on CPU");
            assertTrue(Results.decimal(r, OUTSIDE_LOOP_SECONDS) >= 0);
            assertTrue(Results.decimal(r, DENOISER_TFLOPS) > 0, "every stage's denoiser FLOPs over its loop time");
            assertEquals("ok", r.get(OUTPUT_CHECK), "each stage's images are finite and not flat: " + r);
            // loading builds the networks; the warm-up call (1, the quick profile's) ran the loop at least once
            assertTrue(Results.decimal(r, LOAD_SECONDS) > 0, r.toString());
            assertTrue(Results.decimal(r, WARMUP_SECONDS) > 0, r.toString());
        }
        Results.only(rows, "if", 1, "ts-profiling", "III");
        ResultRow kept = Results.only(rows, "if", 1, "ts-profiling", "II");
        ResultRow replaced = Results.only(rows, "sd-txt2img", 1, "eager", "");
        assertEquals(4, JsonParser.parseString(Files.readString(dir.resolve("cpu-smoke.jmh.json"))).getAsJsonArray().size());

        // Re-run one cell and add one: its row is replaced, the new one added, the others kept as they were.
        assertEquals(0, harness(csv, "--pipelines=sd-txt2img", "--batches=1,2", "--modes=eager", "--steps=3", "--remeasure"));
        List<ResultRow> merged = Results.read(csv);
        assertEquals(rows.size() + 1, merged.size());
        assertEquals(kept, Results.only(merged, "if", 1, "ts-profiling", "II"));
        ResultRow rerun = Results.only(merged, "sd-txt2img", 1, "eager", "");
        assertTrue(rerun.time().orElseThrow().compareTo(replaced.time().orElseThrow()) >= 0);
        assertTrue(!rerun.itsMean().equals(replaced.itsMean()) || !rerun.time().equals(replaced.time()),
                "the re-run cell's row is new");
        Results.only(merged, "sd-txt2img", 2, "eager", "");
        assertEquals(5, JsonParser.parseString(Files.readString(dir.resolve("cpu-smoke.jmh.json"))).getAsJsonArray().size());

        // The IF eager cell now runs out of memory: its one row replaces all three stage rows, in their place.
        System.setProperty(FaultInjection.OOM, "if:1:eager=load");
        assertEquals(0, harness(csv, "--pipelines=if", "--batches=1", "--modes=eager", "--steps=3", "--remeasure"));
        List<ResultRow> afterOom = Results.read(csv);
        assertEquals(merged.size() - 2, afterOom.size());
        ResultRow oom = Results.only(afterOom, "if", 1, "eager", "");
        assertEquals(Outcome.OOM_AT_LOAD, oom.outcome());
        assertEquals(merged.indexOf(Results.only(merged, "if", 1, "eager", "I")), afterOom.indexOf(oom));
        assertEquals(kept, Results.only(afterOom, "if", 1, "ts-profiling", "II"));
        assertEquals(4, JsonParser.parseString(Files.readString(dir.resolve("cpu-smoke.jmh.json"))).getAsJsonArray().size(),
                "the failed cell's JMH entry is gone too");
    }

    @Test
    void eachInjectedOomGivesItsOutcomeAndTheNextCellStillRuns() throws Exception {
        Path csv = dir.resolve("oom.csv");
        System.setProperty(FaultInjection.OOM,
                "sd-txt2img:1:eager=load;sd-txt2img:2:eager=warmup:1;sd-txt2img:3:eager=iteration:2");
        assertEquals(0, harness(csv, "--pipelines=sd-txt2img", "--batches=1,2,3,4", "--modes=eager", "--steps=2"));

        List<ResultRow> rows = Results.read(csv);
        assertEquals(4, rows.size());
        assertEquals("oom-at-load", Results.only(rows, "sd-txt2img", 1, "eager", "").outcome().id());
        ResultRow inWarmup = Results.only(rows, "sd-txt2img", 2, "eager", "");
        assertEquals("oom-in-warmup-1", inWarmup.outcome().id());
        assertTrue(Results.decimal(inWarmup, LOAD_SECONDS) > 0, "it loaded before it ran out of memory");
        assertTrue(inWarmup.get(WARMUP_SECONDS).isEmpty(), "the warm-up did not finish");
        assertTrue(Results.only(rows, "sd-txt2img", 1, "eager", "").get(LOAD_SECONDS).isEmpty(), "the load did not finish");
        assertEquals("oom-at-iteration-2", Results.only(rows, "sd-txt2img", 3, "eager", "").outcome().id());
        ResultRow ok = Results.only(rows, "sd-txt2img", 4, "eager", "");
        assertEquals(Outcome.OK, ok.outcome());
        assertTrue(Results.decimal(ok, ITS_MEAN) > 0);
        for (ResultRow r : rows.subList(0, 3)) {
            assertTrue(r.errorMessage().startsWith("ai.djl.engine.EngineException: CUDA out of memory"), r.errorMessage());
            assertTrue(r.itsMean().isEmpty(), "a failed cell has no figures");
        }
        // Only the finished cell is in JMH's JSON.
        assertEquals(1, JsonParser.parseString(Files.readString(dir.resolve("oom.jmh.json"))).getAsJsonArray().size());
    }

    @Test
    void aForkStuckInACallIsKilledAndRecordedAsTimeout() throws Exception {
        Path csv = dir.resolve("hang.csv");
        System.setProperty(FaultInjection.HANG, "sd-txt2img:1:eager=warmup:1");
        long start = System.nanoTime();
        // the timeout leaves the healthy cell (fork, load, three tiny calls: ~5 s alone) room on a busy machine
        assertEquals(0, harness(csv, "--pipelines=sd-txt2img", "--batches=1,2", "--modes=eager", "--steps=2", "--cell-timeout=30"));
        assertTrue((System.nanoTime() - start) / 1e9 < 150, "the watchdog, not JMH's 10-minute timeout, ended the cell");

        List<ResultRow> rows = Results.read(csv);
        ResultRow hung = Results.only(rows, "sd-txt2img", 1, "eager", "");
        assertEquals(Outcome.TIMEOUT, hung.outcome());
        assertTrue(hung.errorMessage().contains("warmup:1"), hung.errorMessage());
        assertEquals(Outcome.OK, Results.only(rows, "sd-txt2img", 2, "eager", "").outcome());
        assertEquals(1, harness(dir.resolve("hang2.csv"), "--pipelines=sd-txt2img", "--batches=1", "--modes=eager",
                "--steps=2", "--cell-timeout=8", "--fail-on-error"), "--fail-on-error turns a timeout into exit 1");
    }
}
