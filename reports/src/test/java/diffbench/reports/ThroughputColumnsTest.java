package diffbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import diffbench.schema.Outcome;
import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rows since schema 5 carry images per second and joules per image: the report reads them; older rows it computes. */
class ThroughputColumnsTest {

    private static ResultRow.Builder row(int schema) {
        // batch 4 in 2.5 s per call at 600 W: 1.6 images/s, 375 J each
        return ResultRow.builder().set(ResultColumn.SCHEMA_VERSION_COLUMN, schema).set(ResultColumn.RUNTIME, "diffbench")
                .set(ResultColumn.BATCH, 4).outcome(Outcome.OK).set(ResultColumn.SECONDS_PER_CALL_MEAN, 2.5)
                .set(ResultColumn.GPU_POWER_W, 600);
    }

    @Test
    void theColumnsAreReadWherePresent() {
        // the harness computed them from the unrounded mean call: the table shows what the file says
        ResultRow current = row(5).set(ResultColumn.IMAGES_PER_SECOND, 1.74).set(ResultColumn.JOULES_PER_IMAGE, 412).build();
        assertEquals("1.7 img/s · 412 J/img", CellText.throughput(Optional.of(current)).text());
        assertEquals("1.7 img/s", CellText.throughput(Optional.of(row(5).set(ResultColumn.IMAGES_PER_SECOND, 1.74)
                .set(ResultColumn.GPU_POWER_W, null).build())).text(), "no power sampled: no energy");
    }

    @Test
    void olderRowsAreComputedFromTheirColumns() {
        assertEquals("1.6 img/s · 375 J/img", CellText.throughput(Optional.of(row(4).build())).text());
    }
}
