package diffbench.pipeline;

/** Opens the pipeline a cell names: loads its networks on the device in the cell's mode. */
public final class Pipelines {
    private Pipelines() {
    }

    public static BenchmarkPipeline open(PipelineSpec spec) {
        return open(spec, PipelineOptions.defaults());
    }

    /**
     * @throws IllegalArgumentException for a batch or step count below 1
     * @throws ai.djl.engine.EngineException from the engine, e.g. CUDA out of memory while loading
     */
    public static BenchmarkPipeline open(PipelineSpec spec, PipelineOptions options) {
        if (spec.batch() < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + spec.batch());
        }
        if (spec.steps() < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + spec.steps());
        }
        PipelineSession session = new PipelineSession(spec, options.images());
        try {
            return switch (spec.pipelineId()) {
                case SD_TXT2IMG -> new SdTxt2Img(session, options);
                case SD_IMG2IMG -> new SdImg2Img(session, options);
                case SD_INPAINT -> new SdInpaint(session, options);
                case SD_CONTROLNET -> new SdControlNet(session, options);
                case IF -> new IfCascade(session, options);
                case SDXL_TXT2IMG -> new SdxlTxt2Img(session, options);
            };
        } catch (RuntimeException | Error e) {
            session.close();
            throw e;
        }
    }
}
