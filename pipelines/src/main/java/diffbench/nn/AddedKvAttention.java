package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;

import static diffbench.torchscript.code.Torch.add;
import static diffbench.torchscript.code.Torch.cat;
import static diffbench.torchscript.code.Torch.transpose;
import static diffbench.torchscript.code.Torch.var;

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
        Var context = var("context");
        Body body = new Body();
        MapSize size = MapSize.of(body, X, "bb");
        Var t = body.let("t", size.tokens(call("group_norm", X)));
        // norm_cross normalises the text's channels, which GroupNorm expects in dim 1
        Var ctx = body.let("ctx", transpose(call("norm_cross", transpose(context, 1, 2)), 1, 2));
        Var q = body.let("q", call("to_q", t));
        Var k;
        Var v;
        if (onlyCrossAttention) {
            k = body.let("k", call("add_k_proj", ctx));
            v = body.let("v", call("add_v_proj", ctx));
        } else {
            k = body.let("k", cat(List.of(call("add_k_proj", ctx), call("to_k", t)), 1));
            v = body.let("v", cat(List.of(call("add_v_proj", ctx), call("to_v", t)), 1));
        }
        Var out = kernel.attend(body, q, k, v, true, false);
        Var o = body.let("o", LayerList.callItem("to_out", 0, out));
        body.ret(add(size.map(o), X));
        return List.of(new ScriptMethod("forward", ScriptMethod.Argument.tensors("x", "context"), "Tensor", body.statements()));
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
