package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;

import static diffbench.torchscript.code.Torch.add;

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
        Body body = new Body();
        MapSize size = MapSize.of(body, X, "bb");
        Var t = body.let("t", size.tokens(call("group_norm", X)));
        Var q = body.let("q", call("to_q", t));
        Var k = body.let("k", call("to_k", t));
        Var v = body.let("v", call("to_v", t));
        Var out = kernel.attend(body, q, k, v, true, false);
        Var o = body.let("o", LayerList.callItem("to_out", 0, out));
        body.ret(add(size.map(o), X));
        return List.of(forward(body));
    }

    public long flops(long[] x) {
        long tokens = x[2] * x[3];
        return 2L * 4L * x[0] * tokens * channels * channels + AttentionKernel.flops(x[0], tokens, tokens, channels);
    }
}
