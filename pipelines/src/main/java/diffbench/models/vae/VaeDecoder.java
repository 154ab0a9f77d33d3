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
import java.util.Collections;
import java.util.List;

import static diffbench.torchscript.code.Torch.silu;

/**
 * The latents → image half of AutoencoderKL ({@code decoder.}): conv_in to the deepest width, the
 * mid block, the up blocks (widths reversed), GroupNorm + SiLU, conv_out. Children are declared in
 * the state_dict's order (conv_in, up_blocks, mid_block, ...); they run in the order above.
 */
final class VaeDecoder extends ModelLayer {
    private final Conv2d convIn;
    private final LayerList<VaeLevelBlock> upBlocks;
    private final VaeMidBlock mid;
    private final Conv2d convOut;

    VaeDecoder(AutoencoderKLConfig c, ResnetBlock2D.Options options, AttentionKernel kernel) {
        List<Integer> widths = new ArrayList<>(c.blockOutChannels());
        Collections.reverse(widths);
        long deepest = widths.get(0);
        convIn = child("conv_in", Conv2d.same3x3(c.latentChannels(), deepest));
        List<VaeLevelBlock> blocks = new ArrayList<>();
        long in = deepest;
        for (int i = 0; i < widths.size(); i++) {
            boolean last = i == widths.size() - 1;
            blocks.add(VaeLevelBlock.up(in, widths.get(i), c.layersPerBlock() + 1, !last, options));
            in = widths.get(i);
        }
        upBlocks = child("up_blocks", new LayerList<>(blocks));
        mid = child("mid_block", new VaeMidBlock(deepest, c.midBlockAddAttention(), options, kernel));
        child("conv_norm_out", new GroupNorm(c.normNumGroups(), in, options.eps()));
        convOut = child("conv_out", Conv2d.same3x3(in, c.outChannels()));
    }

    @Override
    public String className() {
        return structuralName("VaeDecoder");
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        Var x = body.let("x", call("conv_in", X));
        x = body.let("x", call("mid_block", x));
        for (int i = 0; i < upBlocks.size(); i++) {
            x = body.let("x", LayerList.callItem("up_blocks", i, x));
        }
        x = body.let("x", silu(call("conv_norm_out", x)));
        body.ret(call("conv_out", x));
        return List.of(forward(body));
    }

    long flops(long[] z) {
        long f = convIn.flops(z);
        long[] x = convIn.outputShape(z);
        f += mid.flops(x);
        for (VaeLevelBlock b : upBlocks.items()) {
            f += b.flops(x);
            x = b.outputShape(x);
        }
        return f + convOut.flops(x);
    }

    long[] outputShape(long[] z) {
        long[] x = convIn.outputShape(z);
        for (VaeLevelBlock b : upBlocks.items()) {
            x = b.outputShape(x);
        }
        return convOut.outputShape(x);
    }
}
