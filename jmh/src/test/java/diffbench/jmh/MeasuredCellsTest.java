package diffbench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import diffbench.schema.Outcome;
import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which earlier rows stand for a cell of this run: finished outcomes, every stage, same card, software and settings. */
class MeasuredCellsTest {

    private static final HostEnvironment H200 = new HostEnvironment(
            Optional.of(new NvidiaSmi.Gpu("NVIDIA H200", 143771, "580.1", "GPU-7d1c")), "17", "box", "cpu (16 CPUs)", "abc1234",
            "diffbench", new EngineVersions("2.11.0", "0.36.0", "", ""));
    private static final CellRows.Settings QUICK = new CellRows.Settings("quick", 2, 3, 0, "", "default");
    private static final Cell SD = new Cell("sd-txt2img", 1, "eager", "sdpa", "fp16", 5, false, "gpu");
    private static final Cell IF = new Cell("if", 4, "eager", "sdpa", "fp16", 5, false, "gpu");

    private static MeasuredCells measured(MeasuredCells.Remeasure remeasure) {
        return new MeasuredCells(remeasure, c -> CellRows.planned(H200, QUICK, c));
    }

    /** A row of the cell as this run would write it, ended as given. */
    private static ResultRow row(Cell cell, String outcome, String stage) {
        return CellRows.planned(H200, QUICK, cell).toBuilder().outcome(Outcome.parse(outcome)).set(ResultColumn.STAGE, stage).build();
    }

    private static List<Cell> missing(List<ResultRow> rows) {
        return measured(MeasuredCells.Remeasure.NONE).missing(List.of(SD, IF), rows);
    }

    @Test
    void finishedOutcomesCountTimeoutsAndMissingStagesDoNot() {
        assertEquals(List.of(SD, IF), missing(List.of()));
        assertEquals(List.of(IF), missing(List.of(row(SD, "ok", ""))));
        assertEquals(List.of(IF), missing(List.of(row(SD, "oom-in-warmup-1", ""))));
        assertEquals(List.of(IF), missing(List.of(row(SD, "error", ""))), "an error is where that cell ends");
        assertEquals(List.of(SD, IF), missing(List.of(row(SD, "timeout", ""))), "cut off mid-way: runs again");
        assertEquals(List.of(SD), missing(List.of(row(IF, "ok", "I"), row(IF, "ok", "II"), row(IF, "ok", "III"))));
        assertEquals(List.of(SD, IF), missing(List.of(row(IF, "ok", "I"), row(IF, "ok", "II"))), "stage III is missing");
        assertEquals(List.of(SD), missing(List.of(row(IF, "oom-at-load", ""))), "a failed IF cell writes one row");
    }

    @Test
    void rowsOfOtherSoftwareSettingsOrCardsDoNotCount() {
        ResultRow ok = row(SD, "ok", "");
        assertEquals(List.of(SD, IF), missing(List.of(ok.toBuilder().set(ResultColumn.LIBTORCH, "2.7.1").build())));
        assertEquals(List.of(SD, IF), missing(List.of(ok.toBuilder().set(ResultColumn.JNI, "djl").build())));
        assertEquals(List.of(SD, IF), missing(List.of(ok.toBuilder().set(ResultColumn.DJL, "0.35.0").build())));
        assertEquals(List.of(SD, IF), missing(List.of(ok.toBuilder().set(ResultColumn.MEASUREMENT_CALLS, 5).build())));
        assertEquals(List.of(SD, IF), missing(List.of(ok.toBuilder().set(ResultColumn.GPU_SLUG, "a100-sxm4-40gb").build())));
        assertEquals(List.of(SD, IF), missing(List.of(ok.toBuilder().set(ResultColumn.EMULATE, "t4")
                .set(ResultColumn.MEMORY_CAP_MIB, 15360).build())));
        assertEquals(List.of(IF), missing(List.of(ok.toBuilder().set(ResultColumn.GIT_COMMIT, "fedcba9")
                .set(ResultColumn.TIME, "2026-01-01T00:00:00Z").build())), "a newer commit alone does not re-measure");
    }

    @Test
    void remeasureRunsFinishedCellsAgain() {
        List<ResultRow> rows = List.of(row(SD, "error", ""), row(IF, "ok", "I"), row(IF, "ok", "II"), row(IF, "ok", "III"));
        assertEquals(List.of(SD, IF), measured(MeasuredCells.Remeasure.ALL).missing(List.of(SD, IF), rows));
        assertEquals(List.of(SD), measured(MeasuredCells.Remeasure.ERROR).missing(List.of(SD, IF), rows));
        assertEquals(MeasuredCells.Remeasure.ALL, MeasuredCells.Remeasure.parse("true"));
        assertEquals(MeasuredCells.Remeasure.NONE, MeasuredCells.Remeasure.parse(null));
        assertEquals(MeasuredCells.Remeasure.ERROR, MeasuredCells.Remeasure.parse("error"));
        assertThrows(IllegalArgumentException.class, () -> MeasuredCells.Remeasure.parse("yes please"));
    }
}
