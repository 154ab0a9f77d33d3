package diffbench.schema;

/** Test rows with a plausible environment, so tests only spell out what they are about. */
final class ResultRows {
    private ResultRows() {
    }

    static ResultRow.Builder row(String pipeline, int batch, String mode) {
        return ResultRow.builder()
                .set(ResultColumn.GPU_SLUG, "h200").set(ResultColumn.GPU_NAME, "NVIDIA H200")
                .set(ResultColumn.GPU_MEMORY_MIB, 143771).set(ResultColumn.LIBTORCH, "2.7.1")
                .set(ResultColumn.DJL, "0.36.0").set(ResultColumn.JNI, "djl")
                .set(ResultColumn.TIME, "2026-11-26T10:00:00Z").set(ResultColumn.RUNTIME, "diffbench")
                .set(ResultColumn.DEVICE, "gpu").set(ResultColumn.PIPELINE, pipeline)
                .set(ResultColumn.BATCH, batch).set(ResultColumn.MODE, mode)
                .set(ResultColumn.ATTENTION, "sdpa").set(ResultColumn.DTYPE, "fp16")
                .set(ResultColumn.MODEL_SIZE, "full").set(ResultColumn.STEPS, 50)
                .set(ResultColumn.RESOLUTION, "512x512").set(ResultColumn.PROFILE, "full")
                .outcome(Outcome.OK).set(ResultColumn.ITS_MEAN, 21.5);
    }
}
