package diffbench.models.unet;

import diffbench.nn.Layer;
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
public final class UNetUpBlock extends UNetBlock {

    public UNetUpBlock(BlockType type, List<ResnetBlock2D> resnets, List<Layer> attentions, Layer upsampler) {
        super(type, resnets, attentions, "upsamplers", upsampler);
        requireAttentionPerResnet(type, resnets, attentions);
    }

    /** Number of skips consumed: one per resnet. */
    public int skipCount() {
        return resnets.size();
    }

    @Override
    protected List<ScriptMethod> methods() {
        List<String> s = new ArrayList<>();
        s.add("h = x");
        for (int j = 0; j < resnets.size(); j++) {
            s.addAll(callResnetAndAttention(j, "h", "torch.cat([h, skips[" + j + "]], 1)"));
        }
        s.add("return " + (resampler == null ? "h" : callResampler("h")));
        return List.of(ScriptMethod.legacy("forward",
                List.of("x: Tensor", "skips: List[Tensor]", "temb: Tensor", "context: Tensor"), "Tensor", s));
    }

    /** Output shape for an NCHW input (the skips have its spatial size). */
    public long[] outputShape(long[] x) {
        long[] h = resnets.get(resnets.size() - 1).outputShape(x);
        return resampler == null ? h : resamplerOutput(h);
    }
}
