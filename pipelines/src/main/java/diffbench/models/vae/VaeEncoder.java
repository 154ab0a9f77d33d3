package diffbench.models.vae;

import diffbench.models.ModelLayer;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Conv2d;
import diffbench.nn.GroupNorm;
import diffbench.nn.LayerList;
import diffbench.nn.ResnetBlock2D;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.ArrayList;
import java.util.List;

import static diffbench.torchscript.code.Torch.silu;

/**
 * The image → moments half of AutoencoderKL ({@code encoder.}): conv_in, the down blocks, the mid
 * block, GroupNorm + SiLU, conv_out to 2 x latent_channels (mean ‖ logvar, before quant_conv).
 */
final class VaeEncoder extends ModelLayer {
    private final Conv2d convIn;
    private final LayerList<VaeLevelBlock> downBlocks;
    private final VaeMidBlock mid;
    private final Conv2d convOut;

    VaeEncoder(AutoencoderKLConfig c, ResnetBlock2D.Options options, AttentionKernel kernel) {
        List<Integer> widths = c.blockOutChannels();
        convIn = child("conv_in", Conv2d.same3x3(c.inChannels(), widths.get(0)));
        List<VaeLevelBlock> blocks = new ArrayList<>();
        long in = widths.get(0);
        for (int i = 0; i < widths.size(); i++) {
            boolean last = i == widths.size() - 1;
            blocks.add(VaeLevelBlock.down(in, widths.get(i), c.layersPerBlock(), !last, options));
            in = widths.get(i);
        }
        downBlocks = child("down_blocks", new LayerList<>(blocks));
        mid = child("mid_block", new VaeMidBlock(in, c.midBlockAddAttention(), options, kernel));
        child("conv_norm_out", new GroupNorm(c.normNumGroups(), in, options.eps()));
        convOut = child("conv_out", Conv2d.same3x3(in, 2L * c.latentChannels()));
    }

    @Override
    public String className() {
        return structuralName("VaeEncoder");
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        Var x = body.let("x", call("conv_in", X));
        for (int i = 0; i < downBlocks.size(); i++) {
            x = body.let("x", LayerList.callItem("down_blocks", i, x));
        }
        x = body.let("x", call("mid_block", x));
        x = body.let("x", silu(call("conv_norm_out", x)));
        body.ret(call("conv_out", x));
        return List.of(forward(body));
    }

    long flops(long[] x) {
        long f = convIn.flops(x);
        x = convIn.outputShape(x);
        for (VaeLevelBlock b : downBlocks.items()) {
            f += b.flops(x);
            x = b.outputShape(x);
        }
        return f + mid.flops(x) + convOut.flops(x);
    }

    long[] outputShape(long[] x) {
        x = convIn.outputShape(x);
        for (VaeLevelBlock b : downBlocks.items()) {
            x = b.outputShape(x);
        }
        return convOut.outputShape(x);
    }
}
