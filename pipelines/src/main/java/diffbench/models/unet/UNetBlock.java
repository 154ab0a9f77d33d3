package diffbench.models.unet;

import diffbench.models.ModelLayer;
import diffbench.nn.AddedKvAttention;
import diffbench.nn.Downsample2D;
import diffbench.nn.Layer;
import diffbench.nn.LayerList;
import diffbench.nn.ResnetBlock2D;
import diffbench.nn.Transformer2DModel;
import diffbench.nn.Upsample2D;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;

import static diffbench.torchscript.code.Torch.var;

/**
 * What the down, mid and up blocks share: resnets, attention j following resnet j (all of them, none,
 * or the mid block's one), an optional resampler after them, registered under diffusers' names, and
 * a class named after the block type and its children.
 */
abstract class UNetBlock extends ModelLayer {
    private final BlockType type;
    protected final List<ResnetBlock2D> resnets;
    protected final List<Layer> attentions;
    private final String resamplerList;
    protected final Layer resampler;

    /**
     * @param resamplerList the resampler's state_dict list ({@code downsamplers}, {@code upsamplers})
     * @param resampler a Downsample2D, an Upsample2D, a resampling ResnetBlock2D, or null
     */
    UNetBlock(BlockType type, List<ResnetBlock2D> resnets, List<Layer> attentions, String resamplerList, Layer resampler) {
        this.type = type;
        this.resnets = List.copyOf(resnets);
        this.attentions = List.copyOf(attentions);
        this.resamplerList = resamplerList;
        this.resampler = resampler;
        // state_dict order as diffusers registers them: attentions, resnets, resamplers
        if (!attentions.isEmpty()) {
            child("attentions", new LayerList<>(attentions));
        }
        child("resnets", new LayerList<>(resnets));
        if (resampler != null) {
            child(resamplerList, new LayerList<>(List.of(resampler)));
        }
    }

    /** A block without resampler (the mid block). */
    UNetBlock(BlockType type, List<ResnetBlock2D> resnets, List<Layer> attentions) {
        this(type, resnets, attentions, null, null);
    }

    /** Down and up blocks follow every resnet with an attention, or none. */
    static void requireAttentionPerResnet(BlockType type, List<ResnetBlock2D> resnets, List<Layer> attentions) {
        if (!attentions.isEmpty() && attentions.size() != resnets.size()) {
            throw new IllegalArgumentException(type + ": " + attentions.size() + " attentions for " + resnets.size() + " resnets");
        }
    }

    @Override
    public final String className() {
        return ClassNames.unique(type.diffusersName(), this);
    }

    /** The blocks' method arguments: the input, the time embedding and the text. */
    protected static final Var TEMB = var("temb");
    protected static final Var CONTEXT = var("context");

    /** Writes {@code out = resnet j(in, temb)}, then {@code out = attention j(out, context)} if it has one; returns out. */
    protected final Var callResnetAndAttention(Body body, int j, String out, Expr in) {
        Var h = body.let(out, LayerList.callItem("resnets", j, in, TEMB));
        return j < attentions.size() ? body.let(out, LayerList.callItem("attentions", j, h, CONTEXT)) : h;
    }

    /** The resampler's call on {@code x}: IF's resampling resnets take the time embedding too. */
    protected final Expr callResampler(Expr x) {
        return resampler instanceof ResnetBlock2D
                ? LayerList.callItem(resamplerList, 0, x, TEMB)
                : LayerList.callItem(resamplerList, 0, x);
    }

    /** FLOPs for an NCHW input (an up block's resnets count their own, concatenated, input width). */
    public final long flops(long[] x, long contextTokens) {
        long f = 0;
        long[] h = x;
        for (int j = 0; j < resnets.size(); j++) {
            f += resnets.get(j).flops(h);
            h = resnets.get(j).outputShape(h);
            if (j < attentions.size()) {
                f += attentionFlops(attentions.get(j), h, contextTokens);
            }
        }
        return resampler == null ? f : f + resamplerFlops(resampler, h);
    }

    /** An attention of a block: a Transformer2DModel or IF's added-KV attention, both {@code forward(x, context)}. */
    private static long attentionFlops(Layer attention, long[] x, long contextTokens) {
        if (attention instanceof Transformer2DModel t) {
            return t.flops(x, contextTokens);
        }
        if (attention instanceof AddedKvAttention a) {
            return a.flops(x, contextTokens);
        }
        throw new IllegalArgumentException("not an attention block: " + attention.className());
    }

    private static long resamplerFlops(Layer resampler, long[] x) {
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

    /** The resampler's output shape for input shape x. */
    protected final long[] resamplerOutput(long[] x) {
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
