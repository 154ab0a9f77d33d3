package diffbench.models.unet;

import diffbench.nn.Layer;
import diffbench.nn.LayerList;
import diffbench.nn.ResnetBlock2D;
import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.List;

/**
 * A down block of the UNet (DownBlock2D, CrossAttnDownBlock2D, ResnetDownsampleBlock2D,
 * SimpleCrossAttnDownBlock2D): resnets, each optionally followed by an attention, then an optional
 * downsampler. {@code forward(x, temb, context)} returns every output state in order (one per
 * resnet, then the downsampler's): the skips the up blocks consume; the last is the block output.
 */
public final class UNetDownBlock extends Layer {
    private final BlockType type;
    private final List<ResnetBlock2D> resnets;
    private final List<Layer> attentions;
    private final Layer downsampler;

    /**
     * @param attentions one per resnet, or empty for blocks without attention
     * @param downsampler a Downsample2D, a down-resampling ResnetBlock2D, or null
     */
    public UNetDownBlock(BlockType type, List<ResnetBlock2D> resnets, List<Layer> attentions, Layer downsampler) {
        if (!attentions.isEmpty() && attentions.size() != resnets.size()) {
            throw new IllegalArgumentException(type + ": " + attentions.size() + " attentions for " + resnets.size() + " resnets");
        }
        this.type = type;
        this.resnets = List.copyOf(resnets);
        this.attentions = List.copyOf(attentions);
        this.downsampler = downsampler;
        // state_dict order as diffusers registers them: attentions, resnets, downsamplers
        if (!attentions.isEmpty()) {
            child("attentions", new LayerList<>(attentions));
        }
        child("resnets", new LayerList<>(resnets));
        if (downsampler != null) {
            child("downsamplers", new LayerList<>(List.of(downsampler)));
        }
    }

    /** Number of states {@code forward} returns. */
    public int outputCount() {
        return resnets.size() + (downsampler != null ? 1 : 0);
    }

    @Override
    public String className() {
        return ClassNames.unique(type.diffusersName(), this);
    }

    @Override
    protected String qualifier() {
        return ClassNames.MODELS;
    }

    @Override
    protected List<ScriptMethod> methods() {
        List<String> s = new ArrayList<>();
        List<String> outs = new ArrayList<>();
        String h = "x";
        for (int j = 0; j < resnets.size(); j++) {
            String o = "h" + j;
            s.add(o + " = " + LayerList.callItem("resnets", j, h, "temb"));
            if (!attentions.isEmpty()) {
                s.add(o + " = " + LayerList.callItem("attentions", j, o, "context"));
            }
            outs.add(o);
            h = o;
        }
        if (downsampler != null) {
            s.add("hd = " + BlockParts.callResampler("downsamplers", downsampler, h));
            outs.add("hd");
        }
        s.add("return [" + String.join(", ", outs) + "]");
        return List.of(new ScriptMethod("forward", List.of("x: Tensor", "temb: Tensor", "context: Tensor"),
                "List[Tensor]", s));
    }

    /** The shapes of the states {@code forward} returns, for an NCHW input. */
    public List<long[]> outputShapes(long[] x) {
        List<long[]> out = new ArrayList<>();
        long[] h = x;
        for (ResnetBlock2D r : resnets) {
            h = r.outputShape(h);
            out.add(h);
        }
        if (downsampler != null) {
            out.add(BlockParts.resamplerOutput(downsampler, h));
        }
        return out;
    }

    public long flops(long[] x, long contextTokens) {
        long f = 0;
        long[] h = x;
        for (int j = 0; j < resnets.size(); j++) {
            f += resnets.get(j).flops(h);
            h = resnets.get(j).outputShape(h);
            if (!attentions.isEmpty()) {
                f += BlockParts.attentionFlops(attentions.get(j), h, contextTokens);
            }
        }
        return downsampler == null ? f : f + BlockParts.resamplerFlops(downsampler, h);
    }
}
