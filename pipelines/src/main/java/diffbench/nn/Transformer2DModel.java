package diffbench.nn;

import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' Transformer2DModel for NCHW feature maps: GroupNorm(norm_num_groups, eps 1e-6), {@code proj_in}
 * (1x1 conv, or Linear when {@code use_linear_projection}), a stack of BasicTransformerBlocks over
 * the H·W tokens, {@code proj_out} of the same kind, and a residual add.
 */
public final class Transformer2DModel extends Layer {
    private final long channels;
    private final boolean linearProjection;
    private final LayerList<BasicTransformerBlock> blocks;

    /** @param groups the norm's groups: diffusers' blocks pass the UNet's norm_num_groups (32 in every published config) */
    public Transformer2DModel(long channels, long heads, long crossAttentionDim, int layers, boolean linearProjection,
                              boolean onlyCrossAttention, int groups, AttentionKernel kernel) {
        this.channels = channels;
        this.linearProjection = linearProjection;
        child("norm", new GroupNorm(groups, channels, 1e-6));
        child("proj_in", linearProjection ? new Linear(channels, channels) : new Conv2d(channels, channels, 1, 1, 0));
        List<BasicTransformerBlock> list = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            list.add(new BasicTransformerBlock(channels, heads, crossAttentionDim, onlyCrossAttention, kernel));
        }
        blocks = child("transformer_blocks", new LayerList<>(list));
        child("proj_out", linearProjection ? new Linear(channels, channels) : new Conv2d(channels, channels, 1, 1, 0));
    }

    @Override
    public String className() {
        return "Transformer2DModel_" + (linearProjection ? "linear" : "conv") + "_" + blocks.size() + "_"
                + blocks.get(0).className();
    }

    @Override
    protected List<ScriptMethod> methods() {
        List<String> s = new ArrayList<>();
        s.add("b, c, hh, ww, = torch.size(x)");
        s.add("y = " + callText("norm", "x"));
        String toTokens = "torch.reshape(torch.permute(%s, [0, 2, 3, 1]), [b, torch.mul(hh, ww), c])";
        // back to a contiguous NCHW map, as diffusers does: a permuted view would carry a channels-last
        // layout into the residual add and every layer after it (each GroupNorm then copies it back)
        String toMap = "torch.contiguous(torch.permute(torch.reshape(%s, [b, hh, ww, c]), [0, 3, 1, 2]))";
        if (linearProjection) {
            s.add("t = " + callText("proj_in", String.format(toTokens, "y")));
        } else {
            s.add("t = " + String.format(toTokens, callText("proj_in", "y")));
        }
        for (int i = 0; i < blocks.size(); i++) {
            s.add("t = " + LayerList.callItemText("transformer_blocks", i, "t", "context"));
        }
        if (linearProjection) {
            s.add("o = " + String.format(toMap, callText("proj_out", "t")));
        } else {
            s.add("o = " + callText("proj_out", String.format(toMap, "t")));
        }
        s.add("return torch.add(o, x)");
        return List.of(ScriptMethod.legacy("forward", List.of("x: Tensor", "context: Tensor"), "Tensor", s));
    }

    /** FLOPs for an NCHW input and a text context of {@code contextTokens}. */
    public long flops(long[] x, long contextTokens) {
        long tokens = x[2] * x[3];
        long f = 2L * 2L * x[0] * tokens * channels * channels; // proj_in + proj_out
        for (BasicTransformerBlock b : blocks.items()) {
            f += b.flops(x[0], tokens, contextTokens);
        }
        return f;
    }
}
