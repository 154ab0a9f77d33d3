package diffbench.jmh;

import diffbench.pipeline.CallResult;
import diffbench.pipeline.OutputCheck;
import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The fork's one record per cell: what the fork writes into its report file (phase marks, each
 * measured call's figures per stage) is what the harness reads back into the cell's rows.
 */
class ForkRecordTest {

    @TempDir
    Path dir;

    private static CallResult ifCall(double itsI, long peakBytes) {
        return new CallResult(List.of(
                new CallResult.StageTiming("I", 10, 11, 10 / itsI, 2_000_000_000_000L),
                new CallResult.StageTiming("II", 5, 5, 0.5, 0),
                new CallResult.StageTiming("III", 6, 6, 2.0, 3_000_000_000_000L)), 4.0, 0.25, peakBytes, 2 * peakBytes);
    }

    @Test
    void theHarnessReadsTheFiguresTheForkWrote() {
        Path file = dir.resolve("fork.json");
        ForkReport fork = ForkReport.at(file);
        fork.jvmStarted(500);
        fork.phase(Phase.LOAD);
        fork.phase(Phase.warmup(1));
        fork.phase(Phase.measured(1));
        fork.measured(CallFigures.of(ifCall(20, 3L << 20), Map.of("I", OutputCheck.OK, "II", OutputCheck.OK, "III", OutputCheck.OK)));
        fork.phase(Phase.measured(2));
        fork.measured(CallFigures.of(ifCall(40, 5L << 20), Map.of("I", OutputCheck.OK, "II", OutputCheck.FLAT)));
        fork.phase(Phase.DONE);

        ForkReport.Content read = ForkReport.read(file);
        assertEquals(Phase.DONE, read.phase());
        assertEquals(500L, read.jvmStartMillis);
        assertEquals(2, read.calls.size());
        assertEquals(read.mark(Phase.measured(1)), read.measuredWindow(Long.MAX_VALUE).orElseThrow().from());
        assertEquals(read.mark(Phase.DONE), read.measuredWindow(Long.MAX_VALUE).orElseThrow().to());
        assertNull(read.mark(Phase.measured(3)));

        HostEnvironment env = new HostEnvironment(Optional.empty(), "OpenJDK 17", "ci", "Xeon (2 CPUs)", "abc1234", "djl",
                new EngineVersions("2.7.1", "0.36.0", "", ""));
        List<ResultRow> rows = CellRows.of(env, new CellRows.Settings("quick", 1, 2, 0, "", "default"),
                new Cell("if", 1, "eager", "sdpa", "fp32", 10, true, "cpu"), CellOutcome.OK, read, Optional.empty());
        assertEquals(List.of("I", "II", "III"), rows.stream().map(r -> r.get(ResultColumn.STAGE)).toList(), "the pipeline's order");
        ResultRow first = rows.get(0);
        assertEquals("30", first.get(ResultColumn.ITS_MEAN));
        assertEquals("20", first.get(ResultColumn.ITS_MIN));
        assertEquals("40", first.get(ResultColumn.ITS_MAX));
        assertEquals("11", first.get(ResultColumn.UNET_CALLS_PER_IMAGE));
        assertEquals("4", first.get(ResultColumn.SECONDS_PER_CALL_MEAN));
        assertEquals("0.25", first.get(ResultColumn.OUTSIDE_LOOP_SECONDS));
        assertEquals("5", first.get(ResultColumn.PEAK_MEMORY_MIB), "the highest of the calls");
        assertEquals("10", first.get(ResultColumn.PEAK_RESERVED_MIB), "the highest reserved of the calls");
        assertEquals("0.25", first.get(ResultColumn.IMAGES_PER_SECOND), "batch 1 over 4 s per call");
        assertEquals("", first.get(ResultColumn.JOULES_PER_IMAGE), "no board power sampled");
        assertEquals("ok", first.get(ResultColumn.OUTPUT_CHECK));
        assertEquals("0", rows.get(1).get(ResultColumn.DENOISER_TFLOPS), "no FLOPs counted: 0 TFLOP/s");
        assertEquals("flat", rows.get(1).get(ResultColumn.OUTPUT_CHECK), "the worst of the calls");
        assertEquals("ok", rows.get(2).get(ResultColumn.OUTPUT_CHECK), "a call that checked nothing does not count");
        assertEquals("1.5", rows.get(2).get(ResultColumn.DENOISER_TFLOPS));
    }
}
