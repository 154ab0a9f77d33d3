package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Linear;
import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
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
        List<String> s = new ArrayList<>();
        s.add("q = " + callText("q_proj", "x"));
        s.add("k = " + callText("k_proj", "x"));
        s.add("v = " + callText("v_proj", "x"));
        s.addAll(kernel.textLines(true, true));
        s.add("return " + callText("out_proj", "out"));
        return List.of(forwardText(s));
    }

    /** Projections and the full T x T score and weighted-sum products (the causal half is not subtracted). */
    long flops(long batch, long tokens) {
        return 4L * 2L * batch * tokens * dim * dim + AttentionKernel.flops(batch, tokens, tokens, dim);
    }
}
