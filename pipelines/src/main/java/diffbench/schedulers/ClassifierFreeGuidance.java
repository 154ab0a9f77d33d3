package diffbench.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * The guidance arithmetic between the UNet and the scheduler step: the UNet ran on the batch
 * [unconditional; conditional] (2B first), and the guided prediction is
 * uncond + scale (cond - uncond), in the prediction's dtype. Results belong to the manager of the
 * UNet output; temporaries are closed. One instance per pipeline (it holds a CPU manager for the
 * scale, so GPU arrays need no host-to-device copy); close it with the pipeline.
 */
public final class ClassifierFreeGuidance implements AutoCloseable {
    private final Scratch.HostScalars host = new Scratch.HostScalars();
    private final double scale;

    /** @param scale guidance_scale: 7.5 for the SD 1.5 rows, 5.0 SDXL, 7.0 IF I, 4.0 IF II, 9.0 x4 */
    public ClassifierFreeGuidance(double scale) {
        this.scale = scale;
    }

    public double scale() {
        return scale;
    }

    /** (2B, C, H, W) to (B, C, H, W). */
    public NDArray apply(NDArray noisePred) {
        try (Scratch s = host.scratch()) {
            NDList halves = noisePred.split(2, 0);
            NDArray uncond = s.keep(halves.get(0));
            NDArray cond = s.keep(halves.get(1));
            NDArray guided = s.sub(cond, uncond);
            guided.muli(s.scalar(scale)).addi(uncond);
            return s.handOver(guided, noisePred);
        }
    }

    /**
     * DeepFloyd IF: the UNet predicts 2C channels (noise, then variance); the first {@code channels}
     * are guided, the variance channels are taken from the conditional half, and both are
     * concatenated again for the DDPM step.
     */
    public NDArray applyWithLearnedVariance(NDArray noisePred, long channels) {
        try (Scratch s = host.scratch()) {
            NDList halves = noisePred.split(2, 0);
            NDArray uncond = s.keep(halves.get(0));
            NDArray cond = s.keep(halves.get(1));
            NDList u = uncond.split(new long[] {channels}, 1);
            NDList c = cond.split(new long[] {channels}, 1);
            s.keep(u.get(1));
            NDArray uncondNoise = s.keep(u.get(0));
            NDArray condNoise = s.keep(c.get(0));
            NDArray variance = s.keep(c.get(1));
            NDArray guided = s.sub(condNoise, uncondNoise);
            guided.muli(s.scalar(scale)).addi(uncondNoise);
            return Scratch.attachTo(NDArrays.concat(new NDList(guided, variance), 1), noisePred);
        }
    }

    /** Coefficient tensors alive in the host manager (0 between calls). */
    int liveHostArrays() {
        return host.liveArrays();
    }

    @Override
    public void close() {
        host.close();
    }
}
