package diffbench.models.unet;

import diffbench.nn.Layer;
import diffbench.nn.ResnetBlock2D;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.ScriptMethod.Argument;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;

import static diffbench.torchscript.code.Torch.cat;
import static diffbench.torchscript.code.Torch.item;
import static diffbench.torchscript.code.Torch.var;

/**
 * An up block of the UNet (UpBlock2D, CrossAttnUpBlock2D, ResnetUpsampleBlock2D,
 * SimpleCrossAttnUpBlock2D): before each resnet the next skip is concatenated on the channels,
 * each resnet optionally followed by an attention, then an optional upsampler.
 * {@code forward(x, skips, temb, context)} takes the skips in the order they are consumed (the last
 * one pushed by the down pass first).
 */
public final class UNetUpBlock extends UNetBlock {
    /** The skips argument, in the order the resnets consume them. */
    private static final Var SKIPS = var("skips");

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
        Body body = new Body();
        Var h = body.let("h", X);
        for (int j = 0; j < resnets.size(); j++) {
            h = callResnetAndAttention(body, j, "h", cat(List.of(h, item(SKIPS, j)), 1));
        }
        body.ret(resampler == null ? h : callResampler(h));
        return List.of(new ScriptMethod("forward", List.of(Argument.tensor(X.name()), new Argument(SKIPS.name(), "List[Tensor]"),
                Argument.tensor(TEMB.name()), Argument.tensor(CONTEXT.name())), "Tensor", body.statements()));
    }

    /** Output shape for an NCHW input (the skips have its spatial size). */
    public long[] outputShape(long[] x) {
        long[] h = resnets.get(resnets.size() - 1).outputShape(x);
        return resampler == null ? h : resamplerOutput(h);
    }
}
