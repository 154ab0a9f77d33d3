package diffbench.schema;

import java.util.OptionalDouble;

/**
 * Whole pipeline calls as a serving cost, defined once for the harness, the report and (ported) the
 * peer: images per second is the batch over the seconds per call; joules per image is the mean board
 * power over the same calls times the seconds per call, over the batch. Rows since schema 5 carry both
 * ({@link ResultColumn#IMAGES_PER_SECOND}, {@link ResultColumn#JOULES_PER_IMAGE}); for older rows
 * they follow from the columns those rows have.
 */
public final class ImageThroughput {
    private ImageThroughput() {
    }

    /** Images per second of calls that took {@code secondsPerCall} for {@code batch} images; empty unless both are positive. */
    public static OptionalDouble imagesPerSecond(int batch, double secondsPerCall) {
        return batch > 0 && secondsPerCall > 0 ? OptionalDouble.of(batch / secondsPerCall) : OptionalDouble.empty();
    }

    /** Joules per image at {@code watts} mean board power; empty without a power sample or a positive batch. */
    public static OptionalDouble joulesPerImage(OptionalDouble watts, double secondsPerCall, int batch) {
        return watts.isPresent() && batch > 0 && secondsPerCall > 0
                ? OptionalDouble.of(watts.getAsDouble() * secondsPerCall / batch) : OptionalDouble.empty();
    }

    /** The row's images per second: its column, or for rows before schema 5 from batch and seconds_per_call_mean. */
    public static OptionalDouble imagesPerSecond(ResultRow row) {
        OptionalDouble recorded = row.decimal(ResultColumn.IMAGES_PER_SECOND);
        if (recorded.isPresent() || row.schemaVersion() >= 5) {
            return recorded;
        }
        OptionalDouble seconds = row.secondsPerCallMean();
        return seconds.isPresent() ? imagesPerSecond(row.batch(), seconds.getAsDouble()) : OptionalDouble.empty();
    }

    /** The row's joules per image: its column, or for rows before schema 5 from gpu_power_w, seconds per call and batch. */
    public static OptionalDouble joulesPerImage(ResultRow row) {
        OptionalDouble recorded = row.decimal(ResultColumn.JOULES_PER_IMAGE);
        if (recorded.isPresent() || row.schemaVersion() >= 5) {
            return recorded;
        }
        OptionalDouble seconds = row.secondsPerCallMean();
        return seconds.isPresent() ? joulesPerImage(row.decimal(ResultColumn.GPU_POWER_W), seconds.getAsDouble(), row.batch())
                : OptionalDouble.empty();
    }
}
