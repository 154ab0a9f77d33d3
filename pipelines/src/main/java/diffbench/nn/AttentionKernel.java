package diffbench.nn;

import java.util.ArrayList;
import java.util.List;

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
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Source lines turning variables q, k, v into {@code out} of shape (batch, tokens, inner_dim). */
    public List<String> lines(boolean upcastSoftmax) {
        return lines(upcastSoftmax, false);
    }

    /**
     * As {@link #lines(boolean)}; {@code causal}: token i attends to tokens 0..i only (CLIP's text
     * encoders), SDPA's is_causal flag or, in math, scores above the diagonal set to -inf.
     */
    public List<String> lines(boolean upcastSoftmax, boolean causal) {
        List<String> s = new ArrayList<>();
        s.add("b = torch.size(q, 0)");
        for (String v : List.of("q", "k", "v")) {
            s.add(v + "h = torch.transpose(torch.reshape(" + v + ", [b, -1, self.heads, self.head_dim]), 1, 2)");
        }
        if (this == SDPA) {
            s.add(causal ? "a = torch.scaled_dot_product_attention(qh, kh, vh, None, 0., True)"
                    : "a = torch.scaled_dot_product_attention(qh, kh, vh)");
        } else {
            s.add("scores = torch.mul(torch.matmul(qh, torch.transpose(kh, -1, -2)), self.scale)");
            if (causal) {
                s.add("above = torch.triu(torch.ones_like(scores, dtype=11), 1)");
                s.add("scores = torch.masked_fill(scores, above, float(\"-inf\"))");
            }
            s.add(upcastSoftmax ? "w = torch.type_as(torch.softmax(scores, -1, 6), vh)" : "w = torch.softmax(scores, -1)");
            s.add("a = torch.matmul(w, vh)");
        }
        s.add("out = torch.reshape(torch.transpose(a, 1, 2), [b, -1, self.inner_dim])");
        return s;
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
