package diffbench.models.controlnet;

import diffbench.models.ModelLayer;
import diffbench.models.unet.ClassNames;
import diffbench.nn.Conv2d;
import diffbench.nn.LayerList;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.ArrayList;
import java.util.List;

import static diffbench.torchscript.code.Torch.silu;

/**
 * diffusers' ControlNetConditioningEmbedding: the control image (RGB in [0, 1]) to the UNet's first
 * width at latent resolution. {@code conv_in} 3x3, then per width step a 3x3 conv and a stride-2 3x3
 * conv ({@code blocks.0..}), SiLU after each, then {@code conv_out} 3x3 (diffusers zero-initialises
 * it; see {@link ControlNetModel} for the synthetic init).
 */
public final class ControlNetConditioningEmbedding extends ModelLayer {
    private final List<Conv2d> convs = new ArrayList<>();

    public ControlNetConditioningEmbedding(int conditioningChannels, List<Integer> widths, int outChannels) {
        convs.add(child("conv_in", Conv2d.same3x3(conditioningChannels, widths.get(0))));
        List<Conv2d> blocks = new ArrayList<>();
        for (int i = 0; i < widths.size() - 1; i++) {
            blocks.add(Conv2d.same3x3(widths.get(i), widths.get(i)));
            blocks.add(new Conv2d(widths.get(i), widths.get(i + 1), 3, 2, 1));
        }
        convs.addAll(blocks);
        child("blocks", new LayerList<>(blocks));
        convs.add(child("conv_out", Conv2d.same3x3(widths.get(widths.size() - 1), outChannels)));
    }

    @Override
    public String className() {
        return ClassNames.unique("ControlNetConditioningEmbedding", this);
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        Var h = body.let("h", silu(call("conv_in", X)));
        for (int i = 0; i < convs.size() - 2; i++) {
            h = body.let("h", silu(LayerList.callItem("blocks", i, h)));
        }
        body.ret(call("conv_out", h));
        return List.of(forward(body));
    }

    /** Output shape for an NCHW control image. */
    public long[] outputShape(long[] x) {
        long[] h = x;
        for (Conv2d c : convs) {
            h = c.outputShape(h);
        }
        return h;
    }

    public long flops(long[] x) {
        long f = 0;
        long[] h = x;
        for (Conv2d c : convs) {
            f += c.flops(h);
            h = c.outputShape(h);
        }
        return f;
    }
}
