package diffbench.pipeline;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One benchmark cell's pipeline configuration: which pipeline, at which batch size, how the engine
 * runs it. The harness builds one per cell; the CLI builds one per `diffbench run`.
 *
 * @param pipelineId one of {@link PipelineId}'s ids (`sd-txt2img`, ...)
 * @param batch images per prompt (the UNet sees 2 x batch under classifier-free guidance)
 * @param mode the engine mode (DESIGN.md section 5): eager, compiled (AOTInductor), ts-profiling or cuda-graph
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
        Precision dtype,
        int steps,
        boolean tiny,
        DeviceKind device,
        Optional<Path> weights) {

    /** Engine settings; {@link #id()} is the name in CSV rows and on command lines. */
    public enum Mode {
        eager("eager"),
        /** Denoisers as AOTInductor packages (+ CUDA-graph replay on a GPU): diffbench.runtime.InductorMode. */
        compiled("compiled"),
        /** TorchScript's profiling executor (fusion) + cuDNN autotune; rows before schema 4 called it compiled. */
        tsProfiling("ts-profiling"),
        /** ts-profiling, plus every denoiser call captured once into a CUDA graph and replayed (diffbench's JNI, CUDA). */
        cudaGraph("cuda-graph");

        private final String id;

        Mode(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** Whether the graph executor optimises and cuDNN autotunes (the TorchScript modes ts-profiling and cuda-graph). */
        public boolean optimizes() {
            return this == tsProfiling || this == cudaGraph;
        }

        /** The row's compiler: what produced the denoiser code this mode runs. */
        public String compiler() {
            return switch (this) {
                case eager -> "none";
                case compiled -> diffbench.runtime.InductorMode.COMPILER;
                case tsProfiling, cudaGraph -> "torchscript-profiling";
            };
        }

        public static Mode fromId(String id) {
            for (Mode m : values()) {
                if (m.id.equals(id)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown mode '" + id + "': use eager, compiled, ts-profiling or cuda-graph");
        }

        @Override
        public String toString() {
            return id;
        }
    }

    public enum Attention { sdpa, math }

    public enum Precision { fp16, bf16, fp32 }

    public enum DeviceKind { cpu, gpu }
}
