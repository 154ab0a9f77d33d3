package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;

import static diffbench.torchscript.code.Torch.add;
import static diffbench.torchscript.code.Torch.var;

/**
 * diffusers' BasicTransformerBlock (layer_norm): self-attention, cross-attention to the text, GEGLU
 * feed-forward, each behind a LayerNorm (eps 1e-5) and a residual add. With
 * {@code onlyCrossAttention} (the x4 upscaler) the first attention also attends to the text.
 */
public final class BasicTransformerBlock extends Layer {
    private final long dim;
    private final Attention attn1;
    private final Attention attn2;
    private final FeedForward ff;
    private final boolean onlyCrossAttention;
    private final AttentionKernel kernel;

    public BasicTransformerBlock(long dim, long heads, long crossAttentionDim, boolean onlyCrossAttention,
                                 AttentionKernel kernel) {
        this.dim = dim;
        this.onlyCrossAttention = onlyCrossAttention;
        this.kernel = kernel;
        long headDim = dim / heads;
        child("norm1", new LayerNorm(dim, 1e-5));
        attn1 = child("attn1", new Attention(dim, onlyCrossAttention ? crossAttentionDim : dim, heads, headDim, kernel));
        child("norm2", new LayerNorm(dim, 1e-5));
        attn2 = child("attn2", new Attention(dim, crossAttentionDim, heads, headDim, kernel));
        child("norm3", new LayerNorm(dim, 1e-5));
        ff = child("ff", new FeedForward(dim, 4 * dim));
    }

    @Override
    public String className() {
        return "BasicTransformerBlock_" + kernel.id() + (onlyCrossAttention ? "_onlyCross" : "");
    }

    @Override
    protected List<ScriptMethod> methods() {
        Var context = var("context");
        Body body = new Body();
        Var h = body.let("h", call("norm1", X));
        Var x1 = body.let("x1", add(call("attn1", h, onlyCrossAttention ? context : h), X));
        Var h1 = body.let("h1", call("norm2", x1));
        Var x2 = body.let("x2", add(call("attn2", h1, context), x1));
        Var h2 = body.let("h2", call("norm3", x2));
        body.ret(add(call("ff", h2), x2));
        return List.of(new ScriptMethod("forward", ScriptMethod.Argument.tensors("x", "context"), "Tensor", body.statements()));
    }

    /** FLOPs for {@code tokens} queries per sample and a text context of {@code contextTokens}. */
    public long flops(long batch, long tokens, long contextTokens) {
        return attn1.flops(batch, tokens, onlyCrossAttention ? contextTokens : tokens)
                + attn2.flops(batch, tokens, contextTokens)
                + ff.flops(batch * tokens);
    }
}
