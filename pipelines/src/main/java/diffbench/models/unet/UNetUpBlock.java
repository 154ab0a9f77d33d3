package diffbench.models.unet;

import diffbench.nn.Layer;
import diffbench.nn.LayerList;
import diffbench.nn.ResnetBlock2D;
import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.List;

/**
 * An up block of the UNet (UpBlock2D, CrossAttnUpBlock2D, ResnetUpsampleBlock2D,
 * SimpleCrossAttnUpBlock2D): before each resnet the next skip is concatenated on the channels,
 * each resnet optionally followed by an attention, then an optional upsampler.
 * {@code forward(x, skips, temb, context)} takes the skips in the order they are consumed (the last
 * one pushed by the down pass first).
 */
public final class UNetUpBlock extends Layer {
    private final BlockType type;
    private final List<ResnetBlock2D> resnets;
    private final List<Layer> attentions;
    private final Layer upsampler;

    public UNetUpBlock(BlockType type, List<ResnetBlock2D> resnets, List<Layer> attentions, Layer upsampler) {
        if (!attentions.isEmpty() && attentions.size() != resnets.size()) {
            throw new IllegalArgumentException(type + ": " + attentions.size() + " attentions for " + resnets.size() + " resnets");
        }
        this.type = type;
        this.resnets = List.copyOf(resnets);
        this.attentions = List.copyOf(attentions);
        this.upsampler = upsampler;
        if (!attentions.isEmpty()) {
            child("attentions", new LayerList<>(attentions));
        }
        child("resnets", new LayerList<>(resnets));
        if (upsampler != null) {
            child("upsamplers", new LayerList<>(List.of(upsampler)));
        }
    }

    /** Number of skips consumed: one per resnet. */
    public int skipCount() {
        return resnets.size();
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
        s.add("h = x");
        for (int j = 0; j < resnets.size(); j++) {
            s.add("h = " + LayerList.callItem("resnets", j, "torch.cat([h, skips[" + j + "]], 1)", "temb"));
            if (!attentions.isEmpty()) {
                s.add("h = " + LayerList.callItem("attentions", j, "h", "context"));
            }
        }
        s.add("return " + (upsampler == null ? "h" : BlockParts.callResampler("upsamplers", upsampler, "h")));
        return List.of(new ScriptMethod("forward",
                List.of("x: Tensor", "skips: List[Tensor]", "temb: Tensor", "context: Tensor"), "Tensor", s));
    }

    /** Output shape for an NCHW input (the skips have its spatial size). */
    public long[] outputShape(long[] x) {
        long[] h = resnets.get(resnets.size() - 1).outputShape(x);
        return upsampler == null ? h : BlockParts.resamplerOutput(upsampler, h);
    }

    public long flops(long[] x, long contextTokens) {
        long f = 0;
        long[] h = x;
        for (int j = 0; j < resnets.size(); j++) {
            f += resnets.get(j).flops(h); // uses the resnet's own (concatenated) input width
            h = resnets.get(j).outputShape(h);
            if (!attentions.isEmpty()) {
                f += BlockParts.attentionFlops(attentions.get(j), h, contextTokens);
            }
        }
        return upsampler == null ? f : f + BlockParts.resamplerFlops(upsampler, h);
    }
}
