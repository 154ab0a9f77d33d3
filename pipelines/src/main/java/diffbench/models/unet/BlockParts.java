package diffbench.models.unet;

import diffbench.nn.AddedKvAttention;
import diffbench.nn.Downsample2D;
import diffbench.nn.Layer;
import diffbench.nn.LayerList;
import diffbench.nn.ResnetBlock2D;
import diffbench.nn.Transformer2DModel;
import diffbench.nn.Upsample2D;

/** What the three block classes share: calling an attention or a resampler, and their FLOPs. */
final class BlockParts {
    private BlockParts() {
    }

    /** An attention of a block: a Transformer2DModel or IF's added-KV attention, both {@code forward(x, context)}. */
    static long attentionFlops(Layer attention, long[] x, long contextTokens) {
        if (attention instanceof Transformer2DModel t) {
            return t.flops(x, contextTokens);
        }
        if (attention instanceof AddedKvAttention a) {
            return a.flops(x, contextTokens);
        }
        throw new IllegalArgumentException("not an attention block: " + attention.className());
    }

    /** The call of resampler 0 of list {@code list}: IF's resampling resnets take the time embedding too. */
    static String callResampler(String list, Layer resampler, String x) {
        return resampler instanceof ResnetBlock2D
                ? LayerList.callItem(list, 0, x, "temb")
                : LayerList.callItem(list, 0, x);
    }

    static long resamplerFlops(Layer resampler, long[] x) {
        if (resampler instanceof ResnetBlock2D r) {
            return r.flops(x);
        }
        if (resampler instanceof Downsample2D d) {
            return d.flops(x);
        }
        if (resampler instanceof Upsample2D u) {
            return u.flops(x);
        }
        throw new IllegalArgumentException("not a resampler: " + resampler.className());
    }

    static long[] resamplerOutput(Layer resampler, long[] x) {
        if (resampler instanceof ResnetBlock2D r) {
            return r.outputShape(x);
        }
        if (resampler instanceof Downsample2D d) {
            return d.outputShape(x);
        }
        if (resampler instanceof Upsample2D u) {
            return u.outputShape(x);
        }
        throw new IllegalArgumentException("not a resampler: " + resampler.className());
    }
}
