package diffbench.pipeline;

import diffbench.schema.Attention;
import diffbench.schema.DeviceKind;
import diffbench.schema.Dtype;
import diffbench.schema.Mode;
import diffbench.schema.PipelineId;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One benchmark cell's pipeline configuration: which pipeline, at which batch size, how the engine
 * runs it. The harness builds one per cell; the CLI builds one per `diffbench run`.
 *
 * @param pipelineId one of {@link PipelineId}'s ids (`sd-txt2img`, ...)
 * @param batch images per prompt (the UNet sees 2 x batch under classifier-free guidance)
 * @param mode the engine mode (docs/design.md §3): eager, compiled (AOTInductor), ts-profiling or cuda-graph
 * @param attention sdpa or math
 * @param dtype fp16, bf16 or fp32 weights and activations
 * @param steps denoising steps (the pipelines' defaults are 50)
 * @param tiny tiny configs of every network (tests and CPU smoke runs)
 * @param device cpu or gpu
 * @param weights a local diffusers folder with real weights; empty means seeded synthetic weights
 */
public record PipelineSpec(
        PipelineId pipelineId,
        int batch,
        Mode mode,
        Attention attention,
        Dtype dtype,
        int steps,
        boolean tiny,
        DeviceKind device,
        Optional<Path> weights) {
}
