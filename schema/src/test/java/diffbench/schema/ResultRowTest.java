package diffbench.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultRowTest {

    @Test
    void columnsAreInFileOrderWithTheDocumentedNames() {
        String[] headers = ResultColumn.headers();
        assertEquals("schema_version", headers[0]);
        assertEquals("joules_per_image", headers[headers.length - 1]);
        assertEquals(58, headers.length);
        // columns added later come after every older one, so an older file is a prefix of the header
        for (int i = 1; i < headers.length; i++) {
            assertTrue(ResultColumn.values()[i - 1].since() <= ResultColumn.values()[i].since(), headers[i]);
        }
        assertEquals(List.of("gpu_slug", "runtime", "libtorch", "jni", "device", "pipeline", "batch", "mode",
                "attention", "dtype", "model_size", "steps", "memory_cap_mib", "emulate", "compiler_options"),
                ResultColumn.CELL_KEY.stream().map(ResultColumn::header).toList());
        assertEquals(headers.length, Arrays.stream(headers).distinct().count(), "names are unique");
    }

    @Test
    void builderStampsTheSchemaVersionAndTypedGettersParse() {
        ResultRow r = ResultRows.row("sd-txt2img", 4, "compiled").set(ResultColumn.ITS_STDDEV, 0.25).build();
        assertEquals(ResultColumn.SCHEMA_VERSION, r.schemaVersion());
        assertEquals(4, r.batch());
        assertEquals(21.5, r.itsMean().getAsDouble());
        assertEquals(0.25, r.itsStddev().getAsDouble());
        assertTrue(r.peakMemoryMib().isEmpty(), "an empty number is 'not measured'");
        assertEquals("", r.stage());
        assertTrue(r.outcome().isOk());
        assertTrue(r.problems().isEmpty(), r.problems().toString());
    }

    @Test
    void cellKeyIgnoresMeasurementsEnvironmentAndStageButNotCellParameters() {
        ResultRow a = ResultRows.row("if", 1, "eager").set(ResultColumn.STAGE, "I").set(ResultColumn.RESOLUTION, "64x64").build();
        ResultRow rerun = a.toBuilder().set(ResultColumn.ITS_MEAN, 30).set(ResultColumn.HOST, "other")
                .set(ResultColumn.TIME, "2026-11-27T00:00:00Z").build();
        ResultRow stageTwo = a.toBuilder().set(ResultColumn.STAGE, "II").set(ResultColumn.RESOLUTION, "256x256").build();
        ResultRow failed = a.toBuilder().set(ResultColumn.STAGE, "").outcome(Outcome.OOM_AT_LOAD).build();
        assertEquals(a.cellKey(), rerun.cellKey());
        assertEquals(a.cellKey(), stageTwo.cellKey(), "the stages of one IF run are one cell");
        assertEquals(a.cellKey(), failed.cellKey(), "a failed IF run (no stage) is the same cell");
        for (ResultColumn c : List.of(ResultColumn.MEMORY_CAP_MIB, ResultColumn.GPU_SLUG, ResultColumn.LIBTORCH)) {
            assertNotEquals(a.cellKey(), a.toBuilder().set(c, "1").build().cellKey(), c.header());
        }
    }

    @Test
    void problemsNameTheColumn() {
        ResultRow bad = ResultRows.row("sd-txt2img", 1, "eager").set(ResultColumn.ITS_MEAN, "fast")
                .set(ResultColumn.OUTCOME, "OOM").set(ResultColumn.TIME, "yesterday").build();
        List<String> problems = bad.problems();
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("column outcome: unknown outcome 'OOM'"), problems.get(0));
        assertEquals("column its_mean: 'fast' is not a number", problems.get(1));
        assertTrue(problems.get(2).startsWith("column time:"), problems.get(2));
    }
}
