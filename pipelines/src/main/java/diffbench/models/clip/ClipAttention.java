package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Linear;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;

/**
 * CLIP's causal self-attention ({@code self_attn.}): biased k/v/q projections (declared in the
 * checkpoint's order), the shared attention kernel with a causal mask, biased {@code out_proj}.
 */
final class ClipAttention extends ModelLayer {
    private final long dim;
    private final AttentionKernel kernel;

    ClipAttention(long dim, long heads, AttentionKernel kernel) {
        this.dim = dim;
        this.kernel = kernel;
        child("k_proj", new Linear(dim, dim));
        child("v_proj", new Linear(dim, dim));
        child("q_proj", new Linear(dim, dim));
        child("out_proj", new Linear(dim, dim));
        AttentionKernel.declare(this, heads, dim / heads);
    }

    @Override
    public String className() {
        return "ClipAttention_" + kernel.id();
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        Var q = body.let("q", call("q_proj", X));
        Var k = body.let("k", call("k_proj", X));
        Var v = body.let("v", call("v_proj", X));
        Var out = kernel.attend(body, q, k, v, true, true);
        body.ret(call("out_proj", out));
        return List.of(forward(body));
    }

    /** Projections and the full T x T score and weighted-sum products (the causal half is not subtracted). */
    long flops(long batch, long tokens) {
        return 4L * 2L * batch * tokens * dim * dim + AttentionKernel.flops(batch, tokens, tokens, dim);
    }
}
