package diffbench.schema;

import static diffbench.schema.ResultRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Images per second and joules per image: one definition, read from the columns or computed for older rows. */
class ImageThroughputTest {

    @Test
    void batchOverSecondsAndPowerTimesSecondsOverBatch() {
        // batch 4 in 2.5 s per call at 600 W: 1.6 images/s, 375 J each
        assertEquals(1.6, ImageThroughput.imagesPerSecond(4, 2.5).getAsDouble(), 1e-12);
        assertEquals(375, ImageThroughput.joulesPerImage(OptionalDouble.of(600), 2.5, 4).getAsDouble(), 1e-9);
        assertTrue(ImageThroughput.joulesPerImage(OptionalDouble.empty(), 2.5, 4).isEmpty(), "no power sample, no energy");
        assertTrue(ImageThroughput.imagesPerSecond(0, 2.5).isEmpty(), "a row without a batch has no rate");
    }

    @Test
    void aCurrentRowIsReadFromItsColumns() {
        // the columns win over what the row's rounded seconds would give: they were computed unrounded
        ResultRow r = row("sd-txt2img", 4, "eager").set(ResultColumn.SECONDS_PER_CALL_MEAN, 2.5)
                .set(ResultColumn.GPU_POWER_W, 600).set(ResultColumn.IMAGES_PER_SECOND, 1.60001)
                .set(ResultColumn.JOULES_PER_IMAGE, 374.99).build();
        assertEquals(1.60001, ImageThroughput.imagesPerSecond(r).getAsDouble());
        assertEquals(374.99, ImageThroughput.joulesPerImage(r).getAsDouble());
    }

    @Test
    void aCurrentRowWithoutPowerHasNoEnergy() {
        ResultRow r = row("sd-txt2img", 4, "eager").set(ResultColumn.SECONDS_PER_CALL_MEAN, 2.5)
                .set(ResultColumn.IMAGES_PER_SECOND, 1.6).build();
        assertTrue(ImageThroughput.joulesPerImage(r).isEmpty());
    }

    @Test
    void olderRowsAreComputedFromTheirColumns() {
        ResultRow r = row("sd-txt2img", 4, "eager").set(ResultColumn.SCHEMA_VERSION_COLUMN, 3)
                .set(ResultColumn.SECONDS_PER_CALL_MEAN, 2.5).set(ResultColumn.GPU_POWER_W, 600).build();
        assertEquals(1.6, ImageThroughput.imagesPerSecond(r).getAsDouble(), 1e-12);
        assertEquals(375, ImageThroughput.joulesPerImage(r).getAsDouble(), 1e-9);
        ResultRow cpu = row("sd-txt2img", 4, "eager").set(ResultColumn.SCHEMA_VERSION_COLUMN, 4)
                .set(ResultColumn.SECONDS_PER_CALL_MEAN, 2.5).build();
        assertTrue(ImageThroughput.joulesPerImage(cpu).isEmpty(), "no power sampled");
    }
}
