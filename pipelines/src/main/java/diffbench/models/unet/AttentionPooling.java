package diffbench.models.unet;

import diffbench.models.ModelLayer;
import diffbench.nn.Init;
import diffbench.nn.Linear;
import diffbench.torchscript.ScriptMethod;

import java.util.List;

/**
 * diffusers' AttentionPooling (IF's text pooling): a class token (mean of the tokens plus
 * {@code positional_embedding}) is prepended to the sequence and attends over it with
 * {@code heads} heads; the class token's output, (batch, dim), is the pooled text. q from the class
 * token only; no output projection; softmax in fp32. diffusers scales q and k by head_dim^-1/4
 * each; scaling the product by head_dim^-1/2 is the same.
 */
public final class AttentionPooling extends ModelLayer {
    private final long dim;

    public AttentionPooling(long dim, long heads) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("pooling width " + dim + " does not split into " + heads + " heads");
        }
        this.dim = dim;
        param("positional_embedding", new long[] {1, dim}, Init.normal(1.0 / Math.sqrt(dim)));
        child("k_proj", new Linear(dim, dim));
        child("q_proj", new Linear(dim, dim));
        child("v_proj", new Linear(dim, dim));
        attribute("heads", heads);
        attribute("head_dim", dim / heads);
        attribute("scale", 1.0 / Math.sqrt((double) dim / heads));
    }

    @Override
    public String className() {
        return "AttentionPooling";
    }

    @Override
    protected List<ScriptMethod> methods() {
        String heads = "[b, -1, self.heads, self.head_dim]";
        return List.of(forwardText(List.of(
                "b, n, d, = torch.size(x)",
                "cls = torch.add(torch.mean(x, [1], True), torch.type_as(self.positional_embedding, x))",
                "xs = torch.cat([cls, x], 1)",
                "q = torch.transpose(torch.reshape(" + callText("q_proj", "cls") + ", " + heads + "), 1, 2)",
                "k = torch.transpose(torch.reshape(" + callText("k_proj", "xs") + ", " + heads + "), 1, 2)",
                "v = torch.transpose(torch.reshape(" + callText("v_proj", "xs") + ", " + heads + "), 1, 2)",
                "w = torch.mul(torch.matmul(q, torch.transpose(k, -1, -2)), self.scale)",
                "w = torch.type_as(torch.softmax(w, -1, 6), v)",
                "a = torch.matmul(w, v)",
                "return torch.reshape(torch.transpose(a, 1, 2), [b, d])")));
    }

    /** FLOPs for (batch, tokens, dim) text. */
    public long flops(long batch, long tokens) {
        long keys = tokens + 1;
        return 2L * batch * dim * dim                // q of the class token
                + 2L * 2L * batch * keys * dim * dim // k, v
                + 2L * 2L * batch * keys * dim;      // scores and weighted sum
    }
}
