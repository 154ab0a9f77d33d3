package diffbench.pipeline;

import diffbench.schedulers.StepCounting;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The inputs of a pipeline call beyond the benchmark cell: the prompt, an image and mask for
 * img2img / inpaint / ControlNet (deterministic built-ins otherwise), where the images go, and
 * how PNDM counts its steps.
 *
 * @param counting {@link StepCounting#BENCHMARK} reproduces the published benchmark (PNDM with 50
 *     steps calls the UNet 51 times; img2img at strength 0.8 runs 41 calls from t=801);
 *     {@link StepCounting#PLAIN} is one UNet call per step
 */
public record PipelineOptions(String prompt, Optional<Path> image, Optional<Path> mask, ImageSink images,
                              StepCounting counting) {

    /** The benchmark's prompt and defaults. */
    public static final String BENCHMARK_PROMPT = "ghibli style, a fantasy landscape with castles";

    public static PipelineOptions defaults() {
        return new PipelineOptions(BENCHMARK_PROMPT, Optional.empty(), Optional.empty(), ImageSink.NONE,
                StepCounting.BENCHMARK);
    }
}
