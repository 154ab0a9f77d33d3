package diffbench.nn;

import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Expr.Var;
import diffbench.torchscript.code.ScalarType;

import java.util.Locale;

import static diffbench.torchscript.code.Torch.MINUS_INFINITY;
import static diffbench.torchscript.code.Torch.causalScaledDotProductAttention;
import static diffbench.torchscript.code.Torch.list;
import static diffbench.torchscript.code.Torch.maskedFill;
import static diffbench.torchscript.code.Torch.matmul;
import static diffbench.torchscript.code.Torch.mul;
import static diffbench.torchscript.code.Torch.num;
import static diffbench.torchscript.code.Torch.onesLike;
import static diffbench.torchscript.code.Torch.reshape;
import static diffbench.torchscript.code.Torch.scaledDotProductAttention;
import static diffbench.torchscript.code.Torch.self;
import static diffbench.torchscript.code.Torch.size;
import static diffbench.torchscript.code.Torch.softmax;
import static diffbench.torchscript.code.Torch.transpose;
import static diffbench.torchscript.code.Torch.triu;
import static diffbench.torchscript.code.Torch.typeAs;

/**
 * The core of multi-head attention, shared by every attention layer: split q, k, v (batch, tokens,
 * heads x head_dim) into heads, attend, merge heads. {@code sdpa} is
 * {@code scaled_dot_product_attention} (diffusers' AttnProcessor2_0); {@code math} is
 * matmul-softmax-matmul (diffusers' AttnProcessor), with the softmax in fp32 where the model
 * upcasts it. Both use scale head_dim^-1/2. The owning layer holds attributes {@code heads},
 * {@code head_dim}, {@code inner_dim} and (math) {@code scale}.
 */
public enum AttentionKernel {
    SDPA, MATH;

    public static AttentionKernel fromName(String name) {
        return switch (name) {
            case "sdpa" -> SDPA;
            case "math" -> MATH;
            default -> throw new IllegalArgumentException("unknown attention '" + name + "': use sdpa or math");
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Writes into {@code body} the statements turning {@code q}, {@code k}, {@code v} (batch, tokens,
     * heads x head_dim) into the returned {@code out} of shape (batch, tokens, inner_dim).
     * {@code causal}: token i attends to tokens 0..i only (CLIP's text encoders), SDPA's is_causal
     * flag or, in math, scores above the diagonal set to -inf.
     */
    public Var attend(Body body, Expr q, Expr k, Expr v, boolean upcastSoftmax, boolean causal) {
        Var b = body.let("b", size(q, 0));
        Var qh = body.let("qh", heads(q, b));
        Var kh = body.let("kh", heads(k, b));
        Var vh = body.let("vh", heads(v, b));
        Var a;
        if (this == SDPA) {
            a = body.let("a", causal ? causalScaledDotProductAttention(qh, kh, vh) : scaledDotProductAttention(qh, kh, vh));
        } else {
            Var scores = body.let("scores", mul(matmul(qh, transpose(kh, -1, -2)), self("scale")));
            if (causal) {
                Var above = body.let("above", triu(onesLike(scores, ScalarType.BOOL), 1));
                scores = body.let("scores", maskedFill(scores, above, MINUS_INFINITY));
            }
            Var w = body.let("w", upcastSoftmax ? typeAs(softmax(scores, -1, ScalarType.FLOAT32), vh) : softmax(scores, -1));
            a = body.let("a", matmul(w, vh));
        }
        return body.let("out", reshape(transpose(a, 1, 2), list(b, num(-1), self("inner_dim"))));
    }

    /** (batch, tokens, heads x head_dim) as (batch, heads, tokens, head_dim). */
    private static Expr heads(Expr x, Var b) {
        return transpose(reshape(x, list(b, num(-1), self("heads"), self("head_dim"))), 1, 2);
    }

    /** Sets the attributes {@link #lines} reads. */
    public static void declare(Layer owner, long heads, long headDim) {
        owner.attribute("heads", heads);
        owner.attribute("head_dim", headDim);
        owner.attribute("inner_dim", heads * headDim);
        owner.attribute("scale", 1.0 / Math.sqrt(headDim));
    }

    /** FLOPs of scores and weighted sum for {@code batch} x {@code queries} x {@code keys} over inner_dim. */
    public static long flops(long batch, long queries, long keys, long innerDim) {
        return 2L * 2L * batch * queries * keys * innerDim;
    }
}
