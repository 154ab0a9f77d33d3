package diffbench.models.unet;

import diffbench.nn.AddedKvAttention;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Downsample2D;
import diffbench.nn.Layer;
import diffbench.nn.ResnetBlock2D;
import diffbench.nn.Transformer2DModel;
import diffbench.nn.Upsample2D;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Builds the down, mid and up blocks of a UNet2DConditionModel config with diffusers' channel
 * bookkeeping: the one place that turns config values into blocks, shared by the UNet and the
 * ControlNet (whose encoder half is the UNet's).
 *
 * <p>Down block i maps boc[i-1] (boc[0] for i = 0) to boc[i] with layers_per_block[i] resnets and
 * downsamples except at the last level. Up block i (reversed lists) has layers_per_block+1 resnets;
 * resnet j takes (j == 0 ? the previous up block's width : its own) + the skip's width, the last
 * skip coming from one level lower. Up blocks upsample except the last.
 *
 * <p>norm_num_groups reaches every GroupNorm as diffusers passes it (resnet_groups): the resnets', the
 * Transformer2D norms' and IF attention's group_norm; only IF attention's norm_cross keeps 32.
 */
public final class UNetBlocks {
    private final UNet2DConditionConfig c;
    private final AttentionKernel kernel;

    public UNetBlocks(UNet2DConditionConfig config, AttentionKernel kernel) {
        this.c = config;
        this.kernel = kernel;
    }

    public UNetDownBlock down(int i) {
        BlockType type = c.downBlockTypes().get(i);
        List<Integer> boc = c.blockOutChannels();
        int out = boc.get(i);
        int in = i == 0 ? boc.get(0) : boc.get(i - 1);
        ResnetBlock2D.Options o = resnetOptions(type);
        List<ResnetBlock2D> resnets = new ArrayList<>();
        List<Layer> attentions = new ArrayList<>();
        for (int j = 0; j < c.layersPerBlock().get(i); j++) {
            resnets.add(new ResnetBlock2D(j == 0 ? in : out, out, o));
            if (type.attention() != BlockType.Attention.NONE) {
                attentions.add(attention(type, out, c.attentionHeadDim().get(i), c.transformerLayersPerBlock().get(i),
                        c.crossAttentionDim().get(i), c.onlyCrossAttention().get(i)));
            }
        }
        Layer downsampler = null;
        if (i < c.blocks() - 1) {
            downsampler = type.deepFloyd()
                    ? new ResnetBlock2D(out, out, o.withResample(ResnetBlock2D.Resample.DOWN))
                    : new Downsample2D(out, false);
        }
        return new UNetDownBlock(type, resnets, attentions, downsampler);
    }

    public UNetUpBlock up(int i) {
        BlockType type = c.upBlockTypes().get(i);
        List<Integer> rb = reversed(c.blockOutChannels());
        int n = c.blocks();
        int prev = i == 0 ? rb.get(0) : rb.get(i - 1);
        int out = rb.get(i);
        int lower = rb.get(Math.min(i + 1, n - 1));
        int layers = reversed(c.layersPerBlock()).get(i) + 1;
        ResnetBlock2D.Options o = resnetOptions(type);
        List<ResnetBlock2D> resnets = new ArrayList<>();
        List<Layer> attentions = new ArrayList<>();
        for (int j = 0; j < layers; j++) {
            int skip = j == layers - 1 ? lower : out;
            resnets.add(new ResnetBlock2D((j == 0 ? prev : out) + skip, out, o));
            if (type.attention() != BlockType.Attention.NONE) {
                attentions.add(attention(type, out, reversed(c.attentionHeadDim()).get(i),
                        reversed(c.transformerLayersPerBlock()).get(i), reversed(c.crossAttentionDim()).get(i),
                        reversed(c.onlyCrossAttention()).get(i)));
            }
        }
        Layer upsampler = null;
        if (i < n - 1) {
            upsampler = type.deepFloyd()
                    ? new ResnetBlock2D(out, out, o.withResample(ResnetBlock2D.Resample.UP))
                    : new Upsample2D(out);
        }
        return new UNetUpBlock(type, resnets, attentions, upsampler);
    }

    public UNetMidBlock mid() {
        BlockType type = c.midBlockType();
        int last = c.blocks() - 1;
        int ch = c.blockOutChannels().get(last);
        // diffusers gives the mid block's resnets mid_block_scale_factor; skip_time_act only to IF's
        ResnetBlock2D.Options o = new ResnetBlock2D.Options(c.normNumGroups(), c.normEps(), c.timeEmbedDim(),
                scaleShift(), type.deepFloyd() && c.resnetSkipTimeAct(), ResnetBlock2D.Resample.NONE,
                c.midBlockScaleFactor(), c.actFn());
        Layer attention = type.attention() == BlockType.Attention.ADDED_KV
                ? new AddedKvAttention(ch, c.crossAttentionDim().get(last), c.attentionHeadDim().get(last),
                        c.midBlockOnlyCrossAttention(), c.normNumGroups(), kernel)
                : new Transformer2DModel(ch, c.attentionHeadDim().get(last), c.crossAttentionDim().get(last),
                        c.transformerLayersPerBlock().get(last), c.useLinearProjection(), false, c.normNumGroups(), kernel);
        return new UNetMidBlock(type, new ResnetBlock2D(ch, ch, o), attention, new ResnetBlock2D(ch, ch, o));
    }

    /**
     * An attention after a resnet of {@code channels}: for Transformer2D blocks {@code headConfig}
     * is the head count (diffusers' attention_head_dim quirk); for IF's blocks it is the head width.
     */
    private Layer attention(BlockType type, int channels, int headConfig, int layers, int crossDim, boolean onlyCross) {
        if (type.attention() == BlockType.Attention.ADDED_KV) {
            return new AddedKvAttention(channels, crossDim, headConfig, onlyCross, c.normNumGroups(), kernel);
        }
        if (channels % headConfig != 0) {
            throw new IllegalArgumentException(type + ": " + channels + " channels do not split into "
                    + headConfig + " heads (attention_head_dim)");
        }
        return new Transformer2DModel(channels, headConfig, crossDim, layers, c.useLinearProjection(), onlyCross,
                c.normNumGroups(), kernel);
    }

    private ResnetBlock2D.Options resnetOptions(BlockType type) {
        return new ResnetBlock2D.Options(c.normNumGroups(), c.normEps(), c.timeEmbedDim(), scaleShift(),
                type.deepFloyd() && c.resnetSkipTimeAct(), ResnetBlock2D.Resample.NONE,
                type.deepFloyd() ? c.resnetOutScaleFactor() : 1.0, c.actFn());
    }

    private boolean scaleShift() {
        return "scale_shift".equals(c.resnetTimeScaleShift());
    }

    private static <T> List<T> reversed(List<T> values) {
        List<T> r = new ArrayList<>(values);
        Collections.reverse(r);
        return r;
    }
}
