package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;

import static diffbench.torchscript.code.Torch.var;

/**
 * diffusers' {@code Attention} over token sequences, as BasicTransformerBlock uses it: {@code to_q}
 * from the queries' width, {@code to_k}/{@code to_v} from the context's width (the queries'
 * own for self-attention), projections without bias, {@code to_out.0} with bias.
 * {@code forward(x, context)}: self-attention passes x twice.
 */
public final class Attention extends Layer {
    private final long queryDim;
    private final long contextDim;
    private final long innerDim;
    private final AttentionKernel kernel;

    public Attention(long queryDim, long contextDim, long heads, long headDim, AttentionKernel kernel) {
        this.queryDim = queryDim;
        this.contextDim = contextDim;
        this.innerDim = heads * headDim;
        this.kernel = kernel;
        child("to_q", new Linear(queryDim, innerDim, false));
        child("to_k", new Linear(contextDim, innerDim, false));
        child("to_v", new Linear(contextDim, innerDim, false));
        child("to_out", new LayerList<>(List.of(new Linear(innerDim, queryDim, true))));
        AttentionKernel.declare(this, heads, headDim);
    }

    @Override
    public String className() {
        return "Attention_" + kernel.id();
    }

    @Override
    protected List<ScriptMethod> methods() {
        Var context = var("context");
        Body body = new Body();
        Var q = body.let("q", call("to_q", X));
        Var k = body.let("k", call("to_k", context));
        Var v = body.let("v", call("to_v", context));
        Var out = kernel.attend(body, q, k, v, false, false);
        body.ret(LayerList.callItem("to_out", 0, out));
        return List.of(new ScriptMethod("forward", ScriptMethod.Argument.tensors("x", "context"), "Tensor", body.statements()));
    }

    /** FLOPs for x of (batch, queries, queryDim) and a context of {@code keys} tokens. */
    public long flops(long batch, long queries, long keys) {
        return 2L * batch * queries * queryDim * innerDim * 2
                + 2L * 2L * batch * keys * contextDim * innerDim
                + AttentionKernel.flops(batch, queries, keys, innerDim);
    }
}
