package diffbench.nn;

import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.List;

/**
 * DeepFloyd IF's attention with added key/value projections of the text (diffusers' Attention with
 * {@code added_kv_proj_dim}): GroupNorm over the feature map, GroupNorm over the text's channels
 * ({@code norm_cross}), text keys/values first then the image's own (only the text's with
 * {@code onlyCrossAttention}), head_dim 64, softmax in fp32, residual add.
 */
public final class AddedKvAttention extends Layer {
    /** diffusers' Attention(cross_attention_norm_num_groups=32): the IF blocks leave it at its default. */
    public static final int NORM_CROSS_GROUPS = 32;

    private final long channels;
    private final long textDim;
    private final boolean onlyCrossAttention;
    private final AttentionKernel kernel;

    /** @param groups the feature map's norm: diffusers' IF blocks pass the UNet's norm_num_groups */
    public AddedKvAttention(long channels, long textDim, long headDim, boolean onlyCrossAttention, int groups,
                            AttentionKernel kernel) {
        this.channels = channels;
        this.textDim = textDim;
        this.onlyCrossAttention = onlyCrossAttention;
        this.kernel = kernel;
        child("group_norm", new GroupNorm(groups, channels, 1e-5));
        child("norm_cross", new GroupNorm(NORM_CROSS_GROUPS, textDim, 1e-5));
        child("to_q", new Linear(channels, channels));
        if (!onlyCrossAttention) {
            child("to_k", new Linear(channels, channels));
            child("to_v", new Linear(channels, channels));
        }
        child("add_k_proj", new Linear(textDim, channels));
        child("add_v_proj", new Linear(textDim, channels));
        child("to_out", new LayerList<>(List.of(new Linear(channels, channels))));
        AttentionKernel.declare(this, channels / headDim, headDim);
    }

    @Override
    public String className() {
        return "AddedKvAttention_" + kernel.id() + (onlyCrossAttention ? "_onlyCross" : "");
    }

    @Override
    protected List<ScriptMethod> methods() {
        List<String> s = new ArrayList<>();
        s.add("bb, c, hh, ww, = torch.size(x)");
        s.add("t = torch.transpose(torch.reshape(" + callText("group_norm", "x") + ", [bb, c, torch.mul(hh, ww)]), 1, 2)");
        s.add("ctx = torch.transpose(" + callText("norm_cross", "torch.transpose(context, 1, 2)") + ", 1, 2)");
        s.add("q = " + callText("to_q", "t"));
        if (onlyCrossAttention) {
            s.add("k = " + callText("add_k_proj", "ctx"));
            s.add("v = " + callText("add_v_proj", "ctx"));
        } else {
            s.add("k = torch.cat([" + callText("add_k_proj", "ctx") + ", " + callText("to_k", "t") + "], 1)");
            s.add("v = torch.cat([" + callText("add_v_proj", "ctx") + ", " + callText("to_v", "t") + "], 1)");
        }
        s.addAll(kernel.textLines(true));
        s.add("o = " + LayerList.callItemText("to_out", 0, "out"));
        s.add("return torch.add(torch.reshape(torch.transpose(o, 1, 2), [bb, c, hh, ww]), x)");
        return List.of(ScriptMethod.legacy("forward", List.of("x: Tensor", "context: Tensor"), "Tensor", s));
    }

    /** FLOPs for an NCHW input and a text of {@code textTokens}. */
    public long flops(long[] x, long textTokens) {
        long tokens = x[2] * x[3];
        long keys = onlyCrossAttention ? textTokens : textTokens + tokens;
        long f = 2L * x[0] * tokens * channels * channels * (onlyCrossAttention ? 2 : 4)
                + 2L * 2L * x[0] * textTokens * textDim * channels;
        return f + AttentionKernel.flops(x[0], tokens, keys, channels);
    }
}
