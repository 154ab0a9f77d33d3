package diffbench.nn;

import diffbench.torchscript.ScriptMethod;

import java.util.List;

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
        return List.of(ScriptMethod.legacy("forward", List.of("x: Tensor", "context: Tensor"), "Tensor", List.of(
                "h = " + callText("norm1", "x"),
                "x1 = torch.add(" + callText("attn1", "h", onlyCrossAttention ? "context" : "h") + ", x)",
                "h1 = " + callText("norm2", "x1"),
                "x2 = torch.add(" + callText("attn2", "h1", "context") + ", x1)",
                "h2 = " + callText("norm3", "x2"),
                "return torch.add(" + callText("ff", "h2") + ", x2)")));
    }

    /** FLOPs for {@code tokens} queries per sample and a text context of {@code contextTokens}. */
    public long flops(long batch, long tokens, long contextTokens) {
        return attn1.flops(batch, tokens, onlyCrossAttention ? contextTokens : tokens)
                + attn2.flops(batch, tokens, contextTokens)
                + ff.flops(batch * tokens);
    }
}
