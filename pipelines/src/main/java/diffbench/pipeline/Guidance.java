package diffbench.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Classifier-free guidance: the UNet runs on [unconditional, conditional] halves of a doubled
 * batch and the prediction is uncond + scale · (cond − uncond).
 */
public final class Guidance {
    private Guidance() {
    }

    /** Two copies of a batch along dim 0: the UNet input under guidance. */
    public static NDArray doubled(NDArray x) {
        return x.concat(x, 0);
    }

    /** The guided prediction from a (2B, ...) output. */
    public static NDArray guided(NDArray prediction, double scale) {
        NDList halves = prediction.split(2, 0);
        NDArray uncond = halves.get(0);
        NDArray cond = halves.get(1);
        return uncond.add(cond.sub(uncond).mul(scale));
    }

    /**
     * DeepFloyd IF's variant: the UNet predicts noise and a variance in separate channel groups;
     * only the first {@code noiseChannels} are guided, the variance channels come from the
     * conditional half (as diffusers' IF pipelines do).
     */
    public static NDArray guidedWithLearnedVariance(NDArray prediction, double scale, int noiseChannels) {
        NDList halves = prediction.split(2, 0);
        NDList uncond = halves.get(0).split(new long[] {noiseChannels}, 1);
        NDList cond = halves.get(1).split(new long[] {noiseChannels}, 1);
        NDArray noise = uncond.get(0).add(cond.get(0).sub(uncond.get(0)).mul(scale));
        return noise.concat(cond.get(1), 1);
    }
}
