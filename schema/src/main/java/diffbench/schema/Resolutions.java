package diffbench.schema;

/**
 * Output sizes of each pipeline (square, pixels): the checkpoints' defaults, and a small size for
 * the tiny configs (tests and CPU smoke runs) that keeps every network's down/up-sampling exact.
 */
public final class Resolutions {
    private Resolutions() {
    }

    /** Pixels of a single-stage pipeline's images. */
    public static int pixels(PipelineId id, boolean tiny) {
        return switch (id) {
            case SD_TXT2IMG, SD_IMG2IMG, SD_INPAINT, SD_CONTROLNET -> tiny ? 64 : 512;
            case SDXL_TXT2IMG -> tiny ? 64 : 1024;
            case IF -> ifStage(3, tiny);
        };
    }

    /** Pixels of IF stage 1 (64), 2 (256) and 3 (x4 of stage I's 64: 256, as the benchmark feeds it). */
    public static int ifStage(int stage, boolean tiny) {
        int base = tiny ? 16 : 64;
        return switch (stage) {
            case 1 -> base;
            case 2, 3 -> 4 * base;
            default -> throw new IllegalArgumentException("IF has stages 1 to 3, not " + stage);
        };
    }

    /** The resolution as the results CSV writes it, per stage for IF ({@code ""}, I, II, III). */
    public static String label(PipelineId id, String stage, boolean tiny) {
        int px = switch (stage) {
            case "I" -> ifStage(1, tiny);
            case "II" -> ifStage(2, tiny);
            case "III" -> ifStage(3, tiny);
            default -> pixels(id, tiny);
        };
        return px + "x" + px;
    }
}
