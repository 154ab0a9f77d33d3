package diffbench.nn;

import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.List;

/**
 * The VAE mid-block attention (diffusers' Attention with group_norm and a residual): GroupNorm over
 * channels, the H·W positions as tokens, biased q/k/v projections, softmax in fp32, {@code to_out.0},
 * back to NCHW, plus the input. Keys: group_norm, to_q, to_k, to_v, to_out.0.
 */
public final class SpatialAttention extends Layer {
    private final long channels;
    private final AttentionKernel kernel;

    public SpatialAttention(long channels, long heads, double eps, AttentionKernel kernel) {
        this(channels, heads, 32, eps, kernel);
    }

    /** With the config's norm_num_groups (diffusers passes the VAE's to its mid-block attention). */
    public SpatialAttention(long channels, long heads, int groups, double eps, AttentionKernel kernel) {
        this.channels = channels;
        this.kernel = kernel;
        child("group_norm", new GroupNorm(groups, channels, eps));
        child("to_q", new Linear(channels, channels));
        child("to_k", new Linear(channels, channels));
        child("to_v", new Linear(channels, channels));
        child("to_out", new LayerList<>(List.of(new Linear(channels, channels))));
        AttentionKernel.declare(this, heads, channels / heads);
    }

    @Override
    public String className() {
        return "SpatialAttention_" + kernel.id();
    }

    @Override
    protected List<ScriptMethod> methods() {
        List<String> s = new ArrayList<>();
        s.add("bb, c, hh, ww, = torch.size(x)");
        s.add("t = torch.transpose(torch.reshape(" + callText("group_norm", "x") + ", [bb, c, torch.mul(hh, ww)]), 1, 2)");
        s.add("q = " + callText("to_q", "t"));
        s.add("k = " + callText("to_k", "t"));
        s.add("v = " + callText("to_v", "t"));
        s.addAll(kernel.textLines(true));
        s.add("o = " + LayerList.callItemText("to_out", 0, "out"));
        s.add("return torch.add(torch.reshape(torch.transpose(o, 1, 2), [bb, c, hh, ww]), x)");
        return List.of(forwardText(s));
    }

    public long flops(long[] x) {
        long tokens = x[2] * x[3];
        return 2L * 4L * x[0] * tokens * channels * channels + AttentionKernel.flops(x[0], tokens, tokens, channels);
    }
}
