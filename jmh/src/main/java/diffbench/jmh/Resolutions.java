package diffbench.jmh;

/**
 * Output resolution of a pipeline (stage), for the row. The defaults are diffusers'
 * (architectures.md); the tiny size is the stand-in's. TODO(pipelines): take both from the lead's
 * model configs when they land.
 */
final class Resolutions {

    private Resolutions() {}

    /** @param stage "" for single-stage pipelines (and for a failed IF cell: all its stages) */
    static String of(String pipeline, String stage, boolean tiny) {
        if (tiny) {
            return "64x64";
        }
        return switch (pipeline) {
            case "sdxl-txt2img" -> "1024x1024";
            case "if" -> switch (stage) {
                case "I" -> "64x64";
                case "II" -> "256x256";
                case "III" -> "1024x1024";
                default -> "64x64/256x256/1024x1024";
            };
            default -> "512x512";
        };
    }
}
