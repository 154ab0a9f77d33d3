package diffbench.models.unet;

import diffbench.models.ModelLayer;
import diffbench.nn.Init;
import diffbench.nn.Linear;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Expr.Var;
import diffbench.torchscript.code.ScalarType;

import java.util.List;

import static diffbench.torchscript.code.Torch.add;
import static diffbench.torchscript.code.Torch.cat;
import static diffbench.torchscript.code.Torch.list;
import static diffbench.torchscript.code.Torch.matmul;
import static diffbench.torchscript.code.Torch.mean;
import static diffbench.torchscript.code.Torch.mul;
import static diffbench.torchscript.code.Torch.num;
import static diffbench.torchscript.code.Torch.reshape;
import static diffbench.torchscript.code.Torch.self;
import static diffbench.torchscript.code.Torch.size;
import static diffbench.torchscript.code.Torch.softmax;
import static diffbench.torchscript.code.Torch.transpose;
import static diffbench.torchscript.code.Torch.typeAs;

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
        Body body = new Body();
        List<Var> shape = body.unpack(size(X), "b", "n", "d");
        Var b = shape.get(0);
        Var d = shape.get(2);
        Var cls = body.let("cls", add(mean(X, 1, true), typeAs(self("positional_embedding"), X)));
        Var xs = body.let("xs", cat(List.of(cls, X), 1));
        Var q = body.let("q", heads(call("q_proj", cls), b));
        Var k = body.let("k", heads(call("k_proj", xs), b));
        Var v = body.let("v", heads(call("v_proj", xs), b));
        Var w = body.let("w", mul(matmul(q, transpose(k, -1, -2)), self("scale")));
        w = body.let("w", typeAs(softmax(w, -1, ScalarType.FLOAT32), v));
        Var a = body.let("a", matmul(w, v));
        body.ret(reshape(transpose(a, 1, 2), list(b, d)));
        return List.of(forward(body));
    }

    /** (batch, tokens, dim) as (batch, heads, tokens, head_dim). */
    private static Expr heads(Expr x, Var b) {
        return transpose(reshape(x, list(b, num(-1), self("heads"), self("head_dim"))), 1, 2);
    }

    /** FLOPs for (batch, tokens, dim) text. */
    public long flops(long batch, long tokens) {
        long keys = tokens + 1;
        return 2L * batch * dim * dim                // q of the class token
                + 2L * 2L * batch * keys * dim * dim // k, v
                + 2L * 2L * batch * keys * dim;      // scores and weighted sum
    }
}
