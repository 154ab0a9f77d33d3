package diffbench.models.unet;

import diffbench.nn.Layer;
import diffbench.nn.ResnetBlock2D;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.ScriptMethod.Argument;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Expr.Var;

import java.util.ArrayList;
import java.util.List;

import static diffbench.torchscript.code.Torch.list;

/**
 * A down block of the UNet (DownBlock2D, CrossAttnDownBlock2D, ResnetDownsampleBlock2D,
 * SimpleCrossAttnDownBlock2D): resnets, each optionally followed by an attention, then an optional
 * downsampler. {@code forward(x, temb, context)} returns every output state in order (one per
 * resnet, then the downsampler's): the skips the up blocks consume; the last is the block output.
 */
public final class UNetDownBlock extends UNetBlock {

    /**
     * @param attentions one per resnet, or empty for blocks without attention
     * @param downsampler a Downsample2D, a down-resampling ResnetBlock2D, or null
     */
    public UNetDownBlock(BlockType type, List<ResnetBlock2D> resnets, List<Layer> attentions, Layer downsampler) {
        super(type, resnets, attentions, "downsamplers", downsampler);
        requireAttentionPerResnet(type, resnets, attentions);
    }

    /** Number of states {@code forward} returns. */
    public int outputCount() {
        return resnets.size() + (resampler != null ? 1 : 0);
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        List<Expr> outs = new ArrayList<>();
        Var h = X;
        for (int j = 0; j < resnets.size(); j++) {
            h = callResnetAndAttention(body, j, "h" + j, h);
            outs.add(h);
        }
        if (resampler != null) {
            outs.add(body.let("hd", callResampler(h)));
        }
        body.ret(list(outs));
        return List.of(new ScriptMethod("forward", Argument.tensors(X.name(), TEMB.name(), CONTEXT.name()),
                "List[Tensor]", body.statements()));
    }

    /** The shapes of the states {@code forward} returns, for an NCHW input. */
    public List<long[]> outputShapes(long[] x) {
        List<long[]> out = new ArrayList<>();
        long[] h = x;
        for (ResnetBlock2D r : resnets) {
            h = r.outputShape(h);
            out.add(h);
        }
        if (resampler != null) {
            out.add(resamplerOutput(h));
        }
        return out;
    }
}
