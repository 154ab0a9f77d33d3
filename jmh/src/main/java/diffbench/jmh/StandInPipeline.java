package diffbench.jmh;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import diffbench.pipeline.BenchmarkPipeline;
import diffbench.pipeline.CallResult;
import diffbench.pipeline.CallResult.StageTiming;
import diffbench.pipeline.PipelineId;
import diffbench.pipeline.PipelineSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * STAND-IN, TO BE REPLACED by {@code diffbench.pipeline.Pipelines.open} (see {@link PipelineOpener}).
 *
 * <p>Real engine work with the shape of a pipeline call, so the harness runs end to end before the
 * real pipelines exist: a "text encoder" matmul, a denoising loop of `steps` matmul+tanh updates on a
 * latent sized by batch (doubled, as classifier-free guidance does), a "decoder" matmul. The IF
 * pipeline has three stages at batch 1 and only stage I otherwise, as diffusers' benchmark runs it.
 * Not a network: its figures mean nothing beyond "the harness measured real DJL calls".
 */
final class StandInPipeline implements BenchmarkPipeline {

    private final NDManager manager;
    private final PipelineSpec spec;
    private final NDArray weight;
    private final int tokens;
    private final int channels;

    private StandInPipeline(PipelineSpec spec) {
        this.spec = spec;
        this.tokens = spec.tiny() ? 1024 : 4096;
        this.channels = spec.tiny() ? 128 : 320;
        Device device = spec.device() == PipelineSpec.DeviceKind.gpu ? Device.gpu() : Device.cpu();
        this.manager = NDManager.newBaseManager(device);
        this.weight = manager.randomNormal(new Shape(channels, channels)).div(Math.sqrt(channels)).toType(dataType(), false);
    }

    static BenchmarkPipeline open(PipelineSpec spec) {
        return new StandInPipeline(spec);
    }

    /** CPU kernels for half types are slow or missing; the stand-in keeps CPU runs in fp32. */
    private DataType dataType() {
        if (spec.device() == PipelineSpec.DeviceKind.cpu) {
            return DataType.FLOAT32;
        }
        return switch (spec.dtype()) {
            case fp16 -> DataType.FLOAT16;
            case bf16 -> DataType.BFLOAT16;
            case fp32 -> DataType.FLOAT32;
        };
    }

    @Override
    public CallResult call() {
        long start = System.nanoTime();
        List<StageTiming> stages = new ArrayList<>();
        List<String> names = spec.pipelineId() == PipelineId.IF
                ? (spec.batch() == 1 ? List.of("I", "II", "III") : List.of("I"))
                : List.of("");
        double loops = 0;
        try (NDScope scope = new NDScope()) {
            NDArray latent = manager.randomNormal(new Shape(2L * spec.batch(), tokens, channels)).toType(dataType(), false);
            latent = latent.matMul(weight); // "text encoder"
            sync(latent);
            for (String name : names) {
                long loopStart = System.nanoTime();
                for (int s = 0; s < spec.steps(); s++) {
                    latent = step(latent);
                }
                sync(latent);
                double loopSeconds = (System.nanoTime() - loopStart) / 1e9;
                loops += loopSeconds;
                stages.add(new StageTiming(name, spec.steps(), loopSeconds));
            }
            sync(latent.matMul(weight)); // "decoder"
            scope.suppressNotUsedWarning();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new CallResult(stages, seconds, seconds - loops, -1);
    }

    /** One "denoising step"; its temporaries are freed at once so memory stays flat over steps. */
    private NDArray step(NDArray latent) {
        try (NDScope step = new NDScope()) {
            NDArray next = latent.matMul(weight).tanh().mul(0.1f).add(latent);
            NDScope.unregister(next);
            return next;
        }
    }

    /** Reading one value waits for the device, as the real pipelines synchronise the GPU. */
    private static void sync(NDArray a) {
        a.get(0).get(0).get(0).toType(DataType.FLOAT32, false).getFloat();
    }

    @Override
    public void close() {
        manager.close();
    }
}
