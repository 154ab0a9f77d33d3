package diffbench.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * A cheap sanity check of a call's output images, so a fast but broken cell (fp16 overflow to
 * NaN, a CUDA graph replaying stale buffers into a blank image) does not pass for a result: two
 * reductions on the device and two scalars back, after the images exist.
 */
public enum OutputCheck {
    /** Finite and not constant. */
    OK("ok", 1),
    /** Finite but one value everywhere. */
    FLAT("flat", 0),
    /** NaN or infinity somewhere. */
    NON_FINITE("non-finite", -1);

    private final String id;
    private final int score;

    OutputCheck(String id, int score) {
        this.id = id;
        this.score = score;
    }

    public static OutputCheck of(NDArray images) {
        try (NDArray bad = images.isNaN().logicalOr(images.isInfinite()).any();
             NDArray max = images.max();
             NDArray min = images.min()) {
            if (bad.getBoolean()) {
                return NON_FINITE;
            }
            return max.toType(DataType.FLOAT32, false).getFloat()
                    > min.toType(DataType.FLOAT32, false).getFloat() ? OK : FLAT;
        }
    }

    /** The results CSV's word. */
    public String id() {
        return id;
    }

    /** As a number, worse lower: the worst of several calls is their minimum. */
    public int score() {
        return score;
    }

    public static OutputCheck fromScore(double score) {
        return score >= 1 ? OK : score >= 0 ? FLAT : NON_FINITE;
    }

    /** The stage rows an output image belongs to: {@code if-stage2} is IF's stage II; others have none. */
    public static String stageOf(String imageName) {
        return switch (imageName) {
            case "if-stage1" -> "I";
            case "if-stage2" -> "II";
            case "if-stage3" -> "III";
            default -> "";
        };
    }
}
